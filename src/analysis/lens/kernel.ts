/**
 * DecoderLens measurements, pure: distribution statistics of logit vectors, KL divergence, and the
 * [depths, K, steps] arrays they fill. Steps follow the delay pattern (decoder step s samples
 * codebook k's frame s - k), so cells where a codebook samples nothing hold NaN.
 */
import { delay } from '../../engine/delayPattern';

/** Softmax statistics of one logit vector. */
export interface DistributionStats {
  entropy: number; // nats
  top1: number; // probability of the most likely token
  argmax: number; // its id (the first one on ties)
}

/** Entropy, top-1 probability and argmax of softmax(logits), stable for any logit range; -Infinity allowed. */
export function distributionStats(logits: Float32Array /* [V] */): DistributionStats {
  if (logits.length === 0) throw new Error('logits must not be empty');
  let argmax = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[argmax]) argmax = i;
  const max = logits[argmax];
  if (!Number.isFinite(max)) throw new Error(`the largest logit is ${max}; expected a finite number`);
  let partition = 0; // Z = Σ exp(x - max)
  let weighted = 0; // Σ exp(x - max) · (x - max)
  for (let i = 0; i < logits.length; i++) {
    const shifted = logits[i] - max;
    if (shifted === -Infinity) continue; // p = 0 contributes nothing (and 0 · -∞ would be NaN)
    const weight = Math.exp(shifted);
    partition += weight;
    weighted += weight * shifted;
  }
  // H = -Σ p log p with log p = (x - max) - log Z  =>  H = log Z - Σ p (x - max)
  return { entropy: Math.max(0, Math.log(partition) - weighted / partition), top1: 1 / partition, argmax };
}

function logPartition(logits: Float32Array, max: number): number {
  let partition = 0;
  for (let i = 0; i < logits.length; i++) partition += Math.exp(logits[i] - max);
  return max + Math.log(partition);
}

function maxOf(logits: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  if (!Number.isFinite(max)) throw new Error(`the largest logit is ${max}; expected a finite number`);
  return max;
}

/** KL(softmax(p) ‖ softmax(q)) in nats, from logits; Infinity where q gives 0 to a token p does not. */
export function klDivergence(p: Float32Array /* [V] */, q: Float32Array /* [V] */): number {
  if (p.length !== q.length) throw new Error(`p has ${p.length} logits but q has ${q.length}`);
  const logZp = logPartition(p, maxOf(p));
  const logZq = logPartition(q, maxOf(q));
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    const logP = p[i] - logZp;
    if (logP === -Infinity) continue;
    kl += Math.exp(logP) * (logP - (q[i] - logZq));
  }
  return Math.max(0, kl); // rounding can leave -1e-17 for identical distributions
}

/** Whether decoder step `step` samples a real code of codebook k (delay pattern: frame step - k exists). */
export function samplesCode(k: number, step: number, frames: number): boolean {
  const frame = step - k;
  return frame >= 0 && frame < frames;
}

/**
 * What teacher forcing feeds: the delayed sequence's columns 0..steps-1, [K, steps], so that
 * position s predicts what generation step s sampled. `codes` [K, frames].
 */
export function teacherForcingInputs(codes: Int32Array, frames: number, K: number, special: number): Int32Array {
  const sequence = delay(codes, frames, K, special); // [K, frames+K]
  const columns = frames + K;
  const steps = columns - 1;
  const inputs = new Int32Array(K * steps); // [K, steps]
  for (let k = 0; k < K; k++) inputs.set(sequence.subarray(k * columns, k * columns + steps), k * steps);
  return inputs;
}

/** Shape shared by every lens array: rows are depths (decoder blocks used), ascending. */
export interface LensGrid {
  depths: number[];
  numCodebooks: number; // K
  steps: number; // decoder steps = frames + K - 1
  frames: number;
}

/** Measurements streamed from one batched DecoderLens generation. Arrays are [depths, K, steps]. */
export interface LensMeasurements extends LensGrid {
  entropy: Float32Array; // of the guided distribution, nats
  top1: Float32Array; // probability of its most likely token
  agreement: Float32Array; // 1 where the depth sampled the full model's token, else 0
}

/** The teacher-forced lens: each depth's guided next-token distribution against the final layer's. Arrays are [depths, K, steps]. */
export interface TeacherForcedLens extends LensGrid {
  kl: Float32Array; // KL(final ‖ depth), nats
  agreement: Float32Array; // 1 where the depth's argmax is the final layer's, else 0
}

