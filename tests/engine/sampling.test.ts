import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/engine/prng';
import { argmax, sampleStep, sampleToken, topKIndices } from '../../src/engine/sampling';
import type { SamplingOptions } from '../../src/engine/types';

const SAMPLE: SamplingOptions = { greedy: false, topK: 0, temperature: 1, seed: 0 };
const GREEDY: SamplingOptions = { ...SAMPLE, greedy: true };

/** An rng that returns preset draws and counts how many were taken. */
function scriptedRng(draws: number[]): Rng & { taken: number } {
  const rng = {
    taken: 0,
    nextFloat() {
      if (rng.taken >= draws.length) throw new Error('scripted rng exhausted');
      return draws[rng.taken++];
    },
  };
  return rng;
}

function randomLogits(seed: number, V: number, spread = 4): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: V }, () => (rng.nextFloat() - 0.5) * spread); // [V]
}

function frequencies(logits: Float32Array, options: SamplingOptions, draws: number, seed = 1): number[] {
  const rng = createRng(seed);
  const counts = new Array<number>(logits.length).fill(0);
  for (let i = 0; i < draws; i++) counts[sampleToken(logits, options, rng)]++;
  return counts.map((count) => count / draws);
}

describe('greedy', () => {
  it('takes the argmax, first index on ties, and draws nothing', () => {
    const rng = scriptedRng([]);
    expect(sampleToken(Float32Array.from([0.1, 3, -2, 3, 1]), GREEDY, rng)).toBe(1);
    expect(sampleToken(Float32Array.from([5, 5, 5]), GREEDY, rng)).toBe(0);
    expect(sampleToken(Float32Array.from([-Infinity, -7, -Infinity]), GREEDY, rng)).toBe(1);
    expect(rng.taken).toBe(0);
    expect(argmax(Float32Array.from([1, 2, 2]))).toBe(1);
  });

  it('refuses temperature 0, as generation does (argmax is asked for with greedy)', () => {
    const rng = scriptedRng([]);
    expect(() => sampleToken(Float32Array.from([1, 4, 4, 2]), { ...SAMPLE, temperature: 0 }, rng)).toThrow(/temperature must be a positive number \(use greedy for argmax\), got 0/);
    expect(rng.taken).toBe(0);
  });
});

describe('sampling', () => {
  it('inverts the CDF over tokens in descending-logit order with exactly one draw', () => {
    // p = [0.25, 0.75]: the CDF runs over token 1 first (0.75), then token 0.
    const logits = Float32Array.from([0, Math.log(3)]);
    const rng = scriptedRng([0.0, 0.74, 0.76, 0.999]);
    expect([0, 1, 2, 3].map(() => sampleToken(logits, SAMPLE, rng))).toEqual([1, 1, 0, 0]);
    expect(rng.taken).toBe(4);
  });

  it('draws once per token even when top-k leaves a single candidate', () => {
    const rng = scriptedRng([0.5]);
    expect(sampleToken(Float32Array.from([1, 9, 3]), { ...SAMPLE, topK: 1 }, rng)).toBe(1);
    expect(rng.taken).toBe(1);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const logits = randomLogits(3, 256, 2);
    const run = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 64 }, () => sampleToken(logits, { ...SAMPLE, topK: 50 }, rng));
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });

  it('matches the empirical frequencies of a 3-token distribution', () => {
    const p = [0.5, 0.3, 0.2];
    const logits = Float32Array.from(p.map(Math.log));
    const observed = frequencies(logits, SAMPLE, 40_000);
    observed.forEach((f, i) => expect(Math.abs(f - p[i])).toBeLessThan(0.01)); // 4 standard errors
    // Temperature 2 flattens to p ∝ sqrt(p).
    const flat = p.map(Math.sqrt);
    const total = flat.reduce((a, b) => a + b);
    const observedFlat = frequencies(logits, { ...SAMPLE, temperature: 2 }, 40_000, 2);
    observedFlat.forEach((f, i) => expect(Math.abs(f - flat[i] / total)).toBeLessThan(0.01));
  });

  it('never samples outside the top k, and reaches each of them', () => {
    const logits = randomLogits(11, 300, 3);
    const allowed = new Set(
      Array.from(logits.keys())
        .sort((a, b) => logits[b] - logits[a] || a - b)
        .slice(0, 5),
    );
    const observed = frequencies(logits, { ...SAMPLE, topK: 5 }, 20_000);
    observed.forEach((f, token) => {
      if (allowed.has(token)) expect(f).toBeGreaterThan(0.01);
      else expect(f).toBe(0);
    });
  });

  it('keeps the top k renormalised: frequencies follow the kept softmax', () => {
    const logits = Float32Array.from([0, 1, 2, 3]); // top 2 keep tokens 3 and 2: p = [e, 1] / (e + 1)
    const observed = frequencies(logits, { ...SAMPLE, topK: 2 }, 40_000);
    expect(observed[0] + observed[1]).toBe(0);
    expect(Math.abs(observed[3] - Math.E / (Math.E + 1))).toBeLessThan(0.01);
  });

  it('breaks ties at the top-k boundary by lower index', () => {
    const observed = frequencies(Float32Array.from([1, 1, 1, 1]), { ...SAMPLE, topK: 2 }, 4_000);
    expect(observed[2] + observed[3]).toBe(0);
    expect(observed[0]).toBeGreaterThan(0.4);
    expect(observed[1]).toBeGreaterThan(0.4);
  });

  it('approaches greedy as temperature goes to 0', () => {
    const logits = randomLogits(5, 64, 8);
    const best = argmax(logits);
    const spreads = [1, 0.1, 0.001].map((temperature) => 1 - frequencies(logits, { ...SAMPLE, temperature }, 5_000)[best]);
    expect(spreads[0]).toBeGreaterThan(spreads[1]);
    expect(spreads[2]).toBe(0);
  });

  it('never samples a -Infinity logit', () => {
    const observed = frequencies(Float32Array.from([-Infinity, 0, -Infinity, 0]), SAMPLE, 2_000);
    expect(observed[0] + observed[2]).toBe(0);
  });

  it('treats top-k >= V like no top-k', () => {
    const logits = randomLogits(8, 50);
    expect(frequencies(logits, { ...SAMPLE, topK: 50 }, 500)).toEqual(frequencies(logits, SAMPLE, 500));
    expect(frequencies(logits, { ...SAMPLE, topK: 999 }, 500)).toEqual(frequencies(logits, SAMPLE, 500));
  });
});

