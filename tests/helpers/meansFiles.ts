/**
 * Means-file fixtures the tests share: a means key with the study's sampling, and a finished means
 * file as another model would write it (same format, another model name and bundle digest).
 */
import { allSites, siteHook } from '../../src/analysis/interventions/kernel';
import { createMeanSums } from '../../src/analysis/means/kernel';
import type { MeansKey } from '../../src/analysis/means/key';
import { encodeMeans } from '../../src/analysis/means/meansFile';

/** The tiny model's key for 2 prompts of 10 frames, seed 42, top-k 250, temperature 1, guidance 3; `patch` replaces fields. */
export function testMeansKey(patch: Partial<MeansKey> = {}): MeansKey {
  return {
    bundle: 'a'.repeat(64),
    modelName: 'tiny',
    settings: { frames: 10, topK: 250, temperature: 1, guidanceScale: 3, greedy: false },
    promptSet: 'b'.repeat(64),
    promptCount: 2,
    seedPolicy: { kind: 'same-seed-every-prompt', seed: 42 },
    ...patch,
  };
}

export interface ForeignMeansOptions {
  /** Layers of the model the file is imported into: the file has every site of each. */
  layers: number;
  frames: number;
  prompt: string;
  /** Width of the residual stream (default 64, the tiny model's). */
  hiddenSize?: number;
}

/** A finished one-prompt means file of musicgen-small (bundle f…f), in the lab's format, all zeros. */
export function foreignMeansFile({ layers, frames, prompt, hiddenSize = 64 }: ForeignMeansOptions): Uint8Array {
  const key = testMeansKey({
    bundle: 'f'.repeat(64),
    modelName: 'musicgen-small',
    settings: { ...testMeansKey().settings, frames },
    promptSet: 'a'.repeat(64),
    promptCount: 1,
  });
  const sums = createMeanSums(allSites(layers).map(siteHook), frames + 3, hiddenSize); // steps = frames + 3 (the delay pattern)
  sums.count = 1;
  return encodeMeans(sums, key, [prompt]);
}
