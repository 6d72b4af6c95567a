/**
 * The layer self-similarity runner: generates each prompt with the full model, sums every layer's
 * resid_post (conditional branch) over the decoder steps as they stream past, and averages the
 * per-prompt distance matrices. Prompts run in batches of `batchSize` rows.
 */
import type { MusicgenEngine } from '../../engine/engine';
import type { GenerationHandler } from '../../engine/handlers';
import type { HookName } from '../../engine/hooks';
import { throwIfAborted } from '../../engine/loadedModel';
import type { GenerateOptions } from '../../engine/types';
import { addToSum, emptyTimeSums, meanMatrix, pairwiseEuclidean, timeAverages, type TimeSums } from './kernel';

export interface LayerSimilarity {
  numLayers: number;
  prompts: number; // how many prompts were averaged
  distances: Float32Array; // [layers, layers]: Euclidean distance of time-averaged resid_post, mean over prompts
}

export interface SimilarityRequest extends Omit<GenerateOptions, 'rows' | 'handlers' | 'capture' | 'onProgress'> {
  prompts: readonly string[];
  batchSize?: number; // prompts per batched generation (default 4)
  /** step counts over all batches: steps · batches in total. */
  onProgress?: (progress: { step: number; steps: number }) => void;
}

/** Sums resid_post of every layer over the steps, per request row, from the conditional batch rows. */
export function createResidualSumHandler(rows: number, numLayers: number, d: number): GenerationHandler & { sums: TimeSums[] } {
  const sums = Array.from({ length: rows }, () => emptyTimeSums(numLayers, d));
  const sites = Array.from({ length: numLayers }, (_, layer): HookName => `blocks.${layer}.hook_resid_post`);
  return {
    sums,
    sites,
    onActivation(hook, data /* [b_l, 1, d] */, batchRows, { step, slotRows }) {
      const layer = Number(hook.split('.')[1]);
      for (let slot = 0; slot < batchRows / 2; slot++) {
        const target = sums[slotRows[slot]];
        addToSum(target, layer, data.subarray(2 * slot * d, (2 * slot + 1) * d)); // cond row of the slot
        if (layer === 0) target.count = step + 1;
      }
    },
  };
}

export async function runLayerSimilarity(engine: MusicgenEngine, request: SimilarityRequest): Promise<LayerSimilarity> {
  const { numLayers: L, hiddenSize: d } = engine.manifest.config;
  const { prompts, batchSize = 4, onProgress, ...options } = request;
  if (prompts.length === 0) throw new Error('no prompts to compare layers on');
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const batches = Math.ceil(prompts.length / batchSize);
  const matrices: Float32Array[] = [];
  for (let batch = 0; batch < batches; batch++) {
    throwIfAborted(options.signal, 'the layer similarity');
    const chunk = prompts.slice(batch * batchSize, (batch + 1) * batchSize);
    const handler = createResidualSumHandler(chunk.length, L, d);
    await engine.generate({
      ...options,
      prompts: chunk,
      rows: chunk.map((_, prompt) => ({ prompt })),
      handlers: [handler],
      onProgress: ({ step, steps }) => onProgress?.({ step: batch * steps + step, steps: batches * steps }),
    });
    for (const sums of handler.sums) matrices.push(pairwiseEuclidean(timeAverages(sums), L));
  }
  return { numLayers: L, prompts: prompts.length, distances: meanMatrix(matrices) };
}
