/**
 * The browser side of the memory check: the lab's engine worker, loaded and called exactly as the
 * lab page does (EngineWorkerClient, the UI's default settings), one generation per call.
 */
import { EngineWorkerClient } from '../../src/lab/workerApi';
import { DEFAULT_SETTINGS, toGenerateRequest } from '../../src/ui/state/settings';

let client: EngineWorkerClient | undefined;

const page = window as unknown as Record<string, unknown>;
page.memoryLoad = async (bundleUrl: string) => {
  client = EngineWorkerClient.start();
  const info = await client.load({ bundleUrl, backend: 'wasm' });
  return `${info.name} on ${info.backendDetail}`;
};
page.memoryGenerate = async (seconds: number) => {
  if (!client) throw new Error('memoryLoad first');
  const response = await client.generate(toGenerateRequest({ ...DEFAULT_SETTINGS, seconds })).result;
  return response.clips.length;
};
page.memoryReady = true;
