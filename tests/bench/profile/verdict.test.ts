import { describe, expect, it } from 'vitest';
import type { Peak } from '../../../src/bench/profile/peaks';
import type { StepProfile } from '../../../src/bench/profile/summary';
import { verdict } from '../../../src/bench/profile/verdict';

const peak = (kind: Peak['kind'], gflops: number, gbps: number): Peak => ({ kind, label: kind, gflops: { median: gflops, min: gflops, max: gflops }, weightGBps: { median: gbps, min: gbps, max: gbps }, runs: 3 });
const PEAKS = [peak('fp32 GEMM', 100, 0.4), peak('int8 GEMM', 300, 0.3), peak('fp32 weight stream', 8, 16)];

/** A step of `ms` in one matrix-product op plus 10 ms of Add. */
function step(op: string, ms: number, gflop: number, weightGB: number): StepProfile {
  return {
    steps: 3,
    runMsPerStep: ms + 12,
    kernelMsPerStep: ms + 10,
    ops: [{ op, msPerStep: ms, callsPerStep: 100, flopsPerStep: gflop * 1e9, weightBytesPerStep: weightGB * 1e9 }, { op: 'Add', msPerStep: 10, callsPerStep: 50 }],
  };
}

describe('verdict', () => {
  it('calls a step compute bound when its products reach the GEMM peak', () => {
    const v = verdict('lens step', step('MatMul', 90, 8.1, 0.16), PEAKS); // 90 GFLOP/s, 1.8 GB/s
    expect(v.gflops).toBeCloseTo(90);
    expect(v.matmulShare).toBeCloseTo(0.9);
    expect(v.computePeak.kind).toBe('fp32 GEMM');
    expect(v.bound).toBe('compute');
  });

  it('calls a step memory bound when its weight bytes per second reach the stream peak', () => {
    const v = verdict('plain step', step('MatMul', 100, 0.8, 1.5), PEAKS); // 8 GFLOP/s, 15 GB/s
    expect(v.bound).toBe('memory');
    expect(v.text).toBe(
      'plain step: 91 % of kernel time in matrix products, at 8.0 GFLOP/s and 15 GB/s of B operands (weights, K/V cache); this machine sustains 100 GFLOP/s (fp32 GEMM) and 16 GB/s (weight stream): memory bound',
    );
  });

  it('compares integer products with the int8 peak and says when nothing is saturated', () => {
    const v = verdict('q8 step', step('DynamicQuantizeMatMul', 100, 3, 0.4), PEAKS); // 30 GOP/s, 4 GB/s
    expect(v.computePeak.kind).toBe('int8 GEMM');
    expect(v.bound).toBe('neither');
    expect(v.text).toMatch(/neither saturated \(10 % of the int8 GEMM peak, 25 % of the weight stream\)$/);
  });

  it('scales the profiled times down to the step time measured without the profiler', () => {
    const profile = step('MatMul', 90, 4.5, 0.16); // 50 GFLOP/s as profiled; run 102 ms
    const v = verdict('lens step', profile, PEAKS, 81.6); // 0.8 × the profiled run
    expect(v.timeScale).toBeCloseTo(0.8);
    expect(v.gflops).toBeCloseTo(62.5);
    expect(v.text).toMatch(/^lens step: 90 % of kernel time in matrix products, at 63 GFLOP\/s and 2.2 GB\/s of B operands \(weights, K\/V cache\) \(profiled times × 0.80: the step's time without the profiler\); /);
    expect(verdict('x', profile, PEAKS, 500).timeScale).toBe(1); // never scaled up
  });

  it('compares q4 (MatMulNBits, int8 arithmetic) with the int8 peak', () => {
    expect(verdict('q4 step', step('MatMulNBits', 50, 1.5, 0.2), PEAKS).computePeak.kind).toBe('int8 GEMM');
  });

  it('refuses a profile without matrix products', () => {
    expect(() => verdict('x', { steps: 1, runMsPerStep: 1, kernelMsPerStep: 1, ops: [{ op: 'Add', msPerStep: 1, callsPerStep: 1 }] }, PEAKS)).toThrow(/no matrix products/);
  });
});
