/**
 * The hub-layout server for one test file (Node service tests and Chromium panel tests alike):
 * started when the file is collected (`const hub = await hubServerForFile()`), faults cleared before
 * each test, closed after the file. Kept apart from hubServer.ts, which scripts import outside vitest.
 */
import { afterAll, beforeEach } from 'vitest';
import { startHubServer, type HubServer } from './hubServer';

export async function hubServerForFile(): Promise<HubServer> {
  const hub = await startHubServer();
  beforeEach(() => hub.clearFaults());
  afterAll(() => hub.close());
  return hub;
}
