/**
 * The study's metrics over an audio classifier's 527 AudioSet classes, as its code computes them
 * (musicgen-mech-interp, interchange_interventions/intervention_pipeline.py). Pure: arrays in,
 * numbers out. Probabilities are float64 so tiny classes stay non-zero.
 */

/** Softmax of one clip's logits. */
export function softmax(logits: ArrayLike<number>): Float64Array {
  const probs = new Float64Array(logits.length); // [C]
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += probs[i] = Math.exp(logits[i] - max);
  for (let i = 0; i < probs.length; i++) probs[i] /= sum;
  return probs;
}

/** Softmax of each row of `logits` [rows, classes], row-major; one array per row. */
export function softmaxRows(logits: Float32Array | Float64Array, classes: number): Float64Array[] {
  if (classes < 1 || logits.length % classes !== 0) throw new Error(`softmaxRows: ${logits.length} logits are not rows of ${classes} classes`);
  const rows: Float64Array[] = [];
  for (let offset = 0; offset < logits.length; offset += classes) rows.push(softmax(logits.subarray(offset, offset + classes)));
  return rows;
}

function checkLabel(name: string, probs: ArrayLike<number>, label: number): void {
  if (!Number.isInteger(label) || label < 0 || label >= probs.length) throw new Error(`${name}: class ${label} is outside 0..${probs.length - 1}`);
}

function checkSameLength(name: string, before: ArrayLike<number>, after: ArrayLike<number>): void {
  if (before.length !== after.length) throw new Error(`${name}: before has ${before.length} classes, after has ${after.length}`);
}

/**
 * Intervention effect: log(p_o / p_d) before − log(p_o / p_d) after, where o is the original
 * concept's first relevant label and d the desired one's. Positive when the intervention moved
 * probability from the original towards the desired concept (higher = better).
 */
export function effect(before: ArrayLike<number>, after: ArrayLike<number>, originalLabel: number, desiredLabel: number): number {
  checkSameLength('effect', before, after);
  checkLabel('effect', before, originalLabel);
  checkLabel('effect', before, desiredLabel);
  return Math.log(before[originalLabel] / before[desiredLabel]) - Math.log(after[originalLabel] / after[desiredLabel]);
}

/**
 * Intervention precision: −KL(after ‖ before) = −Σ_c after_c · ln(after_c / before_c), natural
 * log, as torch's kl_div(log before, log after, log_target=True) summed over classes. 0 means the
 * class distribution did not change; more negative means a less targeted intervention. A class
 * with after_c = 0 contributes 0 (the limit of p·ln p).
 */
export function precision(before: ArrayLike<number>, after: ArrayLike<number>): number {
  checkSameLength('precision', before, after);
  let kl = 0;
  for (let c = 0; c < after.length; c++) {
    if (after[c] > 0) kl += after[c] * Math.log(after[c] / before[c]);
  }
  return 0 - kl; // not -kl: an unchanged distribution gives +0, not -0
}

/**
 * Recognisability: NDCG of the classifier's ranking of all classes against the concept's relevant
 * labels (gain 1 for a relevant class, 0 otherwise; discount 1 / log2(rank + 1), rank from 1).
 * 1 when the relevant labels are the top-ranked classes. Tied scores share their gains evenly, as
 * scikit-learn's ndcg_score does, so the result never depends on how a sort breaks ties.
 */
export function ndcg(scores: ArrayLike<number>, relevantLabels: readonly number[]): number {
  if (relevantLabels.length === 0) throw new Error('ndcg: a concept needs at least one relevant label');
  const relevant = new Set<number>();
  for (const label of relevantLabels) {
    checkLabel('ndcg', scores, label);
    relevant.add(label);
  }
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const discount = (rank: number) => 1 / Math.log2(rank + 2); // rank from 0
  let dcg = 0;
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && scores[order[end]] === scores[order[start]]) end++;
    let gain = 0;
    let discountSum = 0;
    for (let rank = start; rank < end; rank++) {
      if (relevant.has(order[rank])) gain++;
      discountSum += discount(rank);
    }
    dcg += (gain / (end - start)) * discountSum;
    start = end;
  }
  let ideal = 0;
  for (let rank = 0; rank < relevant.size; rank++) ideal += discount(rank);
  return dcg / ideal;
}

export interface Summary {
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  std: number;
  n: number;
}

/** Mean, spread and count over prompts. Non-finite values are refused: they would hide in a mean. */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) throw new Error('summarize: no values');
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad !== -1) throw new Error(`summarize: value ${bad} is ${values[bad]}`);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, std: 0, n };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  return { mean, std: Math.sqrt(variance), n };
}
