import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplesCode } from '../../src/analysis/lens/kernel';
import { isCancellation, type EngineWorkerClient, type GenerateRequest } from '../../src/lab/workerApi';
import { startInProcessEngine, TINY_BUNDLE_DIR } from './engineWorkerBridge';

const PROMPT = 'Compose a happy rock piece, with a guitar melody. Use a fast tempo.';
const request: GenerateRequest = { prompt: PROMPT, frames: 6, seed: 42, topK: 250, temperature: 1, guidanceScale: 3 };
const L = 4; // models/tiny
const K = 4;

describe('lens service methods over comlink (tiny model, WASM in Node)', () => {
  let client: EngineWorkerClient;

  beforeAll(async () => {
    client = startInProcessEngine();
    await client.load({ bundleUrl: TINY_BUNDLE_DIR, backend: 'wasm' });
  });

  afterAll(() => client.terminate());

  it('generateLens: clips for the chosen depths plus the full model, the same audio as plain generation, measurements as [depths, K, steps]', async () => {
    const steps: number[] = [];
    const response = await client.generateLens({ ...request, depths: [2, 1] }, ({ step }) => steps.push(step)).result;
    expect(response.clips.map((clip) => clip.depth)).toEqual([1, 2, L]);
    const m = response.measurements;
    expect(m).toMatchObject({ depths: [1, 2, L], numCodebooks: K, steps: 9, frames: 6 });
    for (const values of [m.entropy, m.top1, m.agreement]) {
      expect(values).toBeInstanceOf(Float32Array);
      expect(values.length).toBe(3 * K * 9);
    }
    for (let k = 0; k < K; k++) for (let step = 0; step < 9; step++) if (samplesCode(k, step, 6)) expect(m.agreement[(2 * K + k) * 9 + step]).toBe(1);
    // The full-depth clip is what a plain generation of the same settings gives.
    const plain = await client.generate(request).result;
    expect(Array.from(response.clips[2].codes)).toEqual(Array.from(plain.clips[0].codes));
    expect(response.clips[2].samples.length).toBe(640 * 6);
    await expect.poll(() => steps.at(-1)).toBe(9);
  });

  it('teacherForcedLens over the full clip: every depth, KL 0 at the last', async () => {
    const lens = await client.generateLens({ ...request, depths: [] }).result;
    const depthsDone: number[] = [];
    const tf = await client.teacherForcedLens({ prompt: PROMPT, codes: lens.clips[0].codes, frames: 6, guidanceScale: 3 }, ({ step }) => depthsDone.push(step)).result;
    expect(tf).toMatchObject({ depths: [1, 2, 3, 4], numCodebooks: K, steps: 9, frames: 6 });
    expect(tf.kl).toBeInstanceOf(Float32Array);
    for (let k = 0; k < K; k++) for (let step = 0; step < 9; step++) if (samplesCode(k, step, 6)) expect(tf.kl[(3 * K + k) * 9 + step]).toBe(0);
    await expect.poll(() => depthsDone.length).toBe(L);
  });

  it('layerSimilarity: an L × L matrix over the prompts', async () => {
    const { prompt: _prompt, ...settings } = request;
    const similarity = await client.layerSimilarity({ ...settings, frames: 3, prompts: [PROMPT, 'Compose a slow jazz piece.'] }).result;
    expect(similarity).toMatchObject({ numLayers: L, prompts: 2 });
    expect(similarity.distances).toBeInstanceOf(Float32Array);
    expect(similarity.distances.length).toBe(L * L);
    expect(similarity.distances[1]).toBeGreaterThan(0);
    expect(similarity.distances[1]).toBe(similarity.distances[L]);
  });

  it('runs jobs one at a time: overlapping calls give what they give alone, and a queued job can be cancelled before it starts', async () => {
    const alone = await client.generateLens({ ...request, depths: [1] }).result;
    const started: string[] = [];
    const lens = client.generateLens({ ...request, depths: [1] }, () => started.push('lens'));
    const queued = client.generate({ ...request, frames: 500 }, () => started.push('cancelled job'));
    const plain = client.generate(request, () => started.push('generate'));
    queued.cancel();
    const [lensResult, queuedError, plainResult] = await Promise.all([lens.result, queued.result.then(() => null, (e: unknown) => e), plain.result]);
    expect(isCancellation(queuedError)).toBe(true);
    expect(started).not.toContain('cancelled job');
    // Progress of one job never interleaves with another's: all lens steps come first.
    expect(started.indexOf('generate')).toBeGreaterThan(started.lastIndexOf('lens'));
    expect(Array.from(lensResult.clips[0].codes)).toEqual(Array.from(alone.clips[0].codes));
    expect(Array.from(lensResult.measurements.entropy)).toEqual(Array.from(alone.measurements.entropy));
    expect(Array.from(plainResult.clips[0].codes)).toEqual(Array.from(alone.clips[1].codes));
  });

  it('cancels a lens run by id and reports bad depths readably', async () => {
    let cancelled = false;
    const job = client.generateLens({ ...request, frames: 500, depths: [1, 2, 3] }, () => {
      if (!cancelled) {
        cancelled = true;
        job.cancel();
      }
    });
    expect(isCancellation(await job.result.then(() => null, (e: unknown) => e))).toBe(true);
    await expect(client.generateLens({ ...request, depths: [9] }).result).rejects.toThrow(/depth 9 is out of range 1\.\.4/);
  });
});
