/**
 * A lab engine whose WebGPU device is lost on cue, without a GPU: onnxruntime-web's WASM build
 * underneath a real-GPU adapter, served by the real engine service over comlink. Its session runs
 * fail once the device is lost, as a lost device's do; the service then reloads on plain WASM.
 */
import * as Comlink from 'comlink';
import { nodeBundleFiles } from '../../src/bundle/nodeBundleFiles';
import { createEngineService } from '../../src/lab/engineService';
import { EngineWorkerClient } from '../../src/lab/workerApi';
import { createRuntime, type Feeds, type Runtime } from '../../src/runtime/ort';

export const GPU = { vendor: 'testvendor', architecture: 'testarch', device: '', description: '', isFallbackAdapter: false };

/** The WebGPU stand-in: its device is lost at session run `loseAt` (counting from 1), or at the first run once `loseAt()` says so. */
export function flakyGpuRuntime(loseAt: number | (() => boolean)): Promise<Runtime> {
  return createRuntime('wasm').then((wasm) => {
    let runs = 0;
    let markLost: (reason: string) => void = () => {};
    const deviceLost = new Promise<string>((resolve) => (markLost = resolve));
    const lost = () => (typeof loseAt === 'number' ? runs >= loseAt : loseAt());
    return {
      backend: 'webgpu' as const,
      description: 'test GPU',
      adapter: GPU,
      deviceLost,
      async createSession(name: string, model: Uint8Array) {
        const session = await wasm.createSession(name, model);
        return {
          name,
          inputNames: session.inputNames,
          outputNames: session.outputNames,
          async run(feeds: Feeds, outputNames?: readonly string[]) {
            runs++;
            if (lost()) {
              markLost('the WebGPU device was lost (unknown: test)');
              throw new Error('GPU device lost');
            }
            return session.run(feeds, outputNames);
          },
          release: () => session.release(),
        };
      },
    };
  });
}

/** The engine service over a MessageChannel, its WebGPU runtimes made by `createGpu` (a real adapter is probed). */
export function engineWith(createGpu: () => Promise<Runtime>): EngineWorkerClient {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(
    createEngineService({
      openBundle: (dir) => nodeBundleFiles(dir),
      createRuntime: (backend) => (backend === 'webgpu' ? createGpu() : createRuntime(backend)),
      probeWebGpu: async () => ({ ok: true, adapter: GPU }),
    }),
    port1,
  );
  return new EngineWorkerClient(port2 as unknown as Comlink.Endpoint, () => {
    port1.close();
    port2.close();
  });
}

/** An engine whose first WebGPU runtime loses its device when `lose()` turns true (later ones never do). */
export function engineLosingGpuOnCue(lose: () => boolean): EngineWorkerClient {
  let created = 0;
  return engineWith(() => flakyGpuRuntime(++created === 1 ? lose : Infinity));
}
