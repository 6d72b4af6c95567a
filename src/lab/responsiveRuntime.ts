/**
 * Keeps a worker responsive while the engine computes. onnxruntime-web's WASM backend resolves
 * `session.run` on microtasks only, so a generation loop never lets the worker's event loop take
 * a message: `cancel(jobId)` would arrive after the job ended. This wrapper gives the event loop a
 * turn before a run once `sliceMs` have passed since the last turn, which costs nothing on
 * WebGPU (already truly asynchronous) and well under a millisecond per slice on WASM.
 */
import type { Runtime, Session } from '../runtime/ort';

/** Resolves after one macrotask turn (MessageChannel: no 4 ms clamp as with nested setTimeout). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export function responsiveRuntime(runtime: Runtime, sliceMs = 8): Runtime {
  let lastTurn = performance.now();
  async function maybeYield(): Promise<void> {
    if (performance.now() - lastTurn < sliceMs) return;
    await yieldToEventLoop();
    lastTurn = performance.now();
  }
  const wrapSession = (session: Session): Session => ({
    get name() {
      return session.name;
    },
    get inputNames() {
      return session.inputNames;
    },
    get outputNames() {
      return session.outputNames;
    },
    async run(feeds, outputNames) {
      await maybeYield();
      return session.run(feeds, outputNames);
    },
    // Device-resident outputs (the WebGPU KV cache) pass through: dropping them would silently put
    // the engine back on the host cache.
    ...(session.runSplit
      ? {
          deviceOutputs: session.deviceOutputs,
          runSplit: async (feeds: Parameters<NonNullable<Session['runSplit']>>[0], outputNames?: readonly string[]) => {
            await maybeYield();
            return session.runSplit!(feeds, outputNames);
          },
        }
      : {}),
    release: () => session.release(),
  });
  return {
    backend: runtime.backend,
    description: runtime.description,
    createSession: async (name, model, options) => wrapSession(await runtime.createSession(name, model, options)),
  };
}
