import { describe, expect, it } from 'vitest';
import { chunkRanges, formatBytes, kvBytesPerRow, parseByteSize, rowsPerChunk } from '../../../src/analysis/interventions/rowMemory';
import { planSweepChunks, sweepCells } from '../../../src/analysis/interventions/sweep';

describe('sweep layout', () => {
  it('has one cell per method × layer × module, method first', () => {
    const cells = sweepCells(24);
    expect(cells).toHaveLength(144);
    expect(cells[0]).toEqual({ method: 'replace', layer: 0, module: 'attn' });
    expect(cells[2]).toEqual({ method: 'replace', layer: 0, module: 'mlp' });
    expect(cells[72]).toEqual({ method: 'adjust', layer: 0, module: 'attn' });
    expect(cells[143]).toEqual({ method: 'adjust', layer: 23, module: 'mlp' });
    expect(sweepCells(2, ['adjust'])).toHaveLength(6);
  });

  it('chunks the baseline and the cells, each row exactly once, baseline in the first chunk', () => {
    const chunks = planSweepChunks(7, 3);
    expect(chunks).toEqual([
      { baseline: true, cells: [0, 1] },
      { baseline: false, cells: [2, 3, 4] },
      { baseline: false, cells: [5, 6] },
    ]);
    expect(planSweepChunks(7, 100)).toEqual([{ baseline: true, cells: [0, 1, 2, 3, 4, 5, 6] }]);
  });
});

describe('row memory', () => {
  it("estimates the KV cache as 2 · L · h · positions · hd · 4 bytes · 2 branches: ~5.8 GB for musicgen-small's 73 rows (146 batch rows)", () => {
    const small = { numLayers: 24, numHeads: 16, headDim: 64 };
    expect(kvBytesPerRow(small, 203)).toBe(2 * 24 * 16 * 203 * 64 * 4 * 2);
    expect(73 * kvBytesPerRow(small, 203)).toBeCloseTo(5.83e9, -8);
    expect(rowsPerChunk(kvBytesPerRow(small, 203), 2 ** 30)).toBe(13);
    expect(rowsPerChunk(100, 10)).toBe(1); // a row larger than the budget still runs, alone
  });

  it('splits ranges, parses sizes, and refuses nonsense', () => {
    expect(chunkRanges(5, 2)).toEqual([[0, 2], [2, 4], [4, 5]]);
    expect(chunkRanges(5, 2, 3)).toEqual([[3, 5]]);
    expect(chunkRanges(5, 2, 5)).toEqual([]);
    expect(parseByteSize('2GiB')).toBe(2 ** 31);
    expect(parseByteSize('1.5GB')).toBe(1.5e9);
    expect(parseByteSize('512 mib')).toBe(512 * 2 ** 20);
    expect(parseByteSize('4096')).toBe(4096);
    expect(formatBytes(3 * 2 ** 30)).toBe('3.00 GiB');
    expect(() => parseByteSize('lots')).toThrow(/not a size/);
    expect(() => parseByteSize('0')).toThrow(/positive/);
    expect(() => rowsPerChunk(1, 0)).toThrow(/budget must be positive/);
    expect(() => chunkRanges(3, 0)).toThrow(/chunk size/);
  });
});
