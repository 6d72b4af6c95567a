/** The measured peaks (scripts/bench/profilePeak.ts) as rates: median over the rounds, with range. */
import { spread, type Spread } from '../stats';
import type { PeakKind } from './peakGraphs';

export interface PeakTimes {
  kind: PeakKind;
  label: string;
  flops: number;
  weightBytes: number;
  ms: number[]; // one per round
}

export type Rate = Pick<Spread, 'median' | 'min' | 'max'>;

export interface Peak {
  kind: PeakKind;
  label: string;
  gflops: Rate; // GFLOP/s (int8: G operations/s)
  weightGBps: Rate; // weight bytes read per second, GB/s
  runs: number;
}

function rate(amount: number, ms: readonly number[]): Rate {
  const { median, min, max } = spread(ms.map((t) => amount / (t / 1000) / 1e9));
  return { median, min, max };
}

export function peakRates(times: PeakTimes): Peak {
  if (times.ms.length === 0) throw new Error(`${times.kind}: no runs were timed`);
  return { kind: times.kind, label: times.label, gflops: rate(times.flops, times.ms), weightGBps: rate(times.weightBytes, times.ms), runs: times.ms.length };
}

/**
 * Peaks measured twice (before and after the profiled cases): per graph, the measurement with the
 * higher median. What the machine sustains is the better one; the other ran while something else
 * (another process on a shared machine) took cores or memory bandwidth.
 */
export function betterPeaks(first: readonly Peak[], second: readonly Peak[]): Peak[] {
  return first.map((peak) => {
    const other = second.find((p) => p.label === peak.label);
    return other && other.gflops.median > peak.gflops.median ? other : peak;
  });
}
