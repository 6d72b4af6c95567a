/** TransformerLens-style hook names, typed as template-literal strings. */
import type { BlockModule } from '../bundle/graphContract';

export type ResidHook = 'hook_resid_pre' | 'hook_resid_post';
export type ModuleHook = 'hook_attn_out' | 'hook_cross_attn_out' | 'hook_mlp_out';
export type BlockHookName = `blocks.${number}.${ResidHook | ModuleHook}`;
export type HookName = BlockHookName | 'ln_final.hook_normalized';
/** Only module outputs can be patched (the study's intervention sites). */
export type PatchableHookName = `blocks.${number}.${ModuleHook}`;

export const MODULE_HOOK: Record<BlockModule, ModuleHook> = {
  attn: 'hook_attn_out',
  cross_attn: 'hook_cross_attn_out',
  mlp: 'hook_mlp_out',
};

export interface ParsedHook {
  layer: number | null; // null for ln_final
  point: ResidHook | ModuleHook | 'hook_normalized';
  module: BlockModule | null;
}

const HOOK_PATTERN = /^blocks\.(\d+)\.(hook_resid_pre|hook_resid_post|hook_attn_out|hook_cross_attn_out|hook_mlp_out)$/;

/** Parses and validates a hook name against the model depth; throws a readable error. */
export function parseHookName(name: string, numLayers: number): ParsedHook {
  if (name === 'ln_final.hook_normalized') return { layer: null, point: 'hook_normalized', module: null };
  const match = HOOK_PATTERN.exec(name);
  if (!match) {
    throw new Error(
      `unknown hook "${name}": expected blocks.{l}.hook_{resid_pre,attn_out,cross_attn_out,mlp_out,resid_post} or ln_final.hook_normalized`,
    );
  }
  const layer = Number(match[1]);
  if (layer >= numLayers) throw new Error(`hook "${name}": layer ${layer} does not exist (model has ${numLayers} layers)`);
  const point = match[2] as ResidHook | ModuleHook;
  const module = (Object.keys(MODULE_HOOK) as BlockModule[]).find((m) => MODULE_HOOK[m] === point) ?? null;
  return { layer, point, module };
}

/** Every hook of a model of `numLayers` layers, in execution order. */
export function allHookNames(numLayers: number): HookName[] {
  const names: HookName[] = [];
  for (let l = 0; l < numLayers; l++) {
    names.push(`blocks.${l}.hook_resid_pre`, `blocks.${l}.hook_attn_out`, `blocks.${l}.hook_cross_attn_out`, `blocks.${l}.hook_mlp_out`, `blocks.${l}.hook_resid_post`);
  }
  names.push('ln_final.hook_normalized');
  return names;
}
