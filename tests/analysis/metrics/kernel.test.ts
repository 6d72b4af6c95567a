import { describe, expect, it } from 'vitest';
import { effect, ndcg, precision, softmax, softmaxRows, summarize } from '../../../src/analysis/metrics/kernel';

describe('softmax', () => {
  it('normalises exp(logits): [0, ln 2, ln 3] → [1/6, 2/6, 3/6]', () => {
    const probs = softmax([0, Math.log(2), Math.log(3)]);
    expect(probs[0]).toBeCloseTo(1 / 6, 12);
    expect(probs[1]).toBeCloseTo(2 / 6, 12);
    expect(probs[2]).toBeCloseTo(3 / 6, 12);
  });

  it('stays finite for huge logits and is shift-invariant', () => {
    expect(Array.from(softmax([1000, 1000]))).toEqual([0.5, 0.5]);
    expect(softmax([1001, 1000, 999])[0]).toBeCloseTo(softmax([2, 1, 0])[0], 12);
  });

  it('splits a batch of logits into rows and refuses a ragged one', () => {
    const rows = softmaxRows(new Float32Array([0, 0, 5, 5]), 2);
    expect(rows.map((r) => Array.from(r))).toEqual([[0.5, 0.5], [0.5, 0.5]]);
    expect(() => softmaxRows(new Float32Array(5), 2)).toThrow(/not rows of 2/);
  });
});

describe('effect', () => {
  // o = 0 (original concept's first label), d = 1 (desired concept's first label).
  const before = [0.6, 0.2, 0.2];
  const swapped = [0.2, 0.6, 0.2];

  it('is log(p_o/p_d) before minus after: moving 0.6/0.2 to 0.2/0.6 gives ln 3 − ln(1/3) = 2 ln 3', () => {
    expect(effect(before, swapped, 0, 1)).toBeCloseTo(2 * Math.log(3), 12);
  });

  it('is positive when probability moves towards the desired concept, negative the other way, 0 when nothing moves', () => {
    expect(effect(before, swapped, 0, 1)).toBeGreaterThan(0);
    expect(effect(swapped, before, 0, 1)).toBeCloseTo(-2 * Math.log(3), 12);
    expect(effect(before, before, 0, 1)).toBe(0);
  });

  it('ignores every other class (only the odds of o against d count)', () => {
    expect(effect([0.3, 0.1, 0.6], [0.1, 0.3, 0.6], 0, 1)).toBeCloseTo(2 * Math.log(3), 12);
  });

  it('refuses labels outside the distribution and mismatched lengths', () => {
    expect(() => effect(before, swapped, 0, 3)).toThrow(/class 3 is outside 0..2/);
    expect(() => effect(before, [0.5, 0.5], 0, 1)).toThrow(/3 classes, after has 2/);
  });
});

describe('precision', () => {
  const before = [0.5, 0.5];
  const after = [0.9, 0.1];

  it('is −KL(after ‖ before) in nats: −(0.9 ln 1.8 + 0.1 ln 0.2) = −0.36806…', () => {
    expect(precision(before, after)).toBeCloseTo(-0.3680642071684971, 12);
  });

  it('takes KL in that argument order, not KL(before ‖ after) = 0.51083…', () => {
    expect(precision(after, before)).toBeCloseTo(-0.5108256237659907, 12);
    expect(Math.abs(precision(before, after) - precision(after, before))).toBeGreaterThan(0.1);
  });

  it('is 0 for an unchanged distribution and counts a class that vanished after as 0', () => {
    expect(precision(before, before)).toBe(0);
    expect(precision([0.5, 0.5], [1, 0])).toBeCloseTo(-Math.log(2), 12);
  });
});

describe('ndcg', () => {
  it('scores two relevant labels ranked 3rd and 4th: (1/log2 4 + 1/log2 5) / (1 + 1/log2 3) = 0.57064…', () => {
    // Ranking by score: class 1 (0.4), 3 (0.25), 2 (0.2), 0 (0.1), 4 (0.05).
    expect(ndcg([0.1, 0.4, 0.2, 0.25, 0.05], [0, 2])).toBeCloseTo(0.5706417189553201, 12);
  });

  it('scores three relevant labels ranked 1st, 3rd and 4th: (1 + 1/2 + 1/log2 5) / (1 + 1/log2 3 + 1/2) = 0.90602…', () => {
    expect(ndcg([0.9, 0.05, 0.03, 0.02], [0, 3, 2])).toBeCloseTo(0.9060254355346823, 12);
  });

  it('is 1 when the relevant labels are on top, whatever their order in the concept', () => {
    expect(ndcg([0.1, 0.5, 0.4], [2, 1])).toBeCloseTo(1, 12);
  });

  it('shares the gain of tied scores evenly: (1 + 1/log2 3) / 2 = 0.81546…', () => {
    expect(ndcg([1, 1, 0], [1])).toBeCloseTo(0.8154648767857288, 12);
    expect(ndcg([1, 1, 0], [0])).toBeCloseTo(0.8154648767857288, 12);
  });

  it('counts a repeated label once and refuses empty or out-of-range labels', () => {
    expect(ndcg([0.1, 0.4, 0.2, 0.25, 0.05], [0, 2, 2])).toBeCloseTo(0.5706417189553201, 12);
    expect(() => ndcg([0.5, 0.5], [])).toThrow(/at least one relevant label/);
    expect(() => ndcg([0.5, 0.5], [2])).toThrow(/outside/);
  });
});

describe('summarize', () => {
  it('gives mean, sample std (n − 1) and n', () => {
    // mean 5; squared deviations 9+1+1+9 = 20; 20 / 3.
    expect(summarize([2, 4, 6, 8])).toEqual({ mean: 5, std: Math.sqrt(20 / 3), n: 4 });
    expect(summarize([3])).toEqual({ mean: 3, std: 0, n: 1 });
  });

  it('refuses no values and non-finite values', () => {
    expect(() => summarize([])).toThrow(/no values/);
    expect(() => summarize([1, Infinity])).toThrow(/value 1 is Infinity/);
    expect(() => summarize([NaN])).toThrow(/value 0 is NaN/);
  });
});
