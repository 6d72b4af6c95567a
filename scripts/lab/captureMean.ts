/**
 * `npm run lab -- capture --mean`: concept means streamed into running sums (memory independent of
 * the number of prompts), in batches sized to --memory-budget. After every batch the running sums
 * go to FILE.partial; a killed or failed run continues from there when started again with the same
 * settings. A finished FILE with the same key is reused, not recomputed.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import type { HookName } from '../../src/engine/hooks';
import { meanSumsBytes, meansOf } from '../../src/analysis/means/kernel';
import { keyMismatch, meansKey, type MeansSettings } from '../../src/analysis/means/key';
import { decodeMeansFile, encodeMeans, encodeMeanSums, sumsFromFile } from '../../src/analysis/means/meansFile';
import { formatProgress, type RunProgress } from '../../src/analysis/means/progress';
import { computeMeans, promptsPerBatch, type GeneratingEngine } from '../../src/analysis/means/run';
import { formatBytes } from '../../src/analysis/interventions/rowMemory';
import { decoderSteps } from '../../src/engine/delayPattern';
import { writeFileAtomic } from '../../src/io/atomicFile';
import { garbageGuard } from './collectGarbage';

const GARBAGE_SLACK = 16 * 2 ** 20;

export interface CaptureMeanOptions {
  prompts: string[];
  hooks: HookName[];
  settings: MeansSettings;
  seed: number;
  out: string;
  budgetBytes: number;
  log?: (line: string) => void;
  /** Prompts done so far (default: a progress line on stderr). */
  onProgress?: (progress: RunProgress) => void;
}

export function partialPath(out: string): string {
  return `${out}.partial`;
}

/** A live line on a terminal, a few lines in logs. */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): (line: string, final?: boolean) => void {
  let lastLogged = 0;
  return (line, final = false) => {
    if (stream.isTTY) stream.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else if (final || performance.now() - lastLogged > 5000) {
      lastLogged = performance.now();
      stream.write(`${line}\n`);
    }
  };
}

async function existingMeans(path: string) {
  if (!existsSync(path)) return null;
  try {
    return await decodeMeansFile(new Uint8Array(await readFile(path)), path);
  } catch {
    return null; // not ours (or damaged): recompute and replace
  }
}

/** Computes (or reuses, or resumes) a concept's means into `out`; returns them per hook [steps, 2, d]. */
export async function captureMeans(engine: GeneratingEngine, options: CaptureMeanOptions): Promise<Map<HookName, Float32Array>> {
  const log = options.log ?? ((line: string) => console.log(line));
  const { config } = engine.manifest;
  const key = await meansKey(engine.manifest, options.prompts, options.settings, options.seed);
  const steps = decoderSteps(options.settings.frames, config.numCodebooks);
  const sameHooks = (hooks: readonly HookName[]) => hooks.length === options.hooks.length && options.hooks.every((h) => hooks.includes(h));

  const finished = await existingMeans(options.out);
  if (finished && finished.values === 'mean' && !keyMismatch(finished.key, key) && sameHooks(finished.hooks)) {
    log(`${options.out}: up to date (same model, settings, prompts and seed); reused`);
    return finished.tensors;
  }
  const partial = partialPath(options.out);
  const saved = await existingMeans(partial);
  let resume;
  if (saved && saved.values === 'sum') {
    const why = keyMismatch(saved.key, key) ?? (sameHooks(saved.hooks) && saved.hooks.every((h, i) => h === options.hooks[i]) ? null : 'its hooks differ');
    if (why) log(`${partial}: not resumed (${why}); starting over`);
    else {
      resume = sumsFromFile(saved);
      log(`${partial}: resuming after ${resume.count} of ${options.prompts.length} prompts`);
    }
  }

  const perBatch = promptsPerBatch(engine.manifest, options.settings.frames, options.budgetBytes);
  log(`means: ${options.hooks.length} hooks × ${steps} steps × 2 branches × ${config.hiddenSize} = ${formatBytes(meanSumsBytes(options.hooks.length, steps, config.hiddenSize))} (independent of the ${options.prompts.length} prompts); batches of up to ${perBatch} prompts`);
  const print = progressPrinter();
  // Live buffers: one batch's KV cache (the budget) and the sums; anything past that is garbage.
  const guard = garbageGuard(options.budgetBytes + 2 * meanSumsBytes(options.hooks.length, steps, config.hiddenSize) + GARBAGE_SLACK);
  const state = await computeMeans(engine, {
    prompts: options.prompts,
    hooks: options.hooks,
    settings: options.settings,
    seed: options.seed,
    budgetBytes: options.budgetBytes,
    resume,
    onCheckpoint: (sums) => (sums.count < options.prompts.length ? writeFileAtomic(partial, encodeMeanSums(sums, key, options.prompts)) : undefined),
    onProgress: (progress) => {
      guard();
      if (options.onProgress) options.onProgress(progress);
      else print(`means: ${formatProgress(progress)}`);
    },
  });
  if (!options.onProgress) print(`means: ${state.count}/${options.prompts.length} prompts done`, true);
  await writeFileAtomic(options.out, encodeMeans(state, key, options.prompts));
  await rm(partial, { force: true });
  log(`${options.out}: ${options.hooks.length} tensors [${steps}, 2, ${config.hiddenSize}] from ${options.prompts.length} prompt(s), mean`);
  return meansOf(state);
}
