/**
 * The profile's conclusion, read off the numbers: the matrix products' achieved rate set against
 * what this machine sustains (src/bench/profile/peaks.ts). A resource counts as saturated at
 * SATURATED of its measured peak or more.
 */
import type { Peak } from './peaks';
import { matmulTotals, type StepProfile } from './summary';

export const SATURATED = 0.7;

// MatMulNBits too: the q4 bundles ask for accuracy_level 4, int8 arithmetic on the 4-bit weights.
const INTEGER_OPS = new Set(['MatMulInteger', 'DynamicQuantizeMatMul', 'MatMulIntegerToFloat', 'MatMulNBits']);

export interface Verdict {
  matmulShare: number; // of kernel time
  gflops: number; // achieved by the matrix products
  weightGBps: number;
  computePeak: Peak; // fp32 or int8 GEMM, whichever kind of product dominates
  streamPeak: Peak;
  /** Factor applied to the profiled kernel times (1: none). */
  timeScale: number;
  bound: 'compute' | 'memory' | 'neither';
  text: string;
}

const pct = (x: number) => `${Math.round(100 * x)} %`;
const fixed = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1));

export function verdict(label: string, profile: StepProfile, peaks: readonly Peak[], unprofiledMsPerStep?: number): Verdict {
  const totals = matmulTotals(profile);
  const timeScale = unprofiledMsPerStep === undefined ? 1 : Math.min(1, unprofiledMsPerStep / profile.runMsPerStep);
  const matmulSeconds = (totals.msPerStep * timeScale) / 1000;
  if (totals.msPerStep === 0) throw new Error(`${label}: no matrix products in the profile`);
  const integerMs = profile.ops.filter((row) => INTEGER_OPS.has(row.op)).reduce((sum, row) => sum + row.msPerStep, 0);
  const find = (kind: Peak['kind']) => {
    const peak = peaks.find((p) => p.kind === kind);
    if (!peak) throw new Error(`no ${kind} peak measured`);
    return peak;
  };
  const computePeak = find(integerMs > totals.msPerStep / 2 ? 'int8 GEMM' : 'fp32 GEMM');
  const streamPeak = find('fp32 weight stream');
  const gflops = totals.flopsPerStep / matmulSeconds / 1e9;
  const weightGBps = totals.weightBytesPerStep / matmulSeconds / 1e9;
  const ofCompute = gflops / computePeak.gflops.median;
  const ofStream = weightGBps / streamPeak.weightGBps.median;
  const bound = ofCompute >= SATURATED && ofCompute >= ofStream ? 'compute' : ofStream >= SATURATED ? 'memory' : 'neither';
  const matmulShare = totals.msPerStep / profile.kernelMsPerStep;
  const conclusion =
    bound === 'compute' ? 'compute bound' : bound === 'memory' ? 'memory bound' : `neither saturated (${pct(ofCompute)} of the ${computePeak.kind} peak, ${pct(ofStream)} of the weight stream)`;
  const scaled = timeScale < 1 ? ` (profiled times × ${timeScale.toFixed(2)}: the step's time without the profiler)` : '';
  const text =
    `${label}: ${pct(matmulShare)} of kernel time in matrix products, at ${fixed(gflops)} GFLOP/s and ${fixed(weightGBps)} GB/s of B operands (weights, K/V cache)${scaled}; ` +
    `this machine sustains ${fixed(computePeak.gflops.median)} GFLOP/s (${computePeak.kind}) and ${fixed(streamPeak.weightGBps.median)} GB/s (weight stream): ${conclusion}`;
  return { matmulShare, gflops, weightGBps, computePeak, streamPeak, timeScale, bound, text };
}
