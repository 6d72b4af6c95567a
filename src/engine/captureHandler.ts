/**
 * The engine's `capture` option as a handler: keeps, per row and hook, every step's activation of
 * both guidance branches, [steps, 2, d]. Memory grows with rows × hooks × steps; tools that only
 * need statistics (means) should use their own streaming handler instead.
 */
import type { GenerationHandler } from './handlers';
import type { HookName, ParsedHook } from './hooks';

export interface CaptureHandler extends GenerationHandler {
  /** Per row: hook -> [steps, 2 (cond, null), d]; layers past a row's depth are absent. */
  readonly captures: Partial<Record<HookName, Float32Array>>[];
}

export function createCaptureHandler(
  hooks: readonly { hook: HookName; parsed: ParsedHook }[],
  depths: readonly number[], // per row
  steps: number,
  d: number,
): CaptureHandler {
  const captures: Partial<Record<HookName, Float32Array>>[] = depths.map(() => ({}));
  for (const { hook, parsed } of hooks) {
    depths.forEach((depth, row) => {
      if (parsed.layer === null || parsed.layer < depth) captures[row][hook] = new Float32Array(steps * 2 * d); // [steps, 2, d]
    });
  }
  return {
    captures,
    sites: hooks.map((h) => h.hook),
    onActivation(hook, data /* [b_l, 1, d] */, batchRows, { step, slotRows }) {
      for (let slot = 0; slot < batchRows / 2; slot++) {
        const target = captures[slotRows[slot]][hook];
        // batch rows 2·slot (cond) and 2·slot+1 (null) -> target[step, branch, :]
        if (target) target.set(data.subarray(2 * slot * d, (2 * slot + 2) * d), step * 2 * d);
      }
    },
  };
}
