/** Public types of the engine: what a caller (worker API, CLI, tests) asks for and gets back. */
import type { GenerationHandler } from './handlers';
import type { HookName, PatchableHookName } from './hooks';

/** Guidance branches: each generated row runs as a conditional and a null (unconditioned) batch row. */
export type Branch = 'cond' | 'null';

/**
 * How a patch changes a module output `out` (all are `out * keep + add` per batch row):
 *  - replace: out := values                  (keep 0, add values)
 *  - adjust:  out := out + values            (keep 1, add values; values = mean_desired - mean_original)
 *  - add:     out := out + scale * values    (keep 1; steering)
 */
export type PatchKind = 'replace' | 'adjust' | 'add';

export interface PatchSpec {
  hook: PatchableHookName;
  kind: PatchKind;
  /**
   * Either per step and branch, shape [steps, 2, d] (branch 0 = cond, 1 = null; as captured by the
   * engine), or one vector [d] used at every step and branch.
   */
  values: Float32Array;
  scale?: number; // only for 'add'; default 1
  /** Which guidance rows are patched: 'cond' (default, as in the study) or 'both'. */
  branches?: 'cond' | 'both';
  /** Decoder steps [start, end) to patch; default all steps. */
  steps?: readonly [number, number];
}

/** One generated sequence (one guidance pair of batch rows). */
export interface RowSpec {
  /** Index into the prompts (or encoder states) of the request. */
  prompt: number;
  /** DecoderLens depth: number of decoder blocks used, 1..numLayers; default all. */
  depth?: number;
  patches?: readonly PatchSpec[];
}

export interface SamplingOptions {
  /** Greedy argmax (used by the reference fixtures) instead of sampling. Default false. */
  greedy: boolean;
  topK: number; // default 250 (audiocraft); 0 = no top-k
  temperature: number; // default 1
  seed: number; // default 42; every row replays the same stream of this seed, so a row samples the same alone or in any batch
}

export interface GenerateOptions extends Partial<SamplingOptions> {
  frames: number; // EnCodec frames (50 per second); takes frames + K - 1 decoder steps
  guidanceScale?: number; // default 3: uncond + g * (cond - uncond); 1 disables guidance's effect
  rows: readonly RowSpec[];
  /** Hooks to keep at every step for every row (RowResult.captures); memory grows with steps. */
  capture?: readonly HookName[];
  /** Analysis handlers called during the run (streamed statistics, means, lens measures). */
  handlers?: readonly GenerationHandler[];
  signal?: AbortSignal;
  onProgress?: (progress: { step: number; steps: number }) => void;
}

export interface RowResult {
  /** Generated codes, undelayed: [K, frames], row-major. */
  codes: Int32Array;
  /** The delayed sequence including the start column: [K, frames + K], row-major. */
  sequence: Int32Array;
  /** Captured activations per hook: [steps, 2 (cond, null), d]; absent for layers past the row's depth. */
  captures: Partial<Record<HookName, Float32Array>>;
}

export interface GenerateResult {
  frames: number;
  steps: number;
  rows: RowResult[];
}

export const DEFAULT_SAMPLING: SamplingOptions = { greedy: false, topK: 250, temperature: 1, seed: 42 };
export const DEFAULT_GUIDANCE_SCALE = 3;
