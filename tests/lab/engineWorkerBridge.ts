/**
 * The lab's worker bridge without a browser: the real engine service exposed over comlink on a
 * MessageChannel (what a Worker is to comlink), running the bundled tiny model on
 * onnxruntime-web's WASM build in Node.
 */
import { fileURLToPath } from 'node:url';
import * as Comlink from 'comlink';
import { nodeBundleFiles } from '../../src/bundle/nodeBundleFiles';
import { createEngineService } from '../../src/lab/engineService';
import { EngineWorkerClient } from '../../src/lab/workerApi';
import { createRuntime } from '../../src/runtime/ort';
import { probeWebGpu } from '../../src/runtime/webGpuAdapter';

export const TINY_BUNDLE_DIR = fileURLToPath(new URL('../../models/tiny/', import.meta.url));

export function startInProcessEngine(): EngineWorkerClient {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(createEngineService({ openBundle: (dir) => nodeBundleFiles(dir), createRuntime: (backend) => createRuntime(backend), probeWebGpu }), port1);
  return new EngineWorkerClient(port2 as unknown as Comlink.Endpoint, () => {
    port1.close();
    port2.close();
  });
}
