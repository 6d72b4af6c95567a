import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCancellation, type EngineWorkerClient, type GenerateRequest, type ModelInfo } from '../../src/lab/workerApi';
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
