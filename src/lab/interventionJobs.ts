/**
 * The worker's concept-means and intervention jobs: the same runners as the CLI, with means kept
 * in the browser's store (IndexedDB) instead of files. A cancelled means job keeps its finished
 * batches there and the next call with the same key resumes; finished means are stored as float16.
 */
import { allSites, siteHook, type MeansByHook } from '../analysis/interventions/kernel';
import { runIntervention, runSweep } from '../analysis/interventions/run';
import { meansKey, meansKeyId, type MeansSettings } from '../analysis/means/key';
import { decodeMeansFile, encodeMeans, encodeMeanSums, sumsFromFile, validateMeansFile } from '../analysis/means/meansFile';
import type { StoredMeansInfo } from '../analysis/means/meansStore';
import { bundleDigest } from '../analysis/means/key';
import { computeMeans, DEFAULT_MEMORY_BUDGET } from '../analysis/means/run';
import type { RunProgress } from '../analysis/means/progress';
import { decoderSteps } from '../engine/delayPattern';
import type { MusicgenEngine } from '../engine/engine';
import type { ConceptMeansRequest, ConceptMeansResponse, InterventionJobRequest, SweepJobRequest, SweepJobResponse } from './workerApi';

/** What the jobs need of the means store (MeansStore in a browser; an in-memory one in tests). */
export interface MeansStoreLike {
  put(file: Uint8Array, source?: string): Promise<StoredMeansInfo>;
  find(key: Parameters<typeof meansKeyId>[0]): Promise<{ info: StoredMeansInfo; file: Uint8Array } | undefined>;
  get(id: string): Promise<{ info: StoredMeansInfo; file: Uint8Array } | undefined>;
}

function settingsOf(request: { frames: number; topK: number; temperature: number; guidanceScale: number }): MeansSettings {
  return { frames: request.frames, topK: request.topK, temperature: request.temperature, guidanceScale: request.guidanceScale, greedy: false };
}

export async function conceptMeansJob(engine: MusicgenEngine, store: MeansStoreLike, request: ConceptMeansRequest, signal: AbortSignal, onProgress?: (progress: RunProgress) => void): Promise<ConceptMeansResponse> {
  const settings = settingsOf(request);
  const key = await meansKey(engine.manifest, request.prompts, settings, request.seed);
  const found = await store.find(key);
  if (found?.info.values === 'mean') return { ...found.info, reused: true, resumedFrom: found.info.count };
  const resume = found ? sumsFromFile(await decodeMeansFile(found.file, 'stored means')) : undefined;
  const resumedFrom = resume?.count ?? 0; // the runner advances resume.count in place
  const state = await computeMeans(engine, {
    prompts: request.prompts,
    hooks: allSites(engine.manifest.config.numLayers).map(siteHook),
    settings,
    seed: request.seed,
    budgetBytes: request.budgetBytes ?? DEFAULT_MEMORY_BUDGET,
    resume,
    signal,
    onProgress,
    onCheckpoint: async (sums) => {
      if (sums.count < request.prompts.length) await store.put(encodeMeanSums(sums, key, request.prompts));
    },
  });
  const info = await store.put(encodeMeans(state, key, request.prompts, 'F16'));
  return { ...info, reused: false, resumedFrom };
}

/** A stored finished means file, checked against the loaded model and this run's length. */
async function storedMeans(engine: MusicgenEngine, store: MeansStoreLike, id: string, frames: number): Promise<MeansByHook> {
  const found = await store.get(id);
  if (!found) throw new Error(`no stored means with id ${id}: compute or import them first`);
  if (found.info.values !== 'mean') throw new Error(`means ${id} are unfinished (${found.info.count} of ${found.info.key.promptCount} prompts): run them to the end first`);
  const file = await decodeMeansFile(found.file, `means ${id}`);
  const { config } = engine.manifest;
  validateMeansFile(file, { bundle: await bundleDigest(engine.manifest), modelName: engine.manifest.name, numLayers: config.numLayers, hiddenSize: config.hiddenSize }, `means ${id}`);
  const steps = decoderSteps(frames, config.numCodebooks);
  if (file.steps !== steps) throw new Error(`means ${id} were computed over ${file.key.settings.frames} frames (${file.steps} steps); this run has ${frames} frames: use the same length`);
  return file.tensors;
}

export async function interventionJob(engine: MusicgenEngine, store: MeansStoreLike, request: InterventionJobRequest, signal: AbortSignal, onProgress?: (progress: { step: number; steps: number }) => void) {
  const from = request.fromMeansId ? await storedMeans(engine, store, request.fromMeansId, request.frames) : undefined;
  const to = request.toMeansId ? await storedMeans(engine, store, request.toMeansId, request.frames) : undefined;
  return runIntervention(engine, { prompt: request.prompt, settings: settingsOf(request), seed: request.seed, intervention: request.intervention, from, to, signal, onProgress });
}

export async function sweepJob(engine: MusicgenEngine, store: MeansStoreLike, request: SweepJobRequest, signal: AbortSignal, onProgress?: (progress: RunProgress) => void): Promise<SweepJobResponse> {
  const from = await storedMeans(engine, store, request.fromMeansId, request.frames);
  const to = await storedMeans(engine, store, request.toMeansId, request.frames);
  const result = await runSweep(engine, { prompt: request.prompt, settings: settingsOf(request), seed: request.seed, from, to, branches: request.branches, frameWindow: request.frameWindow, budgetBytes: request.budgetBytes ?? DEFAULT_MEMORY_BUDGET, signal, onProgress });
  return { baseline: result.baseline, cells: result.cells.map(({ cell, codes }) => ({ ...cell, codes })), chunks: result.chunks, rowsPerChunk: result.rowsPerChunk };
}
