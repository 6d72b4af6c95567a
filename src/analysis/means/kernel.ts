/**
 * Concept means as running sums: per hook, step and guidance branch, the sum of every finished
 * prompt's activation plus how many prompts it holds. Memory is hooks × steps × 2 × d floats
 * whatever the number of prompts. Sums are float32 and grow in prompt order, so a run split
 * into batches (or resumed from a saved state) adds exactly the same numbers in the same order.
 */
import type { HookName } from '../../engine/hooks';

export interface MeanSums {
  hooks: readonly HookName[];
  steps: number; // decoder steps of each generation
  d: number; // hidden size
  /** Prompts whose activations are in `sums` (a prefix of the prompt set). */
  count: number;
  /** Per hook: Σ over counted prompts of [steps, 2 (cond, null), d]. */
  sums: Map<HookName, Float32Array>;
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
}

export function createMeanSums(hooks: readonly HookName[], steps: number, d: number): MeanSums {
  requirePositiveInteger('steps', steps);
  requirePositiveInteger('d', d);
  if (hooks.length === 0) throw new Error('means need at least one hook');
  if (new Set(hooks).size !== hooks.length) throw new Error('means hooks must not repeat');
  const sums = new Map<HookName, Float32Array>();
  for (const hook of hooks) sums.set(hook, new Float32Array(steps * 2 * d)); // [steps, 2, d]
  return { hooks: [...hooks], steps, d, count: 0, sums };
}

/** Bytes the sums (and the means made from them) take: hooks × steps × 2 × d float32. */
export function meanSumsBytes(hookCount: number, steps: number, d: number): number {
  return hookCount * steps * 2 * d * 4;
}

/**
 * Adds one step of a hook's activations for the first `slots` guidance pairs of a batch:
 * `data` [2·slots, 1, d] (cond, null per slot) into sums[step, :, :], slot by slot.
 */
export function addStep(state: MeanSums, hook: HookName, data: Float32Array, slots: number, step: number): void {
  const target = state.sums.get(hook);
  if (!target) throw new Error(`hook ${hook} is not one of the means' hooks`);
  const { d, steps } = state;
  if (!Number.isInteger(step) || step < 0 || step >= steps) throw new Error(`step must be an integer in [0, ${steps}), got ${step}`);
  if (data.length < 2 * slots * d) throw new Error(`activations have ${data.length} values, expected at least [${2 * slots}, 1, ${d}]`);
  const offset = step * 2 * d;
  for (let slot = 0; slot < slots; slot++) {
    const rows = data.subarray(2 * slot * d, (2 * slot + 2) * d); // [2, d]
    for (let i = 0; i < 2 * d; i++) target[offset + i] += rows[i];
  }
}

/** The means: sums / count, per hook [steps, 2, d]. */
export function meansOf(state: MeanSums): Map<HookName, Float32Array> {
  if (state.count < 1) throw new Error('no prompt has finished yet: there is no mean');
  const means = new Map<HookName, Float32Array>();
  for (const [hook, sum] of state.sums) means.set(hook, sum.map((v) => v / state.count));
  return means;
}
