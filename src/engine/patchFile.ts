/**
 * Patch files: a JSON description of interventions, shared by the CLI and (later) the UI.
 *
 * {
 *   "patches": [
 *     { "hook": "blocks.23.hook_mlp_out", "kind": "replace" | "adjust" | "add",
 *       "values": [ ...d numbers... ]                       // one vector for every step and branch
 *       or "valuesFrom": { "file": "means.safetensors", "tensor": "blocks.23.hook_mlp_out" },  // [steps, 2, d] or [d]
 *       "subtractFrom": { "file": "other.safetensors", "tensor": "..." },  // optional: values - this (adjust = desired - original)
 *       "scale": 1, "branches": "cond" | "both", "steps": [start, end] }
 *   ]
 * }
 *
 * Everything is checked here, once, with messages that name the patch and the field: shapes (not
 * only lengths), finite values after conversion to float32 (1e39 is a JSON number but Infinity in
 * float32), scale × values within float32, and per-step values long enough for the run.
 */
import { formatShape } from '../checkpoint/safetensors';
import type { PatchableHookName } from './hooks';
import { parseHookName } from './hooks';
import type { PatchKind, PatchSpec } from './types';
import { messageOf } from '../errorMessage';

export interface TensorRef {
  file: string;
  tensor: string;
}

export interface ResolvedTensor {
  shape: readonly number[];
  values: Float32Array;
}

/** Resolves a tensor reference (a safetensors file next to the patch file) to float32 values and their shape. */
export type TensorResolver = (ref: TensorRef) => Promise<ResolvedTensor>;

/** The model and run a patch file is read for. */
export interface PatchTarget {
  numLayers: number;
  hiddenSize: number;
  /** Decoder steps of the generation, when known: per-step values must cover them. */
  steps?: number;
  /** Decoder steps per second of audio (50 for MusicGen), for messages in seconds. */
  stepsPerSecond?: number;
}

export class PatchFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatchFileError';
  }
}

const KINDS: readonly PatchKind[] = ['replace', 'adjust', 'add'];
const FLOAT32_MAX = 3.4028234663852886e38;

function fail(source: string, index: number, message: string): never {
  throw new PatchFileError(`${source}: patches[${index}]: ${message}`);
}

function parseRef(value: unknown, source: string, index: number, key: string): TensorRef {
  const ref = value as Partial<TensorRef> | undefined;
  if (!ref || typeof ref.file !== 'string' || typeof ref.tensor !== 'string') fail(source, index, `${key} must be {"file": ..., "tensor": ...}`);
  return { file: ref.file, tensor: ref.tensor };
}

/** Index of the first value that is not finite, or -1. */
function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

function maxAbs(values: Float32Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}

function seconds(steps: number, target: PatchTarget): string {
  return target.stepsPerSecond ? ` (${(steps / target.stepsPerSecond).toFixed(2)} s)` : '';
}

/** Inline `values`: finite JSON numbers that stay finite in float32. */
function inlineValues(raw: unknown[], source: string, index: number): Float32Array {
  raw.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(source, index, `values[${i}] is ${JSON.stringify(v)}; values must be finite numbers`);
    if (Math.abs(v) > FLOAT32_MAX) fail(source, index, `values[${i}] = ${v} is beyond float32's range (±3.4e38)`);
  });
  return Float32Array.from(raw as number[]);
}

/**
 * A referenced tensor as [d] or [steps, 2, d] values: the shape is checked, values must be finite,
 * a tensor from a shorter run is refused plainly and one from a longer run keeps its first steps.
 */
async function tensorValues(
  ref: TensorRef,
  key: string,
  resolve: TensorResolver,
  target: PatchTarget,
  patchEnd: number | undefined,
  source: string,
  index: number,
): Promise<{ shape: number[]; values: Float32Array }> {
  let resolved: ResolvedTensor;
  try {
    resolved = await resolve(ref);
  } catch (error) {
    fail(source, index, `${key}: ${messageOf(error)}`);
  }
  const where = `${key} "${ref.tensor}" in ${ref.file}`;
  const d = target.hiddenSize;
  const shape = [...resolved.shape];
  const perStep = shape.length === 3 && shape[1] === 2 && shape[2] === d;
  if (!(shape.length === 1 && shape[0] === d) && !perStep) {
    fail(source, index, `${where} has shape ${formatShape(shape)}; expected [${d}] or [steps, 2, ${d}] (d = the model's hidden size)`);
  }
  const bad = firstNonFinite(resolved.values);
  if (bad >= 0) fail(source, index, `${where} holds ${resolved.values[bad]} at flat index ${bad}; patch values must be finite`);
  if (!perStep || target.steps === undefined) return { shape, values: resolved.values };

  const held = shape[0];
  const needed = patchEnd ?? target.steps;
  if (held < needed) {
    fail(
      source,
      index,
      `${where} was captured over a shorter run: it holds ${held} steps${seconds(held, target)}, this patch needs ${needed}${seconds(needed, target)}; ` +
        `capture it with at least as many seconds, or limit the patch with "steps": [0, ${held}]`,
    );
  }
  if (held === target.steps) return { shape, values: resolved.values };
  // A longer capture (e.g. full-length means on a short preview) patches with its first steps.
  return { shape: [target.steps, 2, d], values: resolved.values.subarray(0, target.steps * 2 * d) };
}

