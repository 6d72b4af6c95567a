import { describe, expect, it } from 'vitest';
import { emptyLensMeasurements, emptyTeacherForcedLens } from '../../../../src/analysis/lens/kernel';
import { depthLabel, lensHeatmap, playheadCell, teacherHeatmap } from '../../../../src/ui/features/lens/heatmapData';

// depths [1, 4], K = 2, frames = 2, steps = 3; [depths, K, steps]
const grid = { depths: [1, 4], numCodebooks: 2, steps: 3, frames: 2 };

describe('DecoderLens heatmap data', () => {
  it('reads a measurement as depth × frame, deepest first', () => {
    const m = emptyLensMeasurements(grid);
    m.entropy.set([1, 2, NaN, NaN, 3, 4, /* full */ 5, 6, NaN, NaN, 7, 8]);
    const codebook0 = lensHeatmap(m, 'entropy', 0);
    expect(codebook0.depths).toEqual([4, 1]);
    expect(codebook0.frames).toBe(2);
    expect(Array.from(codebook0.values)).toEqual([5, 6, 1, 2]);
    expect(Array.from(lensHeatmap(m, 'entropy', 'mean').values)).toEqual([6, 7, 2, 3]);
  });

  it('entropy minus the full model’s is 0 on the full row', () => {
    const m = emptyLensMeasurements(grid);
    m.entropy.set([1, 2, NaN, NaN, 3, 4, 5, 6, NaN, NaN, 7, 9]);
    const delta = lensHeatmap(m, 'entropyDelta', 1);
    // codebook 1: frame f at step f + 1
    expect(Array.from(delta.values)).toEqual([0, 0, 3 - 7, 4 - 9]);
  });

  it('teacher-forced measures the same way', () => {
    const lens = emptyTeacherForcedLens(grid);
    lens.kl.set([0.5, 0.25, NaN, NaN, 1, 2, 0, 0, NaN, NaN, 0, 0]);
    expect(Array.from(teacherHeatmap(lens, 'kl', 0).values)).toEqual([0, 0, 0.5, 0.25]);
  });

  it('marks the playing depth at its frame (the last one once the clip ended), nothing for a depth without a row', () => {
    const heatmap = lensHeatmap(emptyLensMeasurements(grid), 'entropy', 0); // rows: depths 4, 1
    expect(playheadCell(heatmap, { depth: 1, frame: 1 })).toEqual({ row: 1, column: 1 });
    expect(playheadCell(heatmap, { depth: 4, frame: 0 })).toEqual({ row: 0, column: 0 });
    expect(playheadCell(heatmap, { depth: 4, frame: 2 })).toEqual({ row: 0, column: 1 });
    expect(playheadCell(heatmap, { depth: 3, frame: 0 })).toBeNull();
    expect(playheadCell(heatmap, null)).toBeNull();
  });

  it('labels the full depth', () => {
    expect(depthLabel(4, 4)).toBe('full (4)');
    expect(depthLabel(2, 4)).toBe('depth 2');
  });
});
