import { describe, expect, it } from 'vitest';
import { addToSum, emptyTimeSums, meanMatrix, pairwiseEuclidean, timeAverages } from '../../../src/analysis/similarity/kernel';

describe('layer self-similarity kernel', () => {
  it('pairwise Euclidean distances of 3-4-5 vectors: symmetric, zero diagonal', () => {
    const vectors = Float64Array.from([0, 0, 3, 4, 6, 8]); // [3, 2]
    expect(Array.from(pairwiseEuclidean(vectors, 3))).toEqual([0, 5, 10, 5, 0, 5, 10, 5, 0]);
  });

  it('time averages divide each layer sum by the positions added', () => {
    const sums = emptyTimeSums(2, 2);
    addToSum(sums, 0, Float32Array.of(1, 2));
    addToSum(sums, 0, Float32Array.of(3, 4));
    addToSum(sums, 1, Float32Array.of(10, 0));
    addToSum(sums, 1, Float32Array.of(0, 10));
    sums.count = 2;
    expect(Array.from(timeAverages(sums))).toEqual([2, 3, 5, 5]);
    expect(() => timeAverages(emptyTimeSums(1, 1))).toThrow(/no time positions/);
    expect(() => addToSum(sums, 2, Float32Array.of(1, 1))).toThrow(/outside/);
  });

  it('averages matrices elementwise and refuses mismatched ones', () => {
    expect(Array.from(meanMatrix([Float32Array.of(0, 2, 2, 0), Float32Array.of(0, 4, 4, 0)]))).toEqual([0, 3, 3, 0]);
    expect(() => meanMatrix([])).toThrow(/no matrices/);
    expect(() => meanMatrix([new Float32Array(4), new Float32Array(9)])).toThrow(/differ/);
  });

  it('refuses vectors that are not [n, d]', () => {
    expect(() => pairwiseEuclidean(new Float64Array(5), 2)).toThrow(/not \[2, d\]/);
  });
});
