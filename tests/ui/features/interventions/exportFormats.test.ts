import { describe, expect, it } from 'vitest';
import { sweepCsv, sweepFileStem, sweepJson } from '../../../../src/ui/features/interventions/exportFormats';
import type { SweepTable } from '../../../../src/ui/features/interventions/sweepMetrics';

const table: SweepTable = {
  fromId: 'guitar',
  toId: 'piano',
  fromLabel: 140,
  toLabel: 153,
  numLayers: 1,
  methods: ['replace'],
  prompts: ['Compose a happy rock piece, with a guitar melody. Use a fast tempo.'],
  rows: [
    { from: 'guitar', to: 'piano', method: 'replace', layer: 0, module: 'attn', effect: 0.5, effectStd: 0.1, precision: -0.25, precisionStd: 0.05, n: 2 },
    { from: 'guitar', to: 'piano', method: 'replace', layer: 0, module: 'cross_attn', effect: -1, effectStd: 0, precision: 0, precisionStd: 0, n: 2 },
  ],
};

describe('sweep exports', () => {
  it("writes the study runner's sweep.csv, one row per method × layer × module, plus the weights' dtype", () => {
    expect(sweepCsv(table, 'q8')).toBe(
      'from,to,method,layer,module,effect,precision,n,effect_std,precision_std,dtype\nguitar,piano,replace,0,attn,0.5,-0.25,2,0.1,0.05,q8\nguitar,piano,replace,0,cross_attn,-1,0,2,0,0,q8\n',
    );
  });

  it('writes JSON of everything, self-described', () => {
    const json = JSON.parse(sweepJson(table, { modelName: 'tiny', dtype: 'q4' })) as Record<string, unknown>;
    expect(json).toMatchObject({ format: 'musicgen-lab-sweep', version: 1, modelName: 'tiny', dtype: 'q4', fromId: 'guitar', rows: table.rows, prompts: table.prompts });
    expect(sweepFileStem(table)).toBe('guitar-to-piano-sweep');
  });
});
