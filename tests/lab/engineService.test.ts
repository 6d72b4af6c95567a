import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBundleFiles } from '../../src/bundle/nodeBundleFiles';
import { createEngineService } from '../../src/lab/engineService';
import { EngineWorkerClient, isCancellation, type GenerateRequest, type ModelInfo } from '../../src/lab/workerApi';
import { createRuntime, type Feeds, type Runtime } from '../../src/runtime/ort';
import { startInProcessEngine, TINY_BUNDLE_DIR } from './engineWorkerBridge';

const request: GenerateRequest = { prompt: 'Compose a happy rock piece, with a guitar melody. Use a fast tempo.', frames: 10, seed: 42, topK: 250, temperature: 1, guidanceScale: 3 };

describe('engine service over comlink (tiny model, WASM in Node)', () => {
  let client: EngineWorkerClient;
  let info: ModelInfo;

  beforeAll(async () => {
    client = startInProcessEngine();
    const progress: number[] = [];
    info = await client.load({ bundleUrl: TINY_BUNDLE_DIR, backend: 'auto' }, (p) => progress.push(p.done));
    expect(progress.length).toBeGreaterThan(0);
  });

  afterAll(() => client.terminate());

  it('falls back from WebGPU to WASM and says why (Node has no navigator.gpu)', () => {
    expect(info).toMatchObject({ name: 'tiny', numLayers: 4, sampleRate: 32000, samplesPerFrame: 640, backend: 'wasm' });
    expect(info.fallbackReason).toMatch(/WebGPU/);
    expect(info.backendDetail).toMatch(/WASM/);
    expect(info.preference).toBe('auto');
    expect(info.wasmThreads).toBe(1);
  });

  it('generates audio of 640 samples per frame, reporting every decoder step', async () => {
    const steps: string[] = [];
    const job = client.generate(request, ({ step, steps: total }) => steps.push(`${step}/${total}`));
    const response = await job.result;
    expect(response.frames).toBe(10);
    expect(response.sampleRate).toBe(32000);
    expect(response.clips).toHaveLength(1);
    const [clip] = response.clips;
    expect(clip.depth).toBe(4);
    expect(clip.samples).toBeInstanceOf(Float32Array);
    expect(clip.samples.length).toBe(640 * 10);
    expect(clip.codes.length).toBe(4 * 10);
    expect(clip.samples.some((x) => x !== 0)).toBe(true);
    // frames + K - 1 decoder steps (delay pattern), reported in order.
    await expect.poll(() => steps.length).toBe(13);
    expect(steps.at(-1)).toBe('13/13');
  });

  it('is deterministic for a seed', async () => {
    const [a, b] = await Promise.all([client.generate(request).result, client.generate(request).result]);
    expect(Array.from(a.clips[0].codes)).toEqual(Array.from(b.clips[0].codes));
  });

  it('returns one clip per DecoderLens depth, in the requested order', async () => {
    const response = await client.generate({ ...request, depths: [1, 2, 3, 4] }).result;
    expect(response.clips.map((clip) => clip.depth)).toEqual([1, 2, 3, 4]);
    for (const clip of response.clips) expect(clip.samples.length).toBe(640 * 10);
    // Different depths are different computations: at least one differs from the full model.
    const full = Array.from(response.clips[3].codes);
    expect(response.clips.slice(0, 3).some((clip) => Array.from(clip.codes).join() !== full.join())).toBe(true);
  });

  it('cancels a running job by id', async () => {
    let cancelled = false;
    const job = client.generate({ ...request, frames: 500 }, () => {
      if (!cancelled) {
        cancelled = true;
        job.cancel();
      }
    });
    const error = await job.result.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isCancellation(error), String(error)).toBe(true);
    // The service is still usable afterwards.
    expect((await client.generate({ ...request, frames: 2 }).result).frames).toBe(2);
  });

  it('keeps the loaded model when a later load fails', async () => {
    await expect(client.load({ bundleUrl: '/nonexistent/bundle/', backend: 'wasm' })).rejects.toThrow(/manifest\.json/);
    const response = await client.generate({ ...request, frames: 2 }).result;
    expect(response.frames).toBe(2);
    expect(response.backend).toBe('wasm');
  });

  it('rejects with a readable error for a missing bundle, and keeps working', async () => {
    const other = startInProcessEngine();
    try {
      await expect(other.load({ bundleUrl: '/nonexistent/bundle/', backend: 'wasm' })).rejects.toThrow(/manifest\.json/);
      await expect(other.generate(request).result).rejects.toThrow(/no model is loaded/);
    } finally {
      other.terminate();
    }
  });
});

/**
 * A WebGPU stand-in: onnxruntime-web's WASM underneath, a real-GPU adapter on top, and a device
 * that is lost at a chosen session run (its runs then fail, as a lost device's do).
 */
function flakyGpuRuntime(loseAtRun: number): Promise<Runtime> {
  return createRuntime('wasm').then((wasm) => {
    let runs = 0;
    let markLost: (reason: string) => void = () => {};
    const deviceLost = new Promise<string>((resolve) => (markLost = resolve));
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
            if (++runs >= loseAtRun) {
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

const GPU = { vendor: 'testvendor', architecture: 'testarch', device: '', description: '', isFallbackAdapter: false };

function engineWith(createGpu: () => Promise<Runtime>): EngineWorkerClient {
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

describe('engine service when the WebGPU device is lost', () => {
  it('reloads on WASM, re-runs the job there, reports the change, and gives the same audio as WASM', async () => {
    let created = 0;
    // The first GPU runtime is the loaded model's; the agreement check needs its runs to work, so
    // the device is lost a few runs into the generation.
    const client = engineWith(() => flakyGpuRuntime(++created === 1 ? 60 : Infinity));
    try {
      const info = await client.load({ bundleUrl: TINY_BUNDLE_DIR, backend: 'auto' });
      expect(info).toMatchObject({ backend: 'webgpu', adapter: GPU });
      const response = await client.generate(request).result;
      expect(response.backend).toBe('wasm');
      expect(response.backendChange).toMatchObject({ backend: 'wasm', preference: 'auto' });
      expect(response.backendChange?.fallbackReason).toMatch(/WebGPU stopped during a run \(the WebGPU device was lost.*re-ran the job/);
      // Nothing lost: the job's result is the full, seeded result.
      const wasm = startInProcessEngine();
      try {
        await wasm.load({ bundleUrl: TINY_BUNDLE_DIR, backend: 'wasm' });
        const expected = await wasm.generate(request).result;
        expect(Array.from(response.clips[0].codes)).toEqual(Array.from(expected.clips[0].codes));
      } finally {
        wasm.terminate();
      }
      // Later jobs stay on WASM.
      expect((await client.generate({ ...request, frames: 2 }).result).backend).toBe('wasm');
    } finally {
      client.terminate();
    }
  });

  it('does the same for a DecoderLens job: re-run on WASM, measurements and all', async () => {
    let created = 0;
    const client = engineWith(() => flakyGpuRuntime(++created === 1 ? 60 : Infinity));
    try {
      await client.load({ bundleUrl: TINY_BUNDLE_DIR, backend: 'webgpu' });
      const response = await client.generateLens({ ...request, depths: [1, 2] }).result;
      expect(response.backend).toBe('wasm');
      expect(response.backendChange?.backend).toBe('wasm');
      expect(response.clips.map((clip) => clip.depth)).toEqual([1, 2, 4]);
      expect(response.measurements.entropy.length).toBe(3 * 4 * 13);
    } finally {
      client.terminate();
    }
  });
});
