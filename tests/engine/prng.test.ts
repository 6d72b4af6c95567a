import { describe, expect, it } from 'vitest';
import { createRng, Xoshiro128StarStar } from '../../src/engine/prng';

// Expected outputs come from the reference C code (xoshiro128starstar.c, splitmix32 seeding),
// compiled and run once.
describe('xoshiro128**', () => {
  it('matches the reference outputs from state [1, 2, 3, 4]', () => {
    const rng = new Xoshiro128StarStar([1, 2, 3, 4]);
    expect(Array.from({ length: 5 }, () => rng.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883]);
  });

  it('matches the reference for seed 42 seeded through splitmix32', () => {
    const rng = createRng(42);
    expect(Array.from({ length: 5 }, () => rng.nextUint32())).toEqual([660444221, 3652823732, 77672526, 910233633, 2297337756]);
  });

  it('matches the reference jump() for streams 1 and 3', () => {
    const one = createRng(42, 1);
    expect(Array.from({ length: 5 }, () => one.nextUint32())).toEqual([1048752219, 679071158, 2515424753, 1559331861, 937534072]);
    const three = createRng(42, 3);
    expect(Array.from({ length: 5 }, () => three.nextUint32())).toEqual([1735164915, 2039307905, 3203679853, 4187375733, 4212155849]);
  });

  it('yields floats in [0, 1) with a uniform mean and spread', () => {
    const rng = createRng(7);
    const n = 100_000;
    let sum = 0;
    let sumSquares = 0;
    const deciles = new Array<number>(10).fill(0);
    for (let i = 0; i < n; i++) {
      const x = rng.nextFloat();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
      sumSquares += x * x;
      deciles[Math.floor(x * 10)]++;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sumSquares / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2);
    for (const count of deciles) expect(Math.abs(count / n - 0.1)).toBeLessThan(0.006);
  });

  it('is deterministic per seed and stream, and differs across them', () => {
    const draw = (seed: number, stream = 0) => {
      const rng = createRng(seed, stream);
      return Array.from({ length: 8 }, () => rng.nextFloat());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42, 0)).not.toEqual(draw(42, 1));
    expect(draw(-1)).not.toEqual(draw(0xffffffff)); // the high half of the seed counts
    expect(draw(2 ** 40)).not.toEqual(draw(0));
  });

  it('rejects bad seeds, streams and states', () => {
    expect(() => createRng(1.5)).toThrow(/seed must be a safe integer, got 1.5/);
    expect(() => createRng(Number.NaN)).toThrow(/seed must be a safe integer/);
    expect(() => createRng(1, -1)).toThrow(/stream must be an integer/);
    expect(() => new Xoshiro128StarStar([0, 0, 0, 0])).toThrow(/must not be all zero/);
    expect(() => new Xoshiro128StarStar([1, 2, 3, 2 ** 32])).toThrow(/four uint32 words/);
  });
});
