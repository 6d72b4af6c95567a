/** Requests the bench sends a runner and what each answers (Node child over IPC, or a Chromium worker). */
import type { Workload } from '../../src/bench/plan';
import type { Block } from '../../src/bench/results';
import type { StepTiming } from '../../src/bench/timing';

export interface OpenInfo {
  description: string;
  loadSeconds: number;
  weightsBytes: number;
  rssAfterLoadBytes?: number;
}

export interface GenerationInfo {
  plain: StepTiming;
  peakRssBytes?: number;
  wasmHeapBytes?: number;
}

/** A runner as the bench drives it; each call waits for the previous one. */
export interface RunnerHandle {
  open(): Promise<OpenInfo>;
  generation(): Promise<GenerationInfo>;
  block(workload: Workload, steps: number): Promise<Block>;
  close(): Promise<void>;
}

export type RunnerRequest = { id: number } & ({ op: 'open' } | { op: 'generation' } | { op: 'block'; workload: Workload; steps: number } | { op: 'close' });
export type RunnerReply = { id: number } & ({ ok: true; value: unknown } | { ok: false; error: string });
