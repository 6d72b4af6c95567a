/** What scripts/bench/profile.ts asks of one profiled process (scripts/bench/profileRun.ts), and what it answers. */
import type { WeightDtype } from '../../bundle/manifest';

export type ProfileWorkload = 'plain' | 'lens' | 'sweep';

export interface ProfileJob {
  backend: 'node' | 'wasm';
  threads: number;
  bundleDir: string;
  workload: ProfileWorkload;
  /** Decoder steps to run; the first (warm-up) is left out of the summary. */
  steps: number;
  frames: number;
  textTokens: number;
  seed: number;
  /** Where onnxruntime-node writes the profiles; absent: profiler off (a timing or memory run). */
  profileDir?: string;
  out: string;
}

/** Memory right after one session was created. */
export interface SessionMemory {
  name: string;
  modelBytes: number;
  rssBytes: number;
  wasmHeapBytes: number; // 0 on onnxruntime-node
}

export interface ProfileRunResult {
  description: string;
  dtype: WeightDtype;
  batchRows: number;
  stepSeconds: number[];
  /** RSS of the Node process before onnxruntime is imported, and with it loaded and no session. */
  rssAtStartBytes: number;
  rssWithRuntimeBytes: number;
  sessions: SessionMemory[];
  peakRssBytes: number;
  wasmHeapBytes: number;
}
