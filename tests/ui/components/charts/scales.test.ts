import { describe, expect, it } from 'vitest';
import { axisTicks, colourScale, divergingDomain, finiteExtent, legendTickFormat, legendTicks, normalize, rampColour, sequentialDomain } from '../../../../src/ui/components/charts/scales';

describe('heatmap scale kernels', () => {
  it('finiteExtent skips NaN and infinities', () => {
    expect(finiteExtent([NaN, 3, -Infinity, -2, Infinity, 1])).toEqual([-2, 3]);
    expect(finiteExtent([NaN, Infinity])).toBeNull();
  });

  it('sequential domains span the data, widen a single value, default to [0, 1]', () => {
    expect(sequentialDomain(Float32Array.of(0.25, 2, NaN))).toEqual([0.25, 2]);
    expect(sequentialDomain([4, 4])).toEqual([3.5, 4.5]);
    expect(sequentialDomain([NaN])).toEqual([0, 1]);
  });

  it('diverging domains are symmetric around 0', () => {
    expect(divergingDomain([-1, 3, NaN])).toEqual([-3, 3]);
    expect(divergingDomain([-5, 2])).toEqual([-5, 5]);
    expect(divergingDomain([0, 0])).toEqual([-1, 1]);
  });

  it('normalize clamps into [0, 1] and keeps NaN', () => {
    expect(normalize(5, [0, 10])).toBe(0.5);
    expect(normalize(-3, [0, 10])).toBe(0);
    expect(normalize(Infinity, [0, 10])).toBe(1);
    expect(normalize(NaN, [0, 10])).toBeNaN();
    expect(() => normalize(1, [2, 2])).toThrow(/empty/);
  });

  it('a diverging scale maps 0 to its neutral middle and ±m to the ends', () => {
    const scale = colourScale('diverging', [-2, 1]);
    expect(scale.domain).toEqual([-2, 2]);
    expect(scale.colour(0)).toBe(rampColour('diverging', 0.5));
    expect(scale.colour(-2)).toBe(rampColour('diverging', 0));
    expect(scale.colour(2)).toBe(rampColour('diverging', 1));
    expect(scale.colour(-1)).toBe(rampColour('diverging', 0.25));
    expect(scale.colour(NaN)).toBeNull();
    expect(() => colourScale('diverging', [], [0, 1])).toThrow(/centred on 0/);
  });

  it('a sequential scale over a fixed domain ignores the data range', () => {
    const scale = colourScale('sequential', [0.4, 0.6], [0, 1]);
    expect(scale.domain).toEqual([0, 1]);
    expect(scale.colour(0)).toBe(rampColour('sequential', 0));
    expect(scale.colour(1)).toBe(rampColour('sequential', 1));
    expect(scale.colour(0.5)).toBe(rampColour('sequential', 0.5));
    expect(rampColour('sequential', 0)).not.toBe(rampColour('sequential', 1));
  });

  it('legend ticks are round values inside the domain; diverging ones include 0', () => {
    expect(legendTicks(colourScale('sequential', [], [0, 1]))).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    const diverging = legendTicks(colourScale('diverging', [-3, 3]), 2);
    expect(diverging).toContain(0);
    expect(diverging.every((tick) => tick >= -3 && tick <= 3)).toBe(true);
  });

  it('legend tick labels carry as many decimals as the tick step needs', () => {
    const probability = legendTickFormat(colourScale('sequential', [], [0, 1]));
    expect(legendTicks(colourScale('sequential', [], [0, 1])).map(probability)).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    const nats = colourScale('sequential', [0, 6.3]);
    expect(legendTicks(nats).map(legendTickFormat(nats))).toEqual(['0', '2', '4', '6']);
  });

  it('axis ticks are integer column indices inside the range', () => {
    expect(axisTicks(200)).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180]);
    expect(axisTicks(3)).toEqual([0, 1, 2]);
    expect(() => axisTicks(0)).toThrow(/positive/);
  });
});
