/**
 * Where everything lives in the toy decoder's residual stream (d = 96), and how a layer reads it.
 *
 * The embedding adds MusicGen's sinusoid to every dimension: dim i < 48 carries cos(p / period_i),
 * dim 48 + i carries sin(p / period_i), period_i = 10000^(i/47). Fast pairs are the position
 * signal the onset clock reads; slow pairs are almost constant (cos ≈ 1, sin ≈ 0) and hold the
 * code votes the lm heads read. Two anchor dims (+A, −A) dominate every layer norm, so each
 * LayerNorm is close to a fixed linear map and a reader can be written as plain coefficients on
 * raw residual values (`lnRead`).
 */
export const D = 96;
export const HALF = D / 2;
export const ANCHOR = 400; // A: +A on ANCHOR_POS, −A on ANCHOR_NEG
export const FEATURE = 16; // F: the value of an "on" feature or a full vote
export const ANCHOR_POS = 47; // cos of the slowest frequency: ≈ 1
export const ANCHOR_NEG = 46;

const range = (start: number, count: number) => Array.from({ length: count }, (_, i) => start + i);

/** Quiet dims (cos of slow frequencies, ≈ 1 at every position the toy reaches): votes and scalars. */
export const PITCH_VOTE = range(30, 8); // one vote per phrase step (codebook 0)
export const TIMBRE_VOTE = range(38, 5); // one per instrument (codebook 1)
export const START = 43; // F at position 0 only (codebook 0's start token)
export const TEMPO_VALUE = 44; // the averaged tempo word value × TEMPO_SCALE
export const ONSET = 45; // +F on a frame where a note starts, −F where the clock falls
/** sin of slow frequencies (≈ 0): more votes. */
export const LEVEL_VOTE = range(83, 5); // codebook 2
export const TEXTURE_VOTE = range(88, 5); // codebook 3, one per genre

/** Concept features (any dims not used above; the sinusoid adds up to ±1 here, F = 16 is far above). */
export const GENRE = range(8, 5);
export const MOOD_READ = range(13, 5); // what cross-attention reads at position 0
export const MOOD = range(18, 5); // copied from position 0 by self-attention
export const TEMPO_CLASS = range(23, 5);
export const INSTRUMENT = range(56, 5);

export const TEMPO_SCALE = FEATURE / 2; // TEMPO_VALUE = value · 8, value ∈ [0, 3]

/** The five onset clocks: one sinusoid pair per tempo class (slow → fast = slower → faster pairs). */
export const CLOCK_FREQUENCY = [7, 6, 5, 4, 3] as const; // index i of the pair, per TEMPO_CLASS_VALUES entry

export function sinusoidPeriod(i: number): number {
  return Math.pow(10000, i / (HALF - 1));
}

/** Frames per note of each tempo class: one cycle of its clock, 2π·period_i. */
export const FRAMES_PER_NOTE = CLOCK_FREQUENCY.map((i) => 2 * Math.PI * sinusoidPeriod(i));

/** First cos pair slow enough to count as quiet (period ≥ 357 frames, cos ≥ 0.84 over 4 s). */
const FIRST_QUIET_COS = 30;

/** Known value the sinusoid adds to a quiet cos dim (≈ 1); readers subtract it. Elsewhere 0 (unknown, ≤ ±1). */
export function quietOffset(dim: number): number {
  return dim >= FIRST_QUIET_COS && dim < HALF ? 1 : 0;
}

/** The layer norms' scale with the anchors alone: σ ≈ A·sqrt(2/d). */
export const SIGMA = ANCHOR * Math.sqrt(2 / D);

/**
 * LayerNorm-space weights [d] for a reader of `Σ coef_j · x_j + bias` on the raw residual x.
 * LN subtracts the mean μ over all dims, which moves with every feature written; the reader
 * therefore also subtracts half its coefficient sum from each anchor (x_47 + x_46 ≈ 2 whatever
 * μ is), which cancels μ exactly, and gets the bias from the anchors' difference (≈ 2A).
 */
export function lnRead(coefficients: ReadonlyMap<number, number> | readonly [number, number][], bias = 0): Float64Array {
  const w = new Float64Array(D); // [d]
  let sum = 0;
  for (const [dim, coef] of coefficients instanceof Map ? coefficients.entries() : coefficients) {
    w[dim] += coef * SIGMA;
    sum += coef;
  }
  // Reference: −(sum/2)(x_47 + x_46) = −sum·(cos + cos)/2 ≈ −sum; add it back through the bias.
  w[ANCHOR_POS] -= (sum * SIGMA) / 2;
  w[ANCHOR_NEG] -= (sum * SIGMA) / 2;
  const totalBias = bias + sum;
  w[ANCHOR_POS] += (totalBias * SIGMA) / (2 * ANCHOR);
  w[ANCHOR_NEG] -= (totalBias * SIGMA) / (2 * ANCHOR);
  return w;
}

/** A reader of one feature in units of F (0 = off, 1 = on), correcting a quiet dim's offset. */
export function featureRead(dim: number, gain = 1, bias = 0): Float64Array {
  return lnRead([[dim, gain / FEATURE]], bias - (gain * quietOffset(dim)) / FEATURE);
}
