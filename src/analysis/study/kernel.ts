/**
 * The study's numbers from per-prompt results (pure): effect and precision per sweep cell, and
 * DecoderLens recognisability (NDCG) per depth, each averaged over prompts with spread and count.
 */
import type { BlockModule } from '../../bundle/graphContract';
import { effect, ndcg, precision, softmaxRows, summarize } from '../metrics/kernel';
import type { SweepCell, SweepMethod } from '../interventions/sweep';

/** One prompt's sweep: effect and precision per cell, in sweepCells order. */
export interface SweepPromptResult {
  prompt: number; // index in the original concept's prompt set
  effect: number[];
  precision: number[];
}

/** One prompt's DecoderLens: NDCG per depth 1..L (index depth − 1). */
export interface LensPromptResult {
  concept: string;
  prompt: number;
  ndcg: number[];
}

export interface SweepRow {
  from: string;
  to: string;
  method: SweepMethod;
  layer: number; // 0-based
  module: BlockModule;
  effect: number;
  effectStd: number;
  precision: number;
  precisionStd: number;
  n: number;
}

export interface LensRow {
  concept: string;
  depth: number; // 1..L
  ndcg: number;
  ndcgStd: number;
  n: number;
}

/**
 * Effect and precision of every cell for one prompt, from classifier logits: `baseline` [classes]
 * (the unpatched clip) and `cells` [cells, classes] (each intervened clip, in cell order).
 */
export function sweepPromptMetrics(prompt: number, baselineLogits: Float32Array, cellLogits: Float32Array, classes: number, originalLabel: number, desiredLabel: number): SweepPromptResult {
  const [before] = softmaxRows(baselineLogits, classes);
  const after = softmaxRows(cellLogits, classes);
  return {
    prompt,
    effect: after.map((probs) => effect(before, probs, originalLabel, desiredLabel)),
    precision: after.map((probs) => precision(before, probs)),
  };
}

/** NDCG per depth for one prompt, from logits [depths, classes] (depth 1 first). */
export function lensPromptMetrics(concept: string, prompt: number, depthLogits: Float32Array, classes: number, relevantLabels: readonly number[]): LensPromptResult {
  return { concept, prompt, ndcg: softmaxRows(depthLogits, classes).map((probs) => ndcg(probs, relevantLabels)) };
}

export function summarizeSweep(from: string, to: string, cells: readonly SweepCell[], results: readonly SweepPromptResult[]): SweepRow[] {
  if (results.length === 0) throw new Error('no prompt has a sweep result yet');
  results.forEach((r) => {
    if (r.effect.length !== cells.length || r.precision.length !== cells.length) throw new Error(`prompt ${r.prompt}: ${r.effect.length} results for ${cells.length} cells`);
  });
  return cells.map((cell, i) => {
    const e = summarize(results.map((r) => r.effect[i]));
    const p = summarize(results.map((r) => r.precision[i]));
    return { from, to, method: cell.method, layer: cell.layer, module: cell.module, effect: e.mean, effectStd: e.std, precision: p.mean, precisionStd: p.std, n: e.n };
  });
}

export function summarizeLens(concept: string, numLayers: number, results: readonly LensPromptResult[]): LensRow[] {
  if (results.length === 0) throw new Error(`no prompt of ${concept} has a lens result yet`);
  return Array.from({ length: numLayers }, (_, i) => {
    const s = summarize(results.map((r) => {
      if (r.ndcg.length !== numLayers) throw new Error(`prompt ${r.prompt} of ${concept}: ${r.ndcg.length} depths, expected ${numLayers}`);
      return r.ndcg[i];
    }));
    return { concept, depth: i + 1, ndcg: s.mean, ndcgStd: s.std, n: s.n };
  });
}
