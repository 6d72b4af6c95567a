/**
 * Per-op-type summary of profiled decoder steps: milliseconds per step, calls, and for matrix
 * products the FLOPs and weight bytes, so their GFLOP/s and GB/s can be set against the machine's
 * measured peaks. Step 0 (warm-up: first run of every session) is left out.
 */
import type { ProfileEvent, SessionProfile } from './events';
import { matmulFlops, matmulOperandBytes } from './matmulWork';

export interface OpRow {
  op: string;
  msPerStep: number;
  callsPerStep: number;
  /** Matrix products only: FLOPs and B-operand bytes (weights, K/V cache) read per step. */
  flopsPerStep?: number;
  weightBytesPerStep?: number;
}

export interface StepProfile {
  steps: number; // steps counted (all but the warm-up)
  /** Time inside session.run (onnxruntime's model_run) and inside its kernels, per step. */
  runMsPerStep: number;
  kernelMsPerStep: number;
  ops: OpRow[]; // by time, largest first
}

/**
 * The kernels of the runs that belong to steps 1..steps-1. A session that ran fewer times than there
 * are steps (cross_kv: once per prompt) is not per-step work and is left out; one that ran r times a
 * step loses its first r runs.
 */
function steadyRuns(events: readonly ProfileEvent[], steps: number): { runs: ProfileEvent[]; kernels: ProfileEvent[] } {
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  if (runs.length < steps || runs.length % steps !== 0) return { runs: [], kernels: [] };
  const kept = runs.slice(runs.length / steps);
  const inside = (e: ProfileEvent) => kept.some((run) => e.ts >= run.ts && e.ts < run.ts + run.dur);
  return { runs: kept, kernels: events.filter((e) => e.cat === 'Node' && e.op && inside(e)) };
}

export function summariseSteps(profiles: readonly SessionProfile[], steps: number): StepProfile {
  if (steps < 2) throw new Error('profile at least 2 steps: the first is the warm-up');
  const counted = steps - 1;
  const rows = new Map<string, { us: number; calls: number; flops: number; weightBytes: number; matmul: boolean }>();
  let runUs = 0;
  let kernelUs = 0;
  for (const profile of profiles) {
    const { runs, kernels } = steadyRuns(profile.events, steps);
    runUs += runs.reduce((sum, run) => sum + run.dur, 0);
    for (const kernel of kernels) {
      const op = kernel.op!;
      const row = rows.get(op) ?? { us: 0, calls: 0, flops: 0, weightBytes: 0, matmul: false };
      const flops = matmulFlops(kernel);
      row.us += kernel.dur;
      row.calls += 1;
      if (flops !== undefined) {
        row.matmul = true;
        row.flops += flops;
        row.weightBytes += matmulOperandBytes(kernel) ?? 0;
      }
      rows.set(op, row);
      kernelUs += kernel.dur;
    }
  }
  const ops = [...rows.entries()]
    .map(([op, r]): OpRow => ({
      op,
      msPerStep: r.us / 1000 / counted,
      callsPerStep: r.calls / counted,
      ...(r.matmul ? { flopsPerStep: r.flops / counted, weightBytesPerStep: r.weightBytes / counted } : {}),
    }))
    .sort((a, b) => b.msPerStep - a.msPerStep);
  return { steps: counted, runMsPerStep: runUs / 1000 / counted, kernelMsPerStep: kernelUs / 1000 / counted, ops };
}

/** All matrix-product rows together. */
export function matmulTotals(profile: StepProfile): { msPerStep: number; flopsPerStep: number; weightBytesPerStep: number } {
  const matmuls = profile.ops.filter((row) => row.flopsPerStep !== undefined);
  return {
    msPerStep: matmuls.reduce((sum, row) => sum + row.msPerStep, 0),
    flopsPerStep: matmuls.reduce((sum, row) => sum + (row.flopsPerStep ?? 0), 0),
    weightBytesPerStep: matmuls.reduce((sum, row) => sum + (row.weightBytesPerStep ?? 0), 0),
  };
}
