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
 */
import type { PatchableHookName } from './hooks';
import { parseHookName } from './hooks';
import type { PatchKind, PatchSpec } from './types';

export interface TensorRef {
  file: string;
  tensor: string;
}

/** Resolves a tensor reference (a safetensors file next to the patch file) to float32 values. */
export type TensorResolver = (ref: TensorRef) => Promise<Float32Array>;

const KINDS: readonly PatchKind[] = ['replace', 'adjust', 'add'];

function fail(source: string, index: number, message: string): never {
  throw new Error(`${source}: patches[${index}]: ${message}`);
}

function parseRef(value: unknown, source: string, index: number, key: string): TensorRef {
  const ref = value as Partial<TensorRef> | undefined;
  if (!ref || typeof ref.file !== 'string' || typeof ref.tensor !== 'string') fail(source, index, `${key} must be {"file": ..., "tensor": ...}`);
  return { file: ref.file, tensor: ref.tensor };
}

export async function parsePatchFile(json: unknown, numLayers: number, resolve: TensorResolver, source = 'patch file'): Promise<PatchSpec[]> {
  const root = json as { patches?: unknown } | null;
  if (!root || !Array.isArray(root.patches)) throw new Error(`${source}: expected {"patches": [...]}`);
  const specs: PatchSpec[] = [];
  for (let i = 0; i < root.patches.length; i++) {
    const raw = root.patches[i] as Record<string, unknown>;
    if (!raw || typeof raw !== 'object') fail(source, i, 'must be an object');
    if (typeof raw.hook !== 'string') fail(source, i, 'hook is missing');
    const parsed = parseHookName(raw.hook, numLayers);
    if (!parsed.module) fail(source, i, `hook ${raw.hook} is not patchable (use hook_attn_out, hook_cross_attn_out or hook_mlp_out)`);
    if (!KINDS.includes(raw.kind as PatchKind)) fail(source, i, `kind must be one of ${KINDS.join(', ')}`);
    let values: Float32Array;
    if (Array.isArray(raw.values)) {
      if (!raw.values.every((v) => typeof v === 'number' && Number.isFinite(v))) fail(source, i, 'values must be finite numbers');
      values = Float32Array.from(raw.values as number[]);
    } else if (raw.valuesFrom !== undefined) {
      values = await resolve(parseRef(raw.valuesFrom, source, i, 'valuesFrom'));
    } else {
      fail(source, i, 'needs "values" or "valuesFrom"');
    }
    if (raw.subtractFrom !== undefined) {
      const minus = await resolve(parseRef(raw.subtractFrom, source, i, 'subtractFrom'));
      if (minus.length !== values.length) fail(source, i, `subtractFrom has ${minus.length} values, valuesFrom has ${values.length}`);
      values = values.map((v, j) => v - minus[j]);
    }
    const spec: PatchSpec = { hook: raw.hook as PatchableHookName, kind: raw.kind as PatchKind, values };
    if (raw.scale !== undefined) {
      if (typeof raw.scale !== 'number' || !Number.isFinite(raw.scale)) fail(source, i, 'scale must be a number');
      spec.scale = raw.scale;
    }
    if (raw.branches !== undefined) {
      if (raw.branches !== 'cond' && raw.branches !== 'both') fail(source, i, 'branches must be "cond" or "both"');
      spec.branches = raw.branches;
    }
    if (raw.steps !== undefined) {
      const steps = raw.steps as unknown[];
      if (!Array.isArray(steps) || steps.length !== 2 || !steps.every((s) => Number.isInteger(s))) fail(source, i, 'steps must be [start, end]');
      spec.steps = [steps[0] as number, steps[1] as number];
    }
    specs.push(spec);
  }
  return specs;
}
