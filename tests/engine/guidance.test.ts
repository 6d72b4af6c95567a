import { describe, expect, it } from 'vitest';
import { applyGuidance, applyGuidanceToPairs } from '../../src/engine/guidance';

describe('applyGuidance', () => {
  it('computes uncond + scale * (cond - uncond)', () => {
    const cond = Float32Array.from([1, 2, -3, 0.5]);
    const uncond = Float32Array.from([0, 4, -1, 0.5]);
    expect(Array.from(applyGuidance(cond, uncond, 3))).toEqual([3, -2, -7, 0.5]);
    expect(Array.from(applyGuidance(cond, uncond, 0))).toEqual(Array.from(uncond));
    expect(Array.from(applyGuidance(cond, uncond, 1))).toEqual(Array.from(cond));
  });

  it('rounds each operation to float32 in torch order', () => {
    // cond - uncond = 1 - 2^-24; times 3 rounds to 3 - 2^-22; plus 2^-24 rounds back to 3 - 2^-22.
    // The same expression evaluated in float64 and rounded once gives exactly 3.
    const cond = Float32Array.from([1]);
    const uncond = Float32Array.from([2 ** -24]);
    const guided = applyGuidance(cond, uncond, 3)[0];
    expect(guided).toBe(3 - 2 ** -22);
    expect(Math.fround(uncond[0] + 3 * (cond[0] - uncond[0]))).toBe(3);
  });

  it('writes into out, which may alias an input', () => {
    const cond = Float32Array.from([2, 4]);
    const uncond = Float32Array.from([1, 1]);
    const result = applyGuidance(cond, uncond, 2, cond);
    expect(result).toBe(cond);
    expect(Array.from(cond)).toEqual([3, 7]);
  });

  it('rejects mismatched inputs', () => {
    expect(() => applyGuidance(new Float32Array(2), new Float32Array(3), 3)).toThrow(/cond has length 2 but uncond has length 3/);
    expect(() => applyGuidance(new Float32Array(2), new Float32Array(2), Number.NaN)).toThrow(/scale must be a finite number/);
    expect(() => applyGuidance(new Float32Array(2), new Float32Array(2), 3, new Float32Array(1))).toThrow(/out has length 1, expected 2/);
  });
});

describe('applyGuidanceToPairs', () => {
  it('guides each (cond, null) pair of batch rows', () => {
    const batch = Float32Array.from([
      1, 1, // slot 0 cond
      0, 2, // slot 0 null
      5, 5, // slot 1 cond
      5, 4, // slot 1 null
    ]); // [4, 2]
    expect(Array.from(applyGuidanceToPairs(batch, 2, 2, 3))).toEqual([3, -1, 5, 7]);
  });

  it('rejects a batch that is not pairs of rows', () => {
    expect(() => applyGuidanceToPairs(new Float32Array(6), 2, 2, 3)).toThrow(/batch has length 6, expected 8/);
  });
});
