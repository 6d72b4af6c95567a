/**
 * Interventions as engine patches (pure). At every chosen site (layer × module output):
 *   replace: out := mean_to                       (the study's "replace")
 *   adjust:  out := out − mean_from + mean_to      (the study's "adjust")
 *   steer:   out := out + α · (mean_to − mean_from), or out + α · v for a vector of the user's
 * Means are per step and guidance branch ([steps, 2, d], as the means runner stores them); the
 * conditional branch only is patched by default, as in the study's code.
 */
import { BLOCK_MODULES, type BlockModule } from '../../bundle/graphContract';
import { MODULE_HOOK, type PatchableHookName } from '../../engine/hooks';
import type { PatchSpec } from '../../engine/types';

export type InterventionMethod = 'replace' | 'adjust' | 'steer';

export interface Site {
  layer: number; // 0-based, as in hook names
  module: BlockModule;
}

/** Concept means per hook, each [steps, 2, d]. */
export type MeansByHook = ReadonlyMap<string, Float32Array>;

export interface Intervention {
  method: InterventionMethod;
  sites: readonly Site[];
  /** 'cond' (default, as in the study) or 'both' guidance branches. */
  branches?: 'cond' | 'both';
  /** EnCodec frames [start, end) to intervene on; default the whole clip. */
  frames?: readonly [number, number];
  /** steer only: the multiplier α (default 1). */
  alpha?: number;
  /** steer only: a direction [d] of the user's instead of mean_to − mean_from. */
  vector?: Float32Array;
}

export interface InterventionContext {
  numLayers: number;
  d: number;
  numCodebooks: number; // K: the delay pattern's lag
  totalFrames: number; // frames of the generation
  from?: MeansByHook; // the original concept's means (adjust, steer)
  to?: MeansByHook; // the desired concept's means (replace, adjust, steer)
}

export function siteHook(site: Site): PatchableHookName {
  return `blocks.${site.layer}.${MODULE_HOOK[site.module]}`;
}

/** Every patchable site of a model, layer by layer (attn, cross_attn, mlp). */
export function allSites(numLayers: number): Site[] {
  return Array.from({ length: numLayers }, (_, layer) => BLOCK_MODULES.map((module) => ({ layer, module }))).flat();
}

/**
 * Decoder steps [start, end) that write frames [startFrame, endFrame). With the delay pattern,
 * codebook k of frame f is sampled at step f + k: the window runs from the step that starts its
 * first frame to the step that finishes its last one (K − 1 steps later). Its first K − 1 steps
 * also sample the later codebooks of up to K − 1 frames before the window: no step window can
 * separate them.
 */
export function frameWindowToSteps(startFrame: number, endFrame: number, numCodebooks: number, totalFrames: number): [number, number] {
  if (!Number.isInteger(startFrame) || !Number.isInteger(endFrame) || startFrame < 0 || endFrame > totalFrames || startFrame >= endFrame) {
    throw new Error(`frame window [${startFrame}, ${endFrame}) must be a non-empty integer range inside [0, ${totalFrames})`);
  }
  return [startFrame, endFrame + numCodebooks - 1];
}

function need(means: MeansByHook | undefined, hook: string, which: string, method: InterventionMethod): Float32Array {
  if (!means) throw new Error(`${method} needs the ${which} concept's means`);
  const values = means.get(hook);
  if (!values) throw new Error(`the ${which} concept's means have no ${hook}`);
  return values;
}

function difference(to: Float32Array, from: Float32Array, hook: string): Float32Array {
  if (to.length !== from.length) throw new Error(`${hook}: the two concepts' means differ in length (${to.length} vs ${from.length}): were they computed with the same settings?`);
  const out = new Float32Array(to.length); // [steps, 2, d]
  for (let i = 0; i < to.length; i++) out[i] = to[i] - from[i];
  return out;
}

/** The engine patches that carry out `intervention` on one row. */
export function interventionPatches(intervention: Intervention, context: InterventionContext): PatchSpec[] {
  const { method, sites } = intervention;
  if (method !== 'replace' && method !== 'adjust' && method !== 'steer') throw new Error(`method must be replace, adjust or steer, got ${String(method)}`);
  if (sites.length === 0) throw new Error('an intervention needs at least one site');
  const branches = intervention.branches ?? 'cond';
  if (branches !== 'cond' && branches !== 'both') throw new Error(`branches must be 'cond' or 'both', got ${String(branches)}`);
  if (method !== 'steer' && (intervention.alpha !== undefined || intervention.vector)) throw new Error('alpha and vector apply to steer only');
  const alpha = intervention.alpha ?? 1;
  if (!Number.isFinite(alpha)) throw new Error(`alpha must be a finite number, got ${alpha}`);
  if (intervention.vector && intervention.vector.length !== context.d) throw new Error(`the steering vector has ${intervention.vector.length} values, the model's width is ${context.d}`);
  const steps = intervention.frames ? frameWindowToSteps(intervention.frames[0], intervention.frames[1], context.numCodebooks, context.totalFrames) : undefined;
  const seen = new Set<string>();
  return sites.map((site) => {
    if (!Number.isInteger(site.layer) || site.layer < 0 || site.layer >= context.numLayers) throw new Error(`site layer ${site.layer} is not in 0..${context.numLayers - 1}`);
    if (!BLOCK_MODULES.includes(site.module)) throw new Error(`site module must be one of ${BLOCK_MODULES.join(', ')}, got ${String(site.module)}`);
    const hook = siteHook(site);
    if (seen.has(hook)) throw new Error(`site ${hook} is listed twice`);
    seen.add(hook);
    let patch: PatchSpec;
    if (method === 'replace') patch = { hook, kind: 'replace', values: need(context.to, hook, 'desired', method) };
    else if (method === 'adjust') patch = { hook, kind: 'adjust', values: difference(need(context.to, hook, 'desired', method), need(context.from, hook, 'original', method), hook) };
    else {
      const values = intervention.vector ?? difference(need(context.to, hook, 'desired', method), need(context.from, hook, 'original', method), hook);
      patch = { hook, kind: 'add', values, scale: alpha };
    }
    return { ...patch, branches, ...(steps ? { steps } : {}) };
  });
}
