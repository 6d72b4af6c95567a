import { describe, expect, it } from 'vitest';
import { lensFigureSvg, lineChartSvg, niceTicks, sweepFigureSvg } from '../../../src/analysis/study/figures';
import { summarizeSweep } from '../../../src/analysis/study/kernel';
import { sweepCells } from '../../../src/analysis/interventions/sweep';

describe('study figures', () => {
  const sweep = summarizeSweep('guitar', 'piano', sweepCells(3), [{ prompt: 0, effect: Array.from({ length: 18 }, (_, i) => i - 9), precision: Array.from({ length: 18 }, (_, i) => -i) }]);

  it('draw one line per component and method, replace solid and adjust dashed, with a legend', () => {
    const svg = sweepFigureSvg(sweep, 'effect');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const lines = svg.match(/<polyline [^>]*>/g)!;
    expect(lines).toHaveLength(6);
    expect(lines.filter((l) => l.includes('stroke-dasharray'))).toHaveLength(3);
    for (const name of ['self-attention, replace', 'cross-attention, adjust', 'MLP, replace']) expect(svg).toContain(name);
    expect(svg).toContain('guitar → piano: effect per layer (n = 1)');
    // 3 layers: 3 points per line
    expect(lines[0].match(/points="([^"]*)"/)![1].split(' ')).toHaveLength(3);
  });

  it('plot recognisability per depth on [0, 1], one line per concept', () => {
    const svg = lensFigureSvg([
      { concept: 'guitar', depth: 1, ndcg: 0.2, ndcgStd: 0, n: 1 },
      { concept: 'guitar', depth: 2, ndcg: 0.9, ndcgStd: 0, n: 1 },
      { concept: 'piano', depth: 1, ndcg: 0.1, ndcgStd: 0, n: 1 },
      { concept: 'piano', depth: 2, ndcg: 0.5, ndcgStd: 0, n: 1 },
    ]);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('>guitar<');
    expect(svg).toContain('>1<'); // the y axis reaches 1
  });

  it('escape text and refuse empty or non-finite data', () => {
    const svg = lineChartSvg({ title: 'a < b & "c"', xLabel: 'x', yLabel: 'y', series: [{ name: 'n', color: '#000', dashed: false, points: [[0, 1]] }] });
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
    expect(() => lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [] })).toThrow(/no data/);
    expect(() => lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'n', color: '#000', dashed: false, points: [[0, NaN]] }] })).toThrow(/not finite/);
  });

  it('pick round ticks', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-9, 8)).toEqual([-5, 0, 5]);
    expect(niceTicks(-0.013, 0.002)).toEqual([-0.01, -0.005, 0]);
  });
});
