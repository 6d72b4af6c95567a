/**
 * Interventions end to end on the tiny model: means of two concepts, one intervention, and the
 * full sweep in one batch and in chunks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSites } from '../../../src/analysis/interventions/kernel';
import { runIntervention, runSweep } from '../../../src/analysis/interventions/run';
import type { RunProgress } from '../../../src/analysis/means/progress';
import { meansOf } from '../../../src/analysis/means/kernel';
import type { MeansSettings } from '../../../src/analysis/means/key';
import { computeMeans } from '../../../src/analysis/means/run';
import type { MusicgenEngine } from '../../../src/engine/engine';
import type { HookName } from '../../../src/engine/hooks';
import { siteHook } from '../../../src/analysis/interventions/kernel';
import { tinyEngine } from '../tinyEngine';

const settings: MeansSettings = { frames: 8, topK: 250, temperature: 1, guidanceScale: 3, greedy: false };
const prompt = 'Compose a happy rock piece, with a guitar melody. Use a fast tempo.';

describe('interventions on the tiny model', () => {
  let engine: MusicgenEngine;
  let guitar: Map<HookName, Float32Array>;
  let piano: Map<HookName, Float32Array>;

  beforeAll(async () => {
    engine = await tinyEngine();
    const hooks = allSites(engine.manifest.config.numLayers).map(siteHook);
    const concept = async (instrument: string) =>
      meansOf(await computeMeans(engine, { prompts: ['happy rock', 'sad pop', 'fast jazz'].map((rest) => `Compose a ${rest} piece, with a ${instrument} melody.`), hooks, settings, seed: 42 }));
    [guitar, piano] = [await concept('guitar'), await concept('piano')];
  });
  afterAll(() => engine.release());

  const last = () => engine.manifest.config.numLayers - 1;
  const lastLayer = () => (['attn', 'cross_attn', 'mlp'] as const).map((module) => ({ layer: last(), module }));

  it("replacing every site of the last layer with the desired concept's mean changes the tokens", async () => {
    const { original, intervened } = await runIntervention(engine, { prompt, settings, seed: 42, intervention: { method: 'replace', sites: lastLayer() }, from: guitar, to: piano });
    expect(intervened.length).toBe(original.length);
    expect(Array.from(intervened)).not.toEqual(Array.from(original));
  });

  it('a no-op intervention (adjust by mean − itself) leaves the tokens bit-identical', async () => {
    const { original, intervened } = await runIntervention(engine, { prompt, settings, seed: 42, intervention: { method: 'adjust', sites: allSites(engine.manifest.config.numLayers) }, from: guitar, to: guitar });
    expect(Array.from(intervened)).toEqual(Array.from(original));
  });

  it('a frame window leaves every code sampled before its first step untouched', async () => {
    const { original, intervened } = await runIntervention(engine, { prompt, settings, seed: 42, intervention: { method: 'replace', sites: lastLayer(), frames: [4, 8] }, from: guitar, to: piano });
    const frames = settings.frames;
    // code (k, f) is sampled at decoder step f + k; the window starts at step 4
    for (let k = 0; k < 4; k++) for (let f = 0; f + k < 4; f++) expect(intervened[k * frames + f], `codebook ${k} frame ${f}`).toBe(original[k * frames + f]);
    expect(Array.from(intervened)).not.toEqual(Array.from(original));
  });

  it('sweeps every site × {replace, adjust}; a sweep in several chunks equals one batch', async () => {
    const L = engine.manifest.config.numLayers;
    const progress: RunProgress[] = [];
    const oneBatch = await runSweep(engine, { prompt, settings, seed: 42, from: guitar, to: piano, rowsPerChunk: 1000 });
    const chunked = await runSweep(engine, { prompt, settings, seed: 42, from: guitar, to: piano, rowsPerChunk: 7, onProgress: (p) => progress.push(p) });
    expect(oneBatch.chunks).toBe(1);
    expect(chunked.chunks).toBe(Math.ceil((L * 3 * 2 + 1) / 7));
    expect(oneBatch.cells).toHaveLength(L * 3 * 2);
    expect(Array.from(chunked.baseline)).toEqual(Array.from(oneBatch.baseline));
    chunked.cells.forEach(({ cell, codes }, i) => {
      expect(cell).toEqual(oneBatch.cells[i].cell);
      expect(Array.from(codes), `${cell.method} ${cell.layer} ${cell.module}`).toEqual(Array.from(oneBatch.cells[i].codes));
    });
    // The baseline is the plain generation; the last layer's replaces change something.
    const plain = await engine.generate({ prompts: [prompt], rows: [{ prompt: 0 }], frames: settings.frames, seed: 42 });
    expect(Array.from(oneBatch.baseline)).toEqual(Array.from(plain.rows[0].codes));
    expect(oneBatch.cells.filter(({ cell }) => cell.method === 'replace' && cell.layer === L - 1).some(({ codes }) => Array.from(codes).join() !== Array.from(oneBatch.baseline).join())).toBe(true);
    // Progress per chunk, ending with every row.
    expect(progress.some((p) => p.label.includes(`chunk ${chunked.chunks}/${chunked.chunks}`))).toBe(true);
    expect(progress.at(-1)).toMatchObject({ done: L * 6 + 1, total: L * 6 + 1 });
  });

  it('fails before the first step when a mean is missing', async () => {
    const partial = new Map([...piano].filter(([hook]) => !hook.endsWith('mlp_out')));
    await expect(runSweep(engine, { prompt, settings, seed: 42, from: guitar, to: partial })).rejects.toThrow(/desired concept's means have no blocks\.0\.hook_mlp_out/);
  });
});
