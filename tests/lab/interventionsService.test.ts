/**
 * The engine worker's interventions methods over comlink on a MessageChannel, on the bundled tiny
 * model (4 layers) in WASM: means with their size up front, cancel keeping finished batches and
 * resuming, reuse, export and import (a foreign file refused with the reason), the sweep and a
 * single intervention.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeansRequest, RunProgress } from '../../src/lab/interventionsApi';
import { isCancellation, type EngineWorkerClient } from '../../src/lab/workerApi';
import { foreignMeansFile } from '../helpers/meansFiles';
import { startInProcessEngine, TINY_BUNDLE_DIR } from './engineWorkerBridge';

const LAYERS = 4;
const sampling = { frames: 4, seed: 42, topK: 250, temperature: 1, guidanceScale: 3 };
const guitar: MeansRequest = { ...sampling, prompts: ['Compose a happy rock piece, with a guitar melody. Use a fast tempo.', 'Compose a sad rock piece, with a guitar melody. Use a slow tempo.'] };
const piano: MeansRequest = { ...sampling, prompts: ['Compose a happy rock piece, with a piano melody. Use a fast tempo.', 'Compose a sad rock piece, with a piano melody. Use a slow tempo.'] };

describe('interventions over comlink (tiny model, WASM in Node)', () => {
  let client: EngineWorkerClient;

  beforeAll(async () => {
    client = startInProcessEngine();
    await client.load({ bundleUrl: TINY_BUNDLE_DIR, backend: 'wasm' });
  });

  afterAll(() => client.terminate());

  it('tells the size and state of means before computing them', async () => {
    const status = await client.interventions.meansStatus(guitar);
    // 3·L hooks × (frames + K − 1) steps × 2 branches × d (tiny: 64) × 4 bytes
    expect(status).toMatchObject({ state: 'none', count: 0, total: 2, steps: 7, bytes: 3 * LAYERS * 7 * 2 * 64 * 4 });
    expect(status.keyId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('computes means with progress, then reuses them', async () => {
    const progress: RunProgress[] = [];
    const done = await client.interventions.computeMeans(guitar, (p) => progress.push(p)).result;
    expect(done).toMatchObject({ state: 'done', count: 2, total: 2 });
    await expect.poll(() => progress.some((p) => p.done === 2)).toBe(true);
    expect(progress[0]).toMatchObject({ done: 0, total: 2 });
    expect(await client.interventions.meansStatus(guitar)).toMatchObject({ state: 'done', keyId: done.keyId });
    const again: RunProgress[] = [];
    expect(await client.interventions.computeMeans(guitar, (p) => again.push(p)).result).toMatchObject({ state: 'done', keyId: done.keyId });
    expect(again).toEqual([]); // reused: nothing generated
  });

  it('keeps the finished batches of a cancelled run and resumes from them', async () => {
    const request: MeansRequest = { ...piano, prompts: [...piano.prompts, 'Compose a calm jazz piece, with a piano melody. Use a slow tempo.'], budgetBytes: 1 };
    expect((await client.interventions.meansStatus(request)).promptsPerBatch).toBe(1); // a batch per prompt
    const job = client.interventions.computeMeans(request, (p) => {
      if (p.label.includes('batch 2/3')) job.cancel();
    });
    const error = await job.result.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isCancellation(error), String(error)).toBe(true);
    const partial = await client.interventions.meansStatus(request);
    expect(partial).toMatchObject({ state: 'partial', count: 1, total: 3 });
    const resumed: RunProgress[] = [];
    expect(await client.interventions.computeMeans(request, (p) => resumed.push(p)).result).toMatchObject({ state: 'done', count: 3, keyId: partial.keyId });
    await expect.poll(() => resumed.length).toBeGreaterThan(0);
    expect(resumed[0]).toMatchObject({ done: 1, total: 3 }); // starts after the kept prompt
    // The batch budget is not part of the key: the same means in one batch are the same key.
    expect(await client.interventions.meansStatus({ ...request, budgetBytes: undefined })).toMatchObject({ state: 'done', keyId: partial.keyId });
  });

  it('exports a means file and imports it back under the same key', async () => {
    const status = await client.interventions.meansStatus(guitar);
    const bytes = await client.interventions.exportMeans(status.keyId);
    expect(bytes.length).toBeGreaterThan(status.bytes);
    const imported = await client.interventions.importMeans(bytes, 'guitar.safetensors');
    expect(imported).toMatchObject({ keyId: status.keyId, state: 'done', count: 2, prompts: guitar.prompts, settings: sampling });
  });

  it('refuses a means file of another model, saying so', async () => {
    const foreign = foreignMeansFile({ layers: LAYERS, frames: 4, prompt: 'x' });
    await expect(client.interventions.importMeans(foreign, 'small.safetensors')).rejects.toThrow(/small\.safetensors: these means belong to another model \("musicgen-small"/);
    await expect(client.interventions.importMeans(new TextEncoder().encode('not safetensors at all'), 'notes.txt')).rejects.toThrow(/notes\.txt: not a means file/);
  });

  it('sweeps every site × {replace, adjust} for a prompt and returns audio per cell', async () => {
    const from = await client.interventions.meansStatus(guitar);
    const to = await client.interventions.meansStatus(piano);
    await client.interventions.computeMeans(piano).result;
    const progress: RunProgress[] = [];
    const response = await client.interventions.sweep({ prompt: guitar.prompts[0], fromKeyId: from.keyId, toKeyId: to.keyId, rowsPerChunk: 9 }, (p) => progress.push(p)).result;
    expect(response.cells).toHaveLength(2 * 3 * LAYERS);
    expect(response.chunks).toBe(Math.ceil((2 * 3 * LAYERS + 1) / 9));
    expect(response.cells[0]).toMatchObject({ method: 'replace', layer: 0, module: 'attn' });
    expect(response.cells.at(-1)).toMatchObject({ method: 'adjust', layer: LAYERS - 1, module: 'mlp' });
    for (const clip of [response.baseline, ...response.cells]) {
      expect(clip.samples.length).toBe(640 * 4);
      expect(clip.codes.length).toBe(4 * 4);
    }
    // Replacing the last layer's MLP output with the desired mean changes what is sampled.
    const lastMlp = response.cells.find((c) => c.method === 'replace' && c.layer === LAYERS - 1 && c.module === 'mlp')!;
    expect(Array.from(lastMlp.codes)).not.toEqual(Array.from(response.baseline.codes));
    await expect.poll(() => progress.some((p) => /chunk 3\/3/.test(p.label))).toBe(true);
  });

  it('runs a single intervention next to the original, and refuses unknown means', async () => {
    const from = await client.interventions.meansStatus(guitar);
    const to = await client.interventions.meansStatus(piano);
    const sites = [{ layer: LAYERS - 1, module: 'mlp' as const }];
    const steer = await client.interventions.intervene({ prompt: guitar.prompts[0], method: 'steer', alpha: 0, sites, fromKeyId: from.keyId, toKeyId: to.keyId }).result;
    expect(Array.from(steer.intervened.codes)).toEqual(Array.from(steer.original.codes)); // α = 0 adds nothing
    const replace = await client.interventions.intervene({ prompt: guitar.prompts[0], method: 'replace', sites, toKeyId: to.keyId, frameWindow: [0, 2] }).result;
    expect(replace.intervened.samples.length).toBe(640 * 4);
    await expect(client.interventions.intervene({ prompt: 'x', method: 'replace', sites, toKeyId: '0123456789abcdef' }).result).rejects.toThrow(/not computed yet/);
  });
});
