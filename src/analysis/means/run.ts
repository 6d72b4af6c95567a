/**
 * Computes concept means by generating the prompts in batches sized to a memory budget, streaming
 * every activation into running sums. After each finished batch `onCheckpoint` gets the state (the
 * CLI writes it to disk, the browser to IndexedDB): a cancelled or killed run resumes from there.
 */
import type { GenerateRequest } from '../../engine/engine';
import type { GenerateResult } from '../../engine/types';
import type { BundleManifest } from '../../bundle/manifest';
import { decoderSteps } from '../../engine/delayPattern';
import type { HookName } from '../../engine/hooks';
import { throwIfAborted } from '../../engine/loadedModel';
import { chunkRanges, generationRowBytes, rowsPerChunk } from '../interventions/rowMemory';
import { meanHandler } from './handler';
import { createMeanSums, type MeanSums } from './kernel';
import type { MeansSettings } from './key';
import { estimateEta, type RunProgress } from './progress';

/** What the runners need of MusicgenEngine (tests may pass a stand-in). */
export interface GeneratingEngine {
  readonly manifest: BundleManifest;
  generate(request: GenerateRequest): Promise<GenerateResult>;
}

export const DEFAULT_MEMORY_BUDGET = 1 << 30; // 1 GiB of KV cache per batch: fits a browser tab next to musicgen-small

export interface MeansRequest {
  prompts: readonly string[];
  hooks: readonly HookName[];
  settings: MeansSettings;
  seed: number;
  /** KV-cache bytes one batch may use (default 1 GiB). */
  budgetBytes?: number;
  /** An unfinished state (from a means file or the store) to continue. */
  resume?: MeanSums;
  onCheckpoint?: (state: MeanSums) => Promise<void> | void;
  onProgress?: (progress: RunProgress) => void;
  signal?: AbortSignal;
}

/** Prompts per batch under a budget: each prompt's KV cache at the last step plus its cross K/V. */
export function promptsPerBatch(manifest: BundleManifest, frames: number, budgetBytes: number): number {
  const { config } = manifest;
  return rowsPerChunk(generationRowBytes(config, decoderSteps(frames, config.numCodebooks)), budgetBytes);
}

export async function computeMeans(engine: GeneratingEngine, request: MeansRequest): Promise<MeanSums> {
  const { config } = engine.manifest;
  const { prompts, settings } = request;
  if (prompts.length === 0) throw new Error('means need at least one prompt');
  const steps = decoderSteps(settings.frames, config.numCodebooks);
  const state = request.resume ?? createMeanSums(request.hooks, steps, config.hiddenSize);
  if (request.resume) {
    const same = state.steps === steps && state.d === config.hiddenSize && state.hooks.length === request.hooks.length && state.hooks.every((h, i) => h === request.hooks[i]);
    if (!same) throw new Error(`the saved state (${state.hooks.length} hooks, ${state.steps} steps) does not match this run (${request.hooks.length} hooks, ${steps} steps)`);
    if (state.count > prompts.length) throw new Error(`the saved state has ${state.count} prompts, more than the ${prompts.length} asked for`);
  }
  const batches = chunkRanges(prompts.length, promptsPerBatch(engine.manifest, settings.frames, request.budgetBytes ?? DEFAULT_MEMORY_BUDGET), state.count);
  const handler = meanHandler(state);
  const started = performance.now();
  const resumedFrom = state.count;
  const report = (done: number, label: string) => {
    request.onProgress?.({ done: Math.floor(done), total: prompts.length, etaSeconds: estimateEta(done - resumedFrom, prompts.length - done, (performance.now() - started) / 1000), label });
  };
  report(state.count, 'prompts');
  for (const [index, [start, end]] of batches.entries()) {
    throwIfAborted(request.signal, 'means');
    const batchPrompts = prompts.slice(start, end);
    await engine.generate({
      prompts: batchPrompts,
      frames: settings.frames,
      rows: batchPrompts.map((_, prompt) => ({ prompt })),
      handlers: [handler],
      seed: request.seed,
      topK: settings.topK,
      temperature: settings.temperature,
      guidanceScale: settings.guidanceScale,
      greedy: settings.greedy,
      signal: request.signal,
      onProgress: ({ step, steps: total }) => report(start + ((end - start) * step) / total, `prompts (batch ${index + 1}/${batches.length}, step ${step}/${total})`),
    });
    state.count = end;
    await request.onCheckpoint?.(state);
    report(end, 'prompts');
  }
  return state;
}
