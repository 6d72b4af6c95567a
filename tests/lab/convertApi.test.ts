/**
 * The convert worker's bridge without a browser: the real convert service exposed over comlink on
 * a MessageChannel, driven through ConvertWorkerClient: progress callbacks cross as proxies, a
 * cancel reaches the running install by job id, and errors keep their names.
 */
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hfNames } from '../../src/checkpoint/musicgenConfig';
import { ConvertWorkerClient, type InstallProgress, type InstallRequest } from '../../src/lab/convertApi';
import { createConvertService } from '../../src/lab/convertService';
import { startHubServer, TINY_REPO, type HubServer } from '../browser/hubServer';
import { memoryStorage } from '../storage/memoryDir';

let hub: HubServer;
let client: ConvertWorkerClient;

beforeAll(async () => {
  hub = await startHubServer();
  const storage = memoryStorage();
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(
    createConvertService({ openStorage: async () => storage.root, fetch: globalThis.fetch, hasShaderF16: async () => false, estimate: async () => ({ usage: 0, quota: 1e12 }) }),
    port1,
  );
  client = new ConvertWorkerClient(port2 as unknown as Comlink.Endpoint, () => {
    port1.close();
    port2.close();
  });
});

afterAll(async () => {
  client?.terminate();
  await hub?.close();
});

const request = (): InstallRequest => ({ source: { kind: 'hub', repo: TINY_REPO, revision: 'main', endpoint: hub.url }, dtype: 'auto' });

describe('ConvertWorkerClient over a MessageChannel', () => {
  it('cancels a running install by job id; the error arrives as an AbortError', async () => {
    const [stallAt] = hub.tensorRange(hfNames.layer(0, 'fc2.weight'));
    const stall = hub.stall({ repo: TINY_REPO, file: 'model.safetensors', offset: stallAt });
    const phases: string[] = [];
    const running = client.install(request(), (progress: InstallProgress) => phases.push(progress.phase));
    await stall.stalled;
    running.cancel();
    stall.release();
    await expect(running.result).rejects.toMatchObject({ name: 'AbortError' });
    expect(phases).toContain('convert');
  });

  it('installs, lists and removes through the bridge', async () => {
    const plan = await client.plan(request());
    expect(plan.resumedBytes).toBeGreaterThan(0); // the cancelled install's ranges are kept
    const stored = await client.install(request()).result;
    expect((await client.list()).map((m) => [m.id, m.complete])).toEqual([[stored.id, true]]);
    expect(await client.findStored({ kind: 'hub', repo: TINY_REPO, revision: 'main', endpoint: hub.url }, 'auto')).toBe(stored.id);
    await client.remove(stored.id);
    expect(await client.list()).toEqual([]);
    expect(await client.estimate()).toEqual({ usage: 0, quota: 1e12 });
  });
});
