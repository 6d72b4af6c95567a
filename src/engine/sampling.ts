/**
 * Token sampling as in audiocraft's LMModel: temperature, top-k, softmax, one multinomial draw.
 * Greedy argmax (used by the reference fixtures) draws nothing, so switching a run to greedy does
 * not shift the random stream of anything else.
 */
import type { SamplingOptions } from './types';
import type { Rng } from './prng';

function validateOptions(options: SamplingOptions): void {
  if (typeof options.greedy !== 'boolean') throw new Error(`options.greedy must be a boolean, got ${options.greedy}`);
  if (!Number.isInteger(options.topK) || options.topK < 0) {
    throw new Error(`options.topK must be a non-negative integer (0 = no top-k), got ${options.topK}`);
  }
  // As generation: a temperature must be positive; argmax is asked for with `greedy`, never with 0.
  if (!Number.isFinite(options.temperature) || options.temperature <= 0) {
    throw new Error(`options.temperature must be a positive number (use greedy for argmax), got ${options.temperature}`);
  }
}

function validateLogits(logits: Float32Array): void {
  if (logits.length === 0) throw new Error('logits must not be empty');
  for (let i = 0; i < logits.length; i++) {
    const value = logits[i];
    if (Number.isNaN(value) || value === Infinity) throw new Error(`logits[${i}] is ${value}; expected a finite number or -Infinity`);
  }
}

/** Index of the largest logit; the first one on ties. */
export function argmax(logits: Float32Array /* [V] */): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return best;
}

/** Orders token ids by descending score, lower id first on ties. */
function byScoreDescending(scores: Float32Array): (a: number, b: number) => number {
  return (a, b) => scores[b] - scores[a] || a - b;
}

/**
 * Value of the k-th largest score (1-based), by quickselect on a scratch copy: O(V) on average,
 * so top-250 of 2048 never sorts the whole vocabulary.
 */
function kthLargest(scores: Float32Array, k: number): number {
  const scratch = Float32Array.from(scores);
  const target = k - 1; // index in descending order
  let low = 0;
  let high = scratch.length - 1;
  while (low < high) {
    const pivot = scratch[(low + high) >>> 1];
    let i = low;
    let j = high;
    while (i <= j) {
      while (scratch[i] > pivot) i++;
      while (scratch[j] < pivot) j--;
      if (i <= j) {
        const swap = scratch[i];
        scratch[i] = scratch[j];
        scratch[j] = swap;
        i++;
        j--;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else break;
  }
  return scratch[target];
}

/** The `k` highest-scoring token ids in descending-score order (ties: lower id first). */
export function topKIndices(scores: Float32Array /* [V] */, k: number): Int32Array {
  const V = scores.length;
  if (k === 0 || k >= V) {
    const all = new Int32Array(V);
    for (let i = 0; i < V; i++) all[i] = i;
    return all.sort(byScoreDescending(scores));
  }
  const threshold = kthLargest(scores, k);
  const kept = new Int32Array(k); // [k]
  let count = 0;
  for (let i = 0; i < V; i++) if (scores[i] > threshold) kept[count++] = i;
  for (let i = 0; i < V && count < k; i++) if (scores[i] === threshold) kept[count++] = i;
  return kept.sort(byScoreDescending(scores));
}

/**
 * Samples one token id from `logits` [V].
 * - greedy: argmax, no draw (temperature 0 is refused, as generation refuses it);
 * - otherwise: logits / temperature, keep the top-k (0 or >= V keeps all), softmax over the kept
 *   logits in float64, then one uniform draw inverted through the CDF in descending-logit order.
 */
export function sampleToken(logits: Float32Array /* [V] */, options: SamplingOptions, rng: Rng): number {
  validateOptions(options);
  validateLogits(logits);
  if (options.greedy) return argmax(logits);

  // Dividing by a positive temperature keeps the order, so top-k runs on the raw logits.
  const kept = topKIndices(logits, options.topK); // [k]
  const maxLogit = logits[kept[0]];
  if (maxLogit === -Infinity) throw new Error('logits are all -Infinity: nothing can be sampled');
  const weights = new Float64Array(kept.length); // [k], unnormalised softmax
  let total = 0;
  for (let i = 0; i < kept.length; i++) {
    // (x - max) / T rather than x / T - max / T: stays finite for tiny temperatures.
    weights[i] = Math.exp((logits[kept[i]] - maxLogit) / options.temperature);
    total += weights[i];
  }

  const target = rng.nextFloat() * total;
  let cumulative = 0;
  let lastPositive = 0;
  for (let i = 0; i < kept.length; i++) {
    if (weights[i] === 0) continue;
    cumulative += weights[i];
    lastPositive = i;
    if (target < cumulative) return kept[i];
  }
  // Rounding can leave the draw a hair above the summed weights.
  return kept[lastPositive];
}

/** One token per codebook from logits [K, V], in codebook order (one draw each unless greedy). */
export function sampleStep(
  logitsPerCodebook: Float32Array, // [K, V]
  K: number,
  V: number,
  options: SamplingOptions,
  rng: Rng,
): Int32Array {
  if (!Number.isInteger(K) || K < 1) throw new Error(`K must be a positive integer, got ${K}`);
  if (!Number.isInteger(V) || V < 1) throw new Error(`V must be a positive integer, got ${V}`);
  if (logitsPerCodebook.length !== K * V) {
    throw new Error(`logitsPerCodebook has length ${logitsPerCodebook.length}, expected ${K * V} ([K=${K}, V=${V}])`);
  }
  const tokens = new Int32Array(K); // [K]
  for (let k = 0; k < K; k++) tokens[k] = sampleToken(logitsPerCodebook.subarray(k * V, (k + 1) * V), options, rng);
  return tokens;
}
