import { describe, expect, it } from 'vitest';
import { opTable, peakTable } from '../../../src/bench/profile/format';
import type { StepProfile } from '../../../src/bench/profile/summary';

const profile: StepProfile = {
  steps: 3,
  runMsPerStep: 110,
  kernelMsPerStep: 100,
  ops: [
    { op: 'MatMul', msPerStep: 80, callsPerStep: 144, flopsPerStep: 4e9, weightBytesPerStep: 1.6e9 },
    { op: 'Add', msPerStep: 15, callsPerStep: 200 },
    { op: 'Mul', msPerStep: 5, callsPerStep: 50 },
  ],
};

describe('opTable', () => {
  it('prints each op type with its share, and the matrix products’ rates', () => {
    const lines = opTable(profile, 2);
    expect(lines[2]).toBe('| MatMul | 80.0 | 80.0 % | 144 | 4.00 | 50 | 20 |');
    expect(lines[3]).toBe('| Add | 15.0 | 15.0 % | 200 |  |  |  |');
    expect(lines[4]).toBe('| 1 other op types | 5.00 | 5.0 % | 50 | | | |');
    expect(lines.slice(-2)).toEqual(['| all kernels | 100 | 100 % | | | | |', '| inside session.run (model_run) | 110 | | | | | |']);
  });
});

describe('peakTable', () => {
  it('prints median and range per peak', () => {
    const lines = peakTable('native', [{ kind: 'fp32 GEMM', label: 'fp32 GEMM, 256 rows', gflops: { median: 95.4, min: 72, max: 96.2 }, weightGBps: { median: 0.72, min: 0.6, max: 0.8 }, runs: 7 }]);
    expect(lines[2]).toBe('| fp32 GEMM, 256 rows | 95 (72–96) | 0.7 (0.6–0.8) | 7 |');
  });
});
