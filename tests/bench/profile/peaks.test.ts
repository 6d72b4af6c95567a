import { describe, expect, it } from 'vitest';
import { gemmGraph, weightStreamGraph } from '../../../src/bench/profile/peakGraphs';
import { betterPeaks, peakRates } from '../../../src/bench/profile/peaks';
import { createRuntime } from '../../../src/runtime/ort';

describe('peakRates', () => {
  it('turns run times into GFLOP/s and weight GB/s: median and range', () => {
    const peak = peakRates({ kind: 'fp32 GEMM', label: 'a', flops: 2e9, weightBytes: 1e8, ms: [20, 10, 40] });
    expect(peak.gflops).toEqual({ median: 100, min: 50, max: 200 });
    expect(peak.weightGBps).toEqual({ median: 5, min: 2.5, max: 10 });
    expect(peak.runs).toBe(3);
  });

  it('refuses no runs', () => {
    expect(() => peakRates({ kind: 'int8 GEMM', label: 'b', flops: 1, weightBytes: 1, ms: [] })).toThrow(/no runs/);
  });
});

describe('betterPeaks', () => {
  it('keeps, per graph, the measurement with the higher median', () => {
    const rate = (median: number) => ({ median, min: median, max: median });
    const peak = (label: string, gflops: number) => ({ kind: 'fp32 GEMM' as const, label, gflops: rate(gflops), weightGBps: rate(1), runs: 9 });
    const before = [peak('a', 100), peak('b', 50)];
    const after = [peak('a', 80), peak('b', 70)];
    expect(betterPeaks(before, after).map((p) => p.gflops.median)).toEqual([100, 70]);
  });
});

describe('peak graphs', () => {
  const rows = 4;
  const k = 32;
  const n = 8;
  async function run(bytes: Uint8Array, dims: number[], x: Float32Array) {
    const runtime = await createRuntime('node');
    const session = await runtime.createSession('peak', bytes);
    const out = await session.run({ x: { type: 'float32', data: x, dims } });
    await session.release();
    return out.y.data as Float32Array;
  }
  const x = Float32Array.from({ length: rows * k }, (_, i) => Math.sin(i)); // [rows, k]

  it('the fp32 and int8 GEMMs compute the same product, to int8 rounding, with their FLOPs and weight bytes', async () => {
    const fp32 = gemmGraph('fp32 GEMM', rows, k, n);
    const int8 = gemmGraph('int8 GEMM', rows, k, n);
    expect(fp32.flops).toBe(2 * rows * k * n);
    expect(fp32.weightBytes).toBe(4 * k * n);
    expect(int8.weightBytes).toBe(k * n);
    const a = await run(fp32.bytes, fp32.inputDims, x); // [rows, n]
    const b = await run(int8.bytes, int8.inputDims, x); // [rows, n]
    expect(a).toHaveLength(rows * n);
    const scale = Math.max(...a.map(Math.abs));
    expect(scale).toBeGreaterThan(0);
    a.forEach((value, i) => expect(Math.abs(value - b[i])).toBeLessThan(0.05 * scale));
  });

  it('the weight stream chains two d×d products at batch 2', async () => {
    const graph = weightStreamGraph(16);
    expect(graph.weightBytes).toBe(2 * 16 * 16 * 4);
    const y = await run(graph.bytes, graph.inputDims, Float32Array.from({ length: 32 }, (_, i) => i / 32)); // [2, 16]
    expect(y).toHaveLength(32);
    expect(y.some((v) => v !== 0)).toBe(true);
  });
});
