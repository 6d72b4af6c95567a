/**
 * The study's layer self-similarity, pure: Euclidean distances between the time-averaged outputs
 * (resid_post) of every pair of layers, and their average over prompts.
 */

/** Running per-layer sums of vectors over time, for one sequence: divide by `count` for the time average. */
export interface TimeSums {
  sums: Float64Array; // [layers, d]
  count: number; // time positions added
}

export function emptyTimeSums(layers: number, d: number): TimeSums {
  return { sums: new Float64Array(layers * d), count: 0 };
}

/** Adds one position's vector [d] to layer `layer`'s sum. */
export function addToSum(target: TimeSums, layer: number, vector: Float32Array /* [d] */): void {
  const d = vector.length;
  const from = layer * d;
  if (from + d > target.sums.length) throw new Error(`layer ${layer} of width ${d} is outside sums of ${target.sums.length} values`);
  for (let i = 0; i < d; i++) target.sums[from + i] += vector[i];
}

/** The time averages [layers, d]. */
export function timeAverages(target: TimeSums): Float64Array {
  if (target.count < 1) throw new Error('no time positions were added');
  return target.sums.map((sum) => sum / target.count);
}

/** Euclidean distance between every pair of rows of `vectors` [n, d]: [n, n], symmetric, zero diagonal. */
export function pairwiseEuclidean(vectors: Float64Array | Float32Array, n: number): Float32Array /* [n, n] */ {
  if (!Number.isInteger(n) || n < 1 || vectors.length % n !== 0) throw new Error(`vectors has ${vectors.length} values, not [${n}, d]`);
  const d = vectors.length / n;
  const distances = new Float32Array(n * n); // [n, n]
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let squared = 0;
      for (let x = 0; x < d; x++) {
        const difference = vectors[i * d + x] - vectors[j * d + x];
        squared += difference * difference;
      }
      distances[i * n + j] = distances[j * n + i] = Math.sqrt(squared);
    }
  }
  return distances;
}

/** Elementwise mean of equally shaped matrices (the study averages the per-prompt matrices). */
export function meanMatrix(matrices: readonly Float32Array[]): Float32Array {
  if (matrices.length === 0) throw new Error('no matrices to average');
  const mean = new Float32Array(matrices[0].length);
  for (const matrix of matrices) {
    if (matrix.length !== mean.length) throw new Error(`matrices differ in size: ${matrix.length} vs ${mean.length}`);
    for (let i = 0; i < mean.length; i++) mean[i] += matrix[i] / matrices.length;
  }
  return mean;
}
