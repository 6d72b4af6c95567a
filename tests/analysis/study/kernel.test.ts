import { describe, expect, it } from 'vitest';
import { lensCsv, sweepCsv } from '../../../src/analysis/study/csv';
import { lensPromptMetrics, summarizeLens, summarizeSweep, sweepPromptMetrics } from '../../../src/analysis/study/kernel';
import { sweepCells } from '../../../src/analysis/interventions/sweep';

describe('study kernel', () => {
  it('scores each cell of a prompt against its baseline: effect with the labels, precision as −KL(after ‖ before)', () => {
    // 3 classes; original label 0, desired label 1
    const baseline = Float32Array.of(0, 0, 0); // p = 1/3 each
    const cells = Float32Array.of(0, 0, 0, Math.log(0.5 / 0.25), Math.log(0.25 / 0.25) + Math.log(2), 0); // unchanged; then p = [0.4, 0.4, 0.2]
    const result = sweepPromptMetrics(7, baseline, cells, 3, 0, 1);
    expect(result.prompt).toBe(7);
    expect(result.effect[0]).toBeCloseTo(0, 12);
    expect(result.precision[0]).toBeCloseTo(0, 12);
    // after: logits [ln 2, ln 2, 0] -> p = [0.4, 0.4, 0.2]; effect = log(1/1) − log(0.4/0.4) = 0
    expect(result.effect[1]).toBeCloseTo(0, 12);
    const kl = 0.4 * Math.log(0.4 * 3) * 2 + 0.2 * Math.log(0.2 * 3);
    expect(result.precision[1]).toBeCloseTo(-kl, 8); // logits are float32
  });

  it('moves probability towards the desired label for a positive effect', () => {
    const result = sweepPromptMetrics(0, Float32Array.of(0, 0), Float32Array.of(0, Math.log(4)), 2, 0, 1);
    // before log(p_o/p_d) = 0; after p_o/p_d = 1/4 -> effect = 0 − log(1/4) = log 4
    expect(result.effect[0]).toBeCloseTo(Math.log(4), 6);
  });

  it('averages cells over prompts with std and n, in cell order', () => {
    const cells = sweepCells(1);
    const rows = summarizeSweep('guitar', 'piano', cells, [
      { prompt: 0, effect: [1, 2, 3, 4, 5, 6], precision: [0, 0, 0, 0, 0, -1] },
      { prompt: 1, effect: [3, 2, 3, 4, 5, 6], precision: [0, 0, 0, 0, 0, -3] },
    ]);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual({ from: 'guitar', to: 'piano', method: 'replace', layer: 0, module: 'attn', effect: 2, effectStd: Math.SQRT2, precision: 0, precisionStd: 0, n: 2 });
    expect(rows[5]).toMatchObject({ method: 'adjust', module: 'mlp', precision: -2, n: 2 });
    expect(() => summarizeSweep('a', 'b', cells, [])).toThrow(/no prompt/);
    expect(() => summarizeSweep('a', 'b', cells, [{ prompt: 0, effect: [1], precision: [1] }])).toThrow(/1 results for 6 cells/);
  });

  it('gives NDCG per depth and its average over prompts', () => {
    // 4 classes, relevant {2}: depth 1 ranks it first (NDCG 1), depth 2 ranks it second (1/log2 3)
    const logits = Float32Array.of(0, 0, 5, 1, 0, 0, 1, 5);
    const result = lensPromptMetrics('guitar', 0, logits, 4, [2]);
    expect(result.ndcg[0]).toBeCloseTo(1, 12);
    expect(result.ndcg[1]).toBeCloseTo(1 / Math.log2(3), 12);
    const rows = summarizeLens('guitar', 2, [result, { concept: 'guitar', prompt: 1, ndcg: [0, 1] }]);
    expect(rows.map((r) => [r.depth, r.n])).toEqual([[1, 2], [2, 2]]);
    expect(rows[0].ndcg).toBeCloseTo(0.5, 12);
  });

  it('writes the CSVs with the stated columns, one line per row', () => {
    const sweep = summarizeSweep('guitar', 'piano', sweepCells(1), [{ prompt: 0, effect: [1, 2, 3, 4, 5, 6], precision: [0, -1, -2, -3, -4, -5] }]);
    const lines = sweepCsv(sweep).trim().split('\n');
    expect(lines[0]).toBe('from,to,method,layer,module,effect,precision,n,effect_std,precision_std');
    expect(lines[1]).toBe('guitar,piano,replace,0,attn,1,0,1,0,0');
    expect(lines[6]).toBe('guitar,piano,adjust,0,mlp,6,-5,1,0,0');
    const lens = lensCsv(summarizeLens('hip hop', 1, [{ concept: 'hip hop', prompt: 0, ndcg: [0.25] }]));
    expect(lens).toBe('concept,depth,ndcg,n,ndcg_std\nhip hop,1,0.25,1,0\n');
  });
});