function gridArray(grid: LensGrid): Float32Array {
  return new Float32Array(grid.depths.length * grid.numCodebooks * grid.steps).fill(NaN); // [depths, K, steps]
}

function gridIndex(grid: LensGrid, depthIndex: number, k: number, step: number): number {
  return (depthIndex * grid.numCodebooks + k) * grid.steps + step;
}

export function emptyLensMeasurements(grid: LensGrid): LensMeasurements {
  return { ...grid, depths: [...grid.depths], entropy: gridArray(grid), top1: gridArray(grid), agreement: gridArray(grid) };
}

export function emptyTeacherForcedLens(grid: LensGrid): TeacherForcedLens {
  return { ...grid, depths: [...grid.depths], kl: gridArray(grid), agreement: gridArray(grid) };
}

/**
 * Records one depth's step of a generation: `guided` [K, V] logits after guidance, `tokens` [K]
 * what the depth sampled, `fullTokens` [K] what the full model sampled at the same step.
 */
export function recordGenerationStep(
  measurements: LensMeasurements,
  depthIndex: number,
  step: number,
  guided: Float32Array, // [K, V]
  tokens: Int32Array, // [K]
  fullTokens: Int32Array, // [K]
): void {
  const { numCodebooks: K, frames } = measurements;
  const V = guided.length / K;
  for (let k = 0; k < K; k++) {
    if (!samplesCode(k, step, frames)) continue;
    const stats = distributionStats(guided.subarray(k * V, (k + 1) * V));
    const at = gridIndex(measurements, depthIndex, k, step);
    measurements.entropy[at] = stats.entropy;
    measurements.top1[at] = stats.top1;
    measurements.agreement[at] = tokens[k] === fullTokens[k] ? 1 : 0;
  }
}

/** Records one depth of the teacher-forced lens: guided logits [K, steps, V] of the depth and of the final layer. */
export function recordTeacherForcedDepth(
  lens: TeacherForcedLens,
  depthIndex: number,
  depthLogits: Float32Array, // [K, steps, V]
  finalLogits: Float32Array, // [K, steps, V]
): void {
  const { numCodebooks: K, steps, frames } = lens;
  if (depthLogits.length !== finalLogits.length || depthLogits.length % (K * steps) !== 0) {
    throw new Error(`logits have ${depthLogits.length} and ${finalLogits.length} values, expected [${K}, ${steps}, V] each`);
  }
  const V = depthLogits.length / (K * steps);
  for (let k = 0; k < K; k++) {
    for (let step = 0; step < steps; step++) {
      if (!samplesCode(k, step, frames)) continue;
      const from = (k * steps + step) * V;
      const depth = depthLogits.subarray(from, from + V);
      const final = finalLogits.subarray(from, from + V);
      const at = gridIndex(lens, depthIndex, k, step);
      lens.kl[at] = klDivergence(final, depth);
      lens.agreement[at] = distributionStats(depth).argmax === distributionStats(final).argmax ? 1 : 0;
    }
  }
}

/**
 * A [depths, K, steps] array as depth × frame, for a layer × time view: codebook k's frame f was
 * sampled at step f + k. `codebook` 'mean' averages the K codebooks of each frame.
 */
export function depthByFrame(values: Float32Array /* [depths, K, steps] */, grid: LensGrid, codebook: number | 'mean'): Float32Array /* [depths, frames] */ {
  const { depths, numCodebooks: K, steps, frames } = grid;
  if (values.length !== depths.length * K * steps) throw new Error(`values has ${values.length} entries, expected [${depths.length}, ${K}, ${steps}]`);
  if (codebook !== 'mean' && !(Number.isInteger(codebook) && codebook >= 0 && codebook < K)) throw new Error(`codebook must be 0..${K - 1} or 'mean', got ${codebook}`);
  const codebooks = codebook === 'mean' ? Array.from({ length: K }, (_, k) => k) : [codebook];
  const out = new Float32Array(depths.length * frames); // [depths, frames]
  for (let row = 0; row < depths.length; row++) {
    for (let frame = 0; frame < frames; frame++) {
      let sum = 0;
      for (const k of codebooks) sum += values[gridIndex(grid, row, k, frame + k)];
      out[row * frames + frame] = sum / codebooks.length;
    }
  }
  return out;
}
