import { describe, expect, it } from 'vitest';
import type { ProfileRunResult } from '../../../src/bench/profile/job';
import { memoryBreakdown, memoryLines } from '../../../src/bench/profile/memory';

const MiB = 2 ** 20;
const result: ProfileRunResult = {
  description: 'test',
  dtype: 'q8',
  batchRows: 2,
  stepSeconds: [0.1, 0.05],
  rssAtStartBytes: 80 * MiB,
  rssWithRuntimeBytes: 100 * MiB,
  sessions: [
    { name: 'embed.onnx', modelBytes: 100 * MiB, rssBytes: 250 * MiB, wasmHeapBytes: 128 * MiB },
    { name: 'block_0.onnx', modelBytes: 300 * MiB, rssBytes: 600 * MiB, wasmHeapBytes: 512 * MiB },
  ],
  peakRssBytes: 700 * MiB,
  wasmHeapBytes: 600 * MiB,
};

describe('memoryBreakdown', () => {
  it('natively: RSS growth over the baseline with onnxruntime loaded, against the weights', () => {
    const m = memoryBreakdown(result, 'node', 100 * MiB);
    expect(m.weightsBytes).toBe(400 * MiB);
    expect(m.baselineBytes).toBe(100 * MiB);
    expect(m.loadGrowthPerWeightByte).toBeCloseTo(500 / 400);
    expect(m.peakRatio).toBeCloseTo(700 / 500);
    expect(m.peakRatioAboveBaseline).toBeCloseTo(600 / 500);
  });

  it('on WASM: the heap, which has no baseline', () => {
    const m = memoryBreakdown(result, 'wasm', 100 * MiB);
    expect(m.baselineBytes).toBe(0);
    expect(m.loadGrowthPerWeightByte).toBeCloseTo(512 / 400);
    expect(m.peakRatio).toBeCloseTo(600 / 500);
  });

  it('prints one line per backend with the figures', () => {
    expect(memoryLines(result, 'node', 100 * MiB)).toEqual([
      'memory (native RSS): Node alone 80 MiB, with onnxruntime loaded and no session 100 MiB; loading 400 MiB of graphs added 1.25 bytes per weight byte; peak 700 MiB = 1.40 × (weights + KV 100 MiB), 1.20 × without the baseline',
    ]);
    expect(memoryLines(result, 'wasm', 100 * MiB)[0]).toMatch(/^memory \(wasm heap\): 400 MiB of graphs grew the heap to 512 MiB \(1.28 bytes per weight byte\); peak 600 MiB = 1.20 ×/);
  });
});
