import { describe, expect, it } from 'vitest';
import { axisTicks, colourScale, divergingDomain, finiteExtent, LEGEND_LAYOUT, legendTicks, normalize, rampColour, sequentialDomain, type ColourScale, type LegendTick } from '../../../../src/ui/components/charts/scales';

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

  const labels = (ticks: LegendTick[]) => ticks.map((tick) => tick.label);

  /** Each label's [left, right] in pixels, as the legend draws it (estimated from its character count). */
  function labelBoxes(scale: ColourScale, ticks: LegendTick[]): [number, number][] {
    const [min, max] = scale.domain;
    return ticks.map(({ value, label, anchor }) => {
      const x = ((value - min) / (max - min)) * LEGEND_LAYOUT.width;
      const width = label.length * LEGEND_LAYOUT.charWidth;
      const left = anchor === 'start' ? x : anchor === 'end' ? x - width : x - width / 2;
      return [left, left + width];
    });
  }

  function expectReadable(scale: ColourScale): LegendTick[] {
    const ticks = legendTicks(scale);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(new Set(labels(ticks)).size).toBe(ticks.length);
    const boxes = labelBoxes(scale, ticks);
    boxes.forEach(([left, right], i) => {
      expect(left).toBeGreaterThanOrEqual(-LEGEND_LAYOUT.margin);
      expect(right).toBeLessThanOrEqual(LEGEND_LAYOUT.width + LEGEND_LAYOUT.margin);
      if (i > 0) expect(left - boxes[i - 1][1]).toBeGreaterThanOrEqual(LEGEND_LAYOUT.gap);
    });
    for (const tick of ticks) expect(tick.value >= scale.domain[0] && tick.value <= scale.domain[1]).toBe(true);
    return ticks;
  }

  it('legend ticks are round values inside the domain, centred on their tick; diverging ones include 0', () => {
    const probability = legendTicks(colourScale('sequential', [], [0, 1]));
    expect(probability.map((tick) => tick.value)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(probability.every((tick) => tick.anchor === 'middle')).toBe(true);
    const diverging = legendTicks(colourScale('diverging', [-3, 3]));
    expect(diverging.map((tick) => tick.value)).toEqual([-2, 0, 2]);
    expect(legendTicks(colourScale('diverging', [-1, 0.3])).map((tick) => tick.value)).toContain(0);
  });

  it('legend tick labels carry as many decimals as the tick step needs', () => {
    expect(labels(legendTicks(colourScale('sequential', [], [0, 1])))).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect(labels(legendTicks(colourScale('sequential', [0, 6.3])))).toEqual(['0', '2', '4', '6']);
  });

  it('a tiny range gets fewer labels that never collide: its ends, with the precision the range needs', () => {
    const nearOne = colourScale('sequential', [0.9999998, 1.0000001]); // float noise around 1 (d3 alone: 4 labels of 9 characters, 60 px apart)
    expect(expectReadable(nearOne)).toEqual([
      { value: 0.9999998, label: '0.9999998', anchor: 'start' },
      { value: 1.0000001, label: '1.0000001', anchor: 'end' },
    ]);
    expect(labels(expectReadable(colourScale('sequential', [1000.0001, 1000.0003])))).toEqual(['1,000.0001', '1,000.0003']);
    expect(labels(expectReadable(colourScale('sequential', [0.3, 0.3000001])))).toEqual(['0.3000000', '0.3000001']);
  });

  it('tiny magnitudes are labelled in exponent notation when fixed decimals do not fit; 0 stays "0"', () => {
    expect(labels(expectReadable(colourScale('diverging', [-1e-7, 1e-7])))).toEqual(['−1e-7', '−5e-8', '0', '5e-8', '1e-7']);
    expect(labels(expectReadable(colourScale('diverging', [-0.0004, 0.0004])))).toEqual(['−4e-4', '−2e-4', '0', '2e-4', '4e-4']);
    expectReadable(colourScale('sequential', [0, 0.0000123]));
  });

  it('every legend stays readable, from tiny to large ranges', () => {
    for (const [min, max] of [[0, 1], [0, 6.3], [-0.001, 0.5], [12345.6, 12345.7], [1e6, 3e6], [-5e-9, 2e-9], [0.12345, 0.123456]]) {
      expectReadable(colourScale('sequential', [min, max]));
      expectReadable(colourScale('diverging', [min, max]));
    }
  });

  it('axis ticks are integer column indices inside the range', () => {
    expect(axisTicks(200)).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180]);
    expect(axisTicks(3)).toEqual([0, 1, 2]);
    expect(() => axisTicks(0)).toThrow(/positive/);
  });
});