describe('topKIndices', () => {
  it('agrees with a full sort, duplicates included', () => {
    const rng = createRng(99);
    for (let trial = 0; trial < 200; trial++) {
      const V = 1 + Math.floor(rng.nextFloat() * 120);
      const scores = Float32Array.from({ length: V }, () => Math.floor(rng.nextFloat() * 12) - 6); // many ties
      const k = Math.floor(rng.nextFloat() * (V + 2));
      const sorted = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
      const expected = k === 0 || k >= V ? sorted : sorted.slice(0, k);
      expect(Array.from(topKIndices(scores, k))).toEqual(expected);
    }
  });
});

describe('sampleStep', () => {
  it('samples each codebook from its own row, in codebook order, one draw each', () => {
    const V = 3;
    const logits = Float32Array.from([9, 0, 0, 0, 9, 0, 0, 0, 9, 9, 0, 0].map((x) => x * 10)); // [4, 3]
    const rng = scriptedRng([0.3, 0.3, 0.3, 0.3]);
    expect(Array.from(sampleStep(logits, 4, V, SAMPLE, rng))).toEqual([0, 1, 2, 0]);
    expect(rng.taken).toBe(4);
    expect(Array.from(sampleStep(logits, 4, V, GREEDY, rng))).toEqual([0, 1, 2, 0]);
  });

  it('rejects mismatched shapes', () => {
    expect(() => sampleStep(new Float32Array(11), 4, 3, SAMPLE, createRng(1))).toThrow(/logitsPerCodebook has length 11, expected 12/);
    expect(() => sampleStep(new Float32Array(12), 0, 3, SAMPLE, createRng(1))).toThrow(/K must be a positive integer/);
  });
});

describe('validation', () => {
  const rng = createRng(1);
  it('rejects bad logits', () => {
    expect(() => sampleToken(new Float32Array(0), SAMPLE, rng)).toThrow(/logits must not be empty/);
    expect(() => sampleToken(Float32Array.from([0, Number.NaN]), SAMPLE, rng)).toThrow(/logits\[1\] is NaN/);
    expect(() => sampleToken(Float32Array.from([Infinity]), GREEDY, rng)).toThrow(/logits\[0\] is Infinity/);
    expect(() => sampleToken(Float32Array.from([-Infinity, -Infinity]), SAMPLE, rng)).toThrow(/all -Infinity/);
  });
  it('rejects bad options', () => {
    const logits = Float32Array.from([1, 2]);
    expect(() => sampleToken(logits, { ...SAMPLE, temperature: -1 }, rng)).toThrow(/options.temperature must be a positive number \(use greedy for argmax\), got -1/);
    expect(() => sampleToken(logits, { ...SAMPLE, topK: 2.5 }, rng)).toThrow(/options.topK must be a non-negative integer/);
    expect(() => sampleToken(logits, { ...SAMPLE, topK: -1 }, rng)).toThrow(/options.topK/);
  });
});
