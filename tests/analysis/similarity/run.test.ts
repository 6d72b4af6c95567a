import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { pairwiseEuclidean } from '../../../src/analysis/similarity/kernel';
import { runLayerSimilarity } from '../../../src/analysis/similarity/run';
import { nodeBundleFiles } from '../../../src/bundle/nodeBundleFiles';
import { MusicgenEngine } from '../../../src/engine/engine';
import type { HookName } from '../../../src/engine/hooks';
import { createRuntime } from '../../../src/runtime/ort';

const TINY_BUNDLE_DIR = fileURLToPath(new URL('../../../models/tiny/', import.meta.url));
const PROMPTS = [
  'Compose a happy rock piece, with a guitar melody. Use a fast tempo.',
  'Compose a groovy jazz piece, with a piano melody. Use a slow tempo.',
  'Compose an energetic electronic piece, with a flute melody. Use a medium tempo.',
];

let engine: MusicgenEngine;
beforeAll(async () => {
  engine = await MusicgenEngine.load(nodeBundleFiles(TINY_BUNDLE_DIR), await createRuntime('node'));
});

/** The same matrix from activations the engine's capture kept: time average of the cond branch, per layer. */
async function capturedMatrix(prompt: string, frames: number): Promise<Float32Array> {
  const { numLayers: L, hiddenSize: d } = engine.manifest.config;
  const hooks = Array.from({ length: L }, (_, l): HookName => `blocks.${l}.hook_resid_post`);
  const result = await engine.generate({ prompts: [prompt], frames, rows: [{ prompt: 0 }], capture: hooks });
  const means = new Float64Array(L * d); // [L, d]
  hooks.forEach((hook, l) => {
    const captured = result.rows[0].captures[hook]!; // [steps, 2, d]
    for (let step = 0; step < result.steps; step++) for (let x = 0; x < d; x++) means[l * d + x] += captured[step * 2 * d + x] / result.steps;
  });
  return pairwiseEuclidean(means, L);
}

describe('layer self-similarity', () => {
  it('is symmetric with a zero diagonal, and equals the mean of per-prompt matrices from captured activations', async () => {
    const frames = 4;
    const progress: string[] = [];
    const similarity = await runLayerSimilarity(engine, { prompts: PROMPTS, frames, batchSize: 2, onProgress: ({ step, steps }) => progress.push(`${step}/${steps}`) });
    const L = engine.manifest.config.numLayers;
    expect(similarity).toMatchObject({ numLayers: L, prompts: 3 });
    expect(similarity.distances.length).toBe(L * L);
    for (let i = 0; i < L; i++) {
      expect(similarity.distances[i * L + i]).toBe(0);
      for (let j = 0; j < L; j++) expect(similarity.distances[i * L + j]).toBe(similarity.distances[j * L + i]);
    }
    const steps = frames + 3;
    expect(progress.at(-1)).toBe(`${2 * steps}/${2 * steps}`); // two batches of `steps` steps each
    const perPrompt = await Promise.all(PROMPTS.map((prompt) => capturedMatrix(prompt, frames)));
    for (let i = 0; i < L * L; i++) {
      const expected = (perPrompt[0][i] + perPrompt[1][i] + perPrompt[2][i]) / 3;
      expect(similarity.distances[i]).toBeCloseTo(expected, 4);
    }
    expect(Math.max(...similarity.distances)).toBeGreaterThan(0);
  });

  it('refuses an empty prompt list', async () => {
    await expect(runLayerSimilarity(engine, { prompts: [], frames: 2 })).rejects.toThrow(/no prompts/);
  });
});
