import { describe, expect, it } from 'vitest';
import { findCell, formatMetric, layerSeries, metricGrid, sweepTable, type PromptSweepProbabilities } from '../../../../src/ui/features/interventions/sweepMetrics';

// Three classes: 0 = original concept's label, 1 = desired, 2 = other.
const before = [0.6, 0.2, 0.2];
function prompt(replaceMlpAfter: number[], adjustMlpAfter: number[]): PromptSweepProbabilities {
  return {
    baseline: before,
    cells: [
      { method: 'replace', layer: 0, module: 'mlp', probabilities: replaceMlpAfter },
      { method: 'adjust', layer: 0, module: 'mlp', probabilities: adjustMlpAfter },
    ],
  };
}
const context = { fromId: 'guitar', toId: 'piano', fromLabel: 0, toLabel: 1, numLayers: 2, promptTexts: ['p1', 'p2'] };

describe('sweep table', () => {
  it("computes the study's effect and precision per cell against the baseline", () => {
    const table = sweepTable([prompt([0.2, 0.6, 0.2], before)], { ...context, promptTexts: ['p1'] });
    const replace = findCell(table, { method: 'replace', layer: 0, module: 'mlp' })!;
    // effect = log(0.6/0.2) − log(0.2/0.6) = 2 ln 3: probability moved from guitar to piano.
    expect(replace.effect.mean).toBeCloseTo(2 * Math.log(3), 12);
    // precision = −KL(after ‖ before) = −(0.2 ln(0.2/0.6) + 0.6 ln(0.6/0.2)) = −0.4 ln 3
    expect(replace.precision.mean).toBeCloseTo(-0.4 * Math.log(3), 12);
    const adjust = findCell(table, { method: 'adjust', layer: 0, module: 'mlp' })!;
    expect(adjust.effect).toEqual({ mean: 0, std: 0, n: 1 });
    expect(Object.is(adjust.precision.mean, 0)).toBe(true);
    expect(table.methods).toEqual(['replace', 'adjust']);
  });

  it('averages over prompts with n and the sample std', () => {
    const table = sweepTable([prompt([0.2, 0.6, 0.2], before), prompt(before, before)], context);
    const replace = findCell(table, { method: 'replace', layer: 0, module: 'mlp' })!;
    expect(replace.effect.n).toBe(2);
    expect(replace.effect.mean).toBeCloseTo(Math.log(3), 12);
    expect(replace.effect.std).toBeCloseTo(Math.SQRT2 * Math.log(3), 12); // values 2 ln 3 and 0
  });

  it('lays a metric out as [layers, 3 modules] with NaN where no cell was run, and per-layer series', () => {
    const table = sweepTable([prompt([0.2, 0.6, 0.2], before)], context);
    const grid = metricGrid(table, 'effect', 'replace');
    expect(grid).toHaveLength(2 * 3);
    expect(grid[2]).toBeCloseTo(2 * Math.log(3), 5); // layer 0, mlp
    expect([0, 1, 3, 4, 5].every((i) => Number.isNaN(grid[i]))).toBe(true);
    expect(layerSeries(table, 'effect', 'replace', 'mlp')[1]).toBeNaN();
  });

  it('refuses an empty sweep', () => {
    expect(() => sweepTable([], context)).toThrow(/at least one swept prompt/);
  });

  it('formats metrics to three significant digits', () => {
    expect(formatMetric(-0.000523456)).toBe('-0.000523');
    expect(formatMetric(2.19722)).toBe('2.2');
    expect(formatMetric(0)).toBe('0');
    expect(formatMetric(123456)).toBe('1.23e+5');
  });
});
