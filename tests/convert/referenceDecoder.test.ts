// The reference must be right on its own: check its pieces against published values.
import { describe, expect, it } from 'vitest';
import { causalBias, erf, gelu } from './referenceDecoder';

describe('reference decoder pieces', () => {
  it('erf matches tabulated values (Abramowitz & Stegun table 7.1)', () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 12);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 12);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 12);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 12);
  });

  it('exact GELU: gelu(1) = 0.8413447460685429 (= Φ(1)), gelu(-1) = -0.15865525393145707', () => {
    expect(gelu(1)).toBeCloseTo(0.8413447460685429, 12);
    expect(gelu(-1)).toBeCloseTo(-0.15865525393145707, 12);
  });

  it('causal bias lets query i see cached and earlier positions only', () => {
    expect(Array.from(causalBias(1, 2, 1))).toEqual([0, 0, -1e9, 0, 0, 0]);
  });
});
