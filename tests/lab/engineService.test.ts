import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCancellation, type EngineWorkerClient, type GenerateRequest, type ModelInfo } from '../../src/lab/workerApi';
import { engineLosingGpuOnCue, engineWith, flakyGpuRuntime, GPU } from '../helpers/flakyGpuEngine';
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

  /** Loads on a WebGPU that is lost when `job` starts; returns the job's response and a second run's (nothing lost then). */
  async function losingDeviceDuring<T>(job: (client: EngineWorkerClient) => Promise<T>): Promise<{ response: T; again: T }> {
    let lose = false;
    const client = engineLosingGpuOnCue(() => lose);
    try {
      expect((await client.load({ bundleUrl: TINY_BUNDLE_DIR, backend: 'webgpu' })).backend).toBe('webgpu');
      lose = true;
      const response = await job(client);
      return { response, again: await job(client) };
    } finally {
      client.terminate();
    }
  }

  /** The same job on a plain WASM engine. */
  async function onWasm<T>(job: (client: EngineWorkerClient) => Promise<T>): Promise<T> {
    const wasm = startInProcessEngine();
    try {
      await wasm.load({ bundleUrl: TINY_BUNDLE_DIR, backend: 'wasm' });
      return await job(wasm);
    } finally {
      wasm.terminate();
    }
  }

  it('does the same for the teacher-forced lens, reporting the move to WASM', async () => {
    const teacher = (client: EngineWorkerClient) => client.teacherForcedLens({ prompt: request.prompt, codes: new Int32Array(4 * 5), frames: 5, guidanceScale: 3 }).result;
    const { response, again } = await losingDeviceDuring(teacher);
    expect(response.backendChange).toMatchObject({ backend: 'wasm', preference: 'webgpu' });
    expect(response.backendChange?.fallbackReason).toMatch(/WebGPU stopped during a run \(the WebGPU device was lost.*re-ran the job/);
    expect(Array.from(response.kl)).toEqual(Array.from((await onWasm(teacher)).kl)); // the whole job, re-run
    expect(again.backendChange).toBeUndefined();
  });

  it('does the same for means, sweeps and single interventions: re-run on WASM, the same result', async () => {
    const sampling = { frames: 3, seed: 42, topK: 250, temperature: 1, guidanceScale: 3 };
    const piano = { ...sampling, prompts: ['a calm piano', 'a soft piano'] };
    const guitar = { ...sampling, prompts: ['a loud guitar', 'a fast guitar'] };
    const bothMeans = async (client: EngineWorkerClient) => ({
      from: await client.interventions.computeMeans(piano).result,
      to: await client.interventions.computeMeans(guitar).result,
    });
    // Each job's codes (baseline and every cell, or original and intervened) and backend change.
    const sweep = async (client: EngineWorkerClient) => {
      const { from, to } = await bothMeans(client);
      const r = await client.interventions.sweep({ prompt: 'a calm piano', fromKeyId: from.keyId, toKeyId: to.keyId }).result;
      return { backendChange: r.backendChange, codes: [r.baseline, ...r.cells].map((clip) => Array.from(clip.codes)) };
    };
    const intervene = async (client: EngineWorkerClient) => {
      const { from, to } = await bothMeans(client);
      const sites = [{ layer: 3, module: 'mlp' as const }];
      const r = await client.interventions.intervene({ prompt: 'a calm piano', method: 'adjust', sites, fromKeyId: from.keyId, toKeyId: to.keyId }).result;
      return { backendChange: r.backendChange, codes: [r.original, r.intervened].map((clip) => Array.from(clip.codes)) };
    };

    // Means: the device is lost while the first concept's means are computed.
    const means = await losingDeviceDuring((client) => client.interventions.computeMeans(piano).result);
    expect(means.response.backendChange).toMatchObject({ backend: 'wasm', preference: 'webgpu' });
    expect(means.response).toMatchObject({ state: 'done', count: 2 });
    expect(means.again).toMatchObject({ state: 'done', keyId: means.response.keyId });
    expect(means.again.backendChange).toBeUndefined();

    // Sweep and single intervention: means made on the GPU, the device lost when the job starts.
    for (const job of [sweep, intervene] as const) {
      let lose = false;
      const client = engineLosingGpuOnCue(() => lose);
      try {
        await client.load({ bundleUrl: TINY_BUNDLE_DIR, backend: 'webgpu' });
        await bothMeans(client);
        lose = true;
        const response = await job(client);
        expect(response.backendChange?.fallbackReason).toMatch(/WebGPU stopped during a run \(the WebGPU device was lost.*re-ran the job/);
        const expected = await onWasm(job);
        expect(response.codes.length).toBeGreaterThanOrEqual(2);
        expect(response.codes).toEqual(expected.codes);
      } finally {
        client.terminate();
      }
    }
  });

  it('does the same for the layer similarity, reporting the move to WASM', async () => {
    const similarity = (client: EngineWorkerClient) => client.layerSimilarity({ frames: 3, seed: 42, topK: 250, temperature: 1, guidanceScale: 3, prompts: ['one', 'two'] }).result;
    const { response, again } = await losingDeviceDuring(similarity);
    expect(response.backendChange).toMatchObject({ backend: 'wasm', preference: 'webgpu' });
    expect(response.backendChange?.fallbackReason).toMatch(/WebGPU stopped during a run \(the WebGPU device was lost.*re-ran the job/);
    expect(Array.from(response.distances)).toEqual(Array.from((await onWasm(similarity)).distances));
    expect(again.backendChange).toBeUndefined();
  });
});
