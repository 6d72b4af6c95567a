import { describe, expect, it } from 'vitest';
import { findRow, formatMetric, layerSeries, metricGrid, metricStd, sweepTable, type PromptSweepLogits } from '../../../../src/ui/features/interventions/sweepMetrics';

// Three classes: 0 = original concept's label, 1 = desired, 2 = other. Logits = ln p, so softmax gives p back.
const logits = (p: number[]) => Float32Array.from(p, Math.log);
const before = [0.6, 0.2, 0.2];
function prompt(replaceMlpAfter: number[], adjustMlpAfter: number[]): PromptSweepLogits {
  return {
    baseline: logits(before),
    cells: [
      { method: 'replace', layer: 0, module: 'mlp', logits: logits(replaceMlpAfter) },
      { method: 'adjust', layer: 0, module: 'mlp', logits: logits(adjustMlpAfter) },
    ],
  };
}
const context = { fromId: 'guitar', toId: 'piano', fromLabel: 0, toLabel: 1, numLayers: 2, promptTexts: ['p1', 'p2'] };

describe('sweep table', () => {
  it("computes the study's effect and precision per cell against the baseline", () => {
    const table = sweepTable([prompt([0.2, 0.6, 0.2], before)], { ...context, promptTexts: ['p1'] });
    const replace = findRow(table, { method: 'replace', layer: 0, module: 'mlp' })!;
    // effect = log(0.6/0.2) − log(0.2/0.6) = 2 ln 3: probability moved from guitar to piano.
    expect(replace.effect).toBeCloseTo(2 * Math.log(3), 5);
    // precision = −KL(after ‖ before) = −(0.2 ln(0.2/0.6) + 0.6 ln(0.6/0.2)) = −0.4 ln 3
    expect(replace.precision).toBeCloseTo(-0.4 * Math.log(3), 5);
    expect(replace).toMatchObject({ from: 'guitar', to: 'piano', n: 1, effectStd: 0 });
    const adjust = findRow(table, { method: 'adjust', layer: 0, module: 'mlp' })!;
    expect(adjust.effect).toBeCloseTo(0, 6);
    expect(adjust.precision).toBeCloseTo(0, 6);
    expect(table.methods).toEqual(['replace', 'adjust']);
  });

  it('averages over prompts with n and the sample std', () => {
    const table = sweepTable([prompt([0.2, 0.6, 0.2], before), prompt(before, before)], context);
    const replace = findRow(table, { method: 'replace', layer: 0, module: 'mlp' })!;
    expect(replace.n).toBe(2);
    expect(replace.effect).toBeCloseTo(Math.log(3), 5);
    expect(metricStd(replace, 'effect')).toBeCloseTo(Math.SQRT2 * Math.log(3), 5); // values 2 ln 3 and 0
  });

  it('lays a metric out as [layers, 3 modules] with NaN where no cell was run, and per-layer series', () => {
    const table = sweepTable([prompt([0.2, 0.6, 0.2], before)], context);
    const grid = metricGrid(table, 'effect', 'replace');
    expect(grid).toHaveLength(2 * 3);
    expect(grid[2]).toBeCloseTo(2 * Math.log(3), 5); // layer 0, mlp
    expect([0, 1, 3, 4, 5].every((i) => Number.isNaN(grid[i]))).toBe(true);
    expect(layerSeries(table, 'effect', 'replace', 'mlp')[1]).toBeNaN();
  });

  it('refuses an empty sweep and prompts swept over different cells', () => {
    expect(() => sweepTable([], context)).toThrow(/at least one swept prompt/);
    const other = prompt(before, before);
    other.cells.reverse();
    expect(() => sweepTable([prompt(before, before), other], context)).toThrow(/prompt 2 was swept over other cells/);
  });

  it('formats metrics to three significant digits', () => {
    expect(formatMetric(-0.000523456)).toBe('-0.000523');
    expect(formatMetric(2.19722)).toBe('2.2');
    expect(formatMetric(0)).toBe('0');
    expect(formatMetric(123456)).toBe('1.23e+5');
  });
});