function parseSteps(raw: unknown, target: PatchTarget, source: string, index: number): [number, number] | undefined {
  if (raw === undefined) return undefined;
  const steps = raw as unknown[];
  if (!Array.isArray(steps) || steps.length !== 2 || !steps.every((s) => Number.isInteger(s))) fail(source, index, 'steps must be [start, end]');
  const [start, end] = steps as [number, number];
  const limit = target.steps ?? Number.MAX_SAFE_INTEGER;
  if (start < 0 || end <= start || end > limit) {
    fail(source, index, `steps [${start}, ${end}) must be a non-empty range inside [0, ${target.steps ?? '∞'})${target.steps ? `, the ${target.steps} decoder steps of this run` : ''}`);
  }
  return [start, end];
}

export async function parsePatchFile(json: unknown, target: PatchTarget, resolve: TensorResolver, source = 'patch file'): Promise<PatchSpec[]> {
  const root = json as { patches?: unknown } | null;
  if (!root || !Array.isArray(root.patches)) throw new PatchFileError(`${source}: expected {"patches": [...]}`);
  const specs: PatchSpec[] = [];
  for (let i = 0; i < root.patches.length; i++) {
    const raw = root.patches[i] as Record<string, unknown>;
    if (!raw || typeof raw !== 'object') fail(source, i, 'must be an object');
    if (typeof raw.hook !== 'string') fail(source, i, 'hook is missing');
    const where = `${source}: patches[${i}] (${raw.hook})`;
    let parsed;
    try {
      parsed = parseHookName(raw.hook, target.numLayers);
    } catch (error) {
      fail(source, i, (error as Error).message);
    }
    if (!parsed.module) fail(source, i, `hook ${raw.hook} is not patchable (use hook_attn_out, hook_cross_attn_out or hook_mlp_out)`);
    if (!KINDS.includes(raw.kind as PatchKind)) fail(source, i, `kind must be one of ${KINDS.join(', ')}`);
    const steps = parseSteps(raw.steps, target, source, i);

    let values: Float32Array;
    let shape: number[];
    if (Array.isArray(raw.values)) {
      values = inlineValues(raw.values, source, i);
      if (values.length !== target.hiddenSize) fail(source, i, `values has ${values.length} numbers, expected ${target.hiddenSize} (the model's hidden size)`);
      shape = [values.length];
    } else if (raw.valuesFrom !== undefined) {
      ({ values, shape } = await tensorValues(parseRef(raw.valuesFrom, source, i, 'valuesFrom'), 'valuesFrom', resolve, target, steps?.[1], source, i));
    } else {
      fail(source, i, 'needs "values" or "valuesFrom"');
    }
    if (raw.subtractFrom !== undefined) {
      const minus = await tensorValues(parseRef(raw.subtractFrom, source, i, 'subtractFrom'), 'subtractFrom', resolve, target, steps?.[1], source, i);
      if (formatShape(minus.shape) !== formatShape(shape)) {
        fail(source, i, `subtractFrom has shape ${formatShape(minus.shape)}, valuesFrom has ${formatShape(shape)}; they must match`);
      }
      values = values.map((v, j) => v - minus.values[j]);
      const bad = firstNonFinite(values);
      if (bad >= 0) fail(source, i, `valuesFrom - subtractFrom overflows float32 at flat index ${bad}`);
    }
    const spec: PatchSpec = { hook: raw.hook as PatchableHookName, kind: raw.kind as PatchKind, values };
    if (raw.scale !== undefined) {
      if (typeof raw.scale !== 'number' || !Number.isFinite(raw.scale)) fail(source, i, 'scale must be a finite number');
      if (raw.kind !== 'add') fail(source, i, `scale is only meaningful for kind "add", not "${String(raw.kind)}"`);
      if (!Number.isFinite(Math.fround(raw.scale * maxAbs(values)))) {
        throw new PatchFileError(`${where}: scale ${raw.scale} times the largest value ${maxAbs(values)} overflows float32`);
      }
      spec.scale = raw.scale;
    }
    if (raw.branches !== undefined) {
      if (raw.branches !== 'cond' && raw.branches !== 'both') fail(source, i, 'branches must be "cond" or "both"');
      spec.branches = raw.branches;
    }
    if (steps) spec.steps = steps;
    specs.push(spec);
  }
  return specs;
}
