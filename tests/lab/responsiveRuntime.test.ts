import { describe, expect, it } from 'vitest';
import { responsiveRuntime } from '../../src/lab/responsiveRuntime';
import type { Runtime, Session } from '../../src/runtime/ort';

/** A runtime whose runs compute synchronously and resolve on microtasks, as onnxruntime-web's WASM does. */
function microtaskRuntime(runMs: number): Runtime {
  const session: Session = {
    name: 'busy',
    inputNames: ['x'],
    outputNames: ['y'],
    async run(feeds) {
      const until = performance.now() + runMs;
      while (performance.now() < until);
      return { y: feeds.x };
    },
    async release() {},
  };
  return { backend: 'wasm', description: 'busy test runtime', createSession: async () => session };
}

/** Runs `runs` sessions back to back; returns after how many runs a message posted at the start arrived. */
async function runsBeforeMessage(runtime: Runtime, runs: number): Promise<number | null> {
  const session = await runtime.createSession('busy', new Uint8Array(0));
  const channel = new MessageChannel();
  let done = 0;
  let arrivedAfter: number | null = null;
  channel.port1.onmessage = () => (arrivedAfter = done);
  channel.port2.postMessage('cancel');
  const x = { type: 'float32' as const, data: new Float32Array(1), dims: [1] };
  for (; done < runs; done++) await session.run({ x });
  await new Promise((resolve) => setTimeout(resolve, 20));
  channel.port1.close();
  return arrivedAfter;
}

describe('responsiveRuntime', () => {
  it('shows the problem: microtask-only runs starve the event loop until the loop ends', async () => {
    expect(await runsBeforeMessage(microtaskRuntime(2), 20)).toBe(20);
  });

  it('lets a message in within one time slice of runs', async () => {
    const arrivedAfter = await runsBeforeMessage(responsiveRuntime(microtaskRuntime(2), 8), 20);
    expect(arrivedAfter).not.toBeNull();
    expect(arrivedAfter!).toBeLessThanOrEqual(6); // 8 ms slices of 2 ms runs (+ scheduling slack)
  });

  it('passes the session through unchanged', async () => {
    const wrapped = responsiveRuntime(microtaskRuntime(0));
    expect(wrapped.backend).toBe('wasm');
    const session = await wrapped.createSession('busy', new Uint8Array(0));
    expect([session.name, session.inputNames, session.outputNames]).toEqual(['busy', ['x'], ['y']]);
    const x = { type: 'float32' as const, data: Float32Array.of(3), dims: [1] };
    expect((await session.run({ x })).y).toBe(x);
  });

  it('passes session options, device outputs and runSplit through (the WebGPU KV cache)', async () => {
    const seen: unknown[] = [];
    const deviceKey = { location: 'device' as const, type: 'float32' as const, dims: [1], dispose() {} };
    const inner: Runtime = {
      backend: 'webgpu',
      description: 'device test runtime',
      async createSession(name, _model, options) {
        seen.push(options);
        return {
          name,
          inputNames: ['x'],
          outputNames: ['y', 'present_key'],
          deviceOutputs: options?.deviceOutputs ?? [],
          run: async (feeds) => ({ y: feeds.x as never }),
          runSplit: async (feeds) => ({ host: { y: feeds.x as never }, device: { present_key: deviceKey } }),
          async release() {},
        };
      },
    };
    const session = await responsiveRuntime(inner).createSession('block_0', new Uint8Array(0), { deviceOutputs: ['present_key'] });
    expect(seen).toEqual([{ deviceOutputs: ['present_key'] }]);
    expect(session.deviceOutputs).toEqual(['present_key']);
    const x = { type: 'float32' as const, data: Float32Array.of(1), dims: [1] };
    const out = await session.runSplit!({ x, past_key: deviceKey });
    expect(out.device.present_key).toBe(deviceKey);
    expect(out.host.y).toBe(x);
  });

  it('offers no runSplit when the wrapped session has none', async () => {
    const session = await responsiveRuntime(microtaskRuntime(0)).createSession('busy', new Uint8Array(0));
    expect(session.runSplit).toBeUndefined();
  });
});
