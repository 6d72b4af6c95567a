/**
 * Runs interventions on the engine: one intervention next to its unpatched baseline, or the whole
 * sweep (every site × {replace, adjust} plus a baseline) as batch rows in chunks that fit a memory
 * budget, reporting progress per chunk.
 */
import { decoderSteps } from '../../engine/delayPattern';
import { throwIfAborted } from '../../engine/loadedModel';
import type { RowSpec } from '../../engine/types';
import type { MeansSettings } from '../means/key';
import { estimateEta, type RunProgress } from '../means/progress';
import { DEFAULT_MEMORY_BUDGET, type GeneratingEngine } from '../means/run';
import { interventionPatches, type Intervention, type InterventionContext, type MeansByHook } from './kernel';
import { generationRowBytes, rowsPerChunk } from './rowMemory';
import { planSweepChunks, sweepCells, SWEEP_METHODS, type SweepCell, type SweepMethod } from './sweep';

export interface GenerationSettings {
  settings: MeansSettings; // frames and sampling, as the means were made with
  seed: number;
}

function generationOptions({ settings, seed }: GenerationSettings) {
  return { frames: settings.frames, seed, topK: settings.topK, temperature: settings.temperature, guidanceScale: settings.guidanceScale, greedy: settings.greedy };
}

function context(engine: GeneratingEngine, frames: number, from?: MeansByHook, to?: MeansByHook): InterventionContext {
  const { numLayers, hiddenSize, numCodebooks } = engine.manifest.config;
  return { numLayers, d: hiddenSize, numCodebooks, totalFrames: frames, from, to };
}

export interface InterventionRequest extends GenerationSettings {
  prompt: string;
  intervention: Intervention;
  from?: MeansByHook;
  to?: MeansByHook;
  signal?: AbortSignal;
  onProgress?: (progress: { step: number; steps: number }) => void;
}

/** The original and the intervened clip of one prompt, in one batch: codes [K, frames] each. */
export async function runIntervention(engine: GeneratingEngine, request: InterventionRequest): Promise<{ original: Int32Array; intervened: Int32Array }> {
  const patches = interventionPatches(request.intervention, context(engine, request.settings.frames, request.from, request.to));
  const result = await engine.generate({ prompts: [request.prompt], rows: [{ prompt: 0 }, { prompt: 0, patches }], ...generationOptions(request), signal: request.signal, onProgress: request.onProgress });
  return { original: result.rows[0].codes, intervened: result.rows[1].codes };
}

/** Rows of KV cache (plus cross-attention K/V) per sweep chunk under a budget. */
export function sweepRowsPerChunk(engine: GeneratingEngine, frames: number, budgetBytes: number): number {
  const { config } = engine.manifest;
  return rowsPerChunk(generationRowBytes(config, decoderSteps(frames, config.numCodebooks)), budgetBytes);
}

export interface SweepRequest extends GenerationSettings {
  prompt: string;
  from: MeansByHook; // the original concept's means
  to: MeansByHook; // the desired concept's means
  methods?: readonly SweepMethod[];
  branches?: 'cond' | 'both';
  frameWindow?: readonly [number, number];
  /** KV-cache bytes a chunk may use (default 1 GiB); or a fixed number of rows per chunk. */
  budgetBytes?: number;
  rowsPerChunk?: number;
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
}

export interface SweepResult {
  baseline: Int32Array; // [K, frames]
  cells: { cell: SweepCell; codes: Int32Array }[]; // in sweepCells order
  chunks: number;
  rowsPerChunk: number;
}

export async function runSweep(engine: GeneratingEngine, request: SweepRequest): Promise<SweepResult> {
  const { numLayers } = engine.manifest.config;
  const cells = sweepCells(numLayers, request.methods ?? SWEEP_METHODS);
  const perChunk = request.rowsPerChunk ?? sweepRowsPerChunk(engine, request.settings.frames, request.budgetBytes ?? DEFAULT_MEMORY_BUDGET);
  const chunks = planSweepChunks(cells.length, perChunk);
  const ctx = context(engine, request.settings.frames, request.from, request.to);
  const patchesOf = (cell: SweepCell) =>
    interventionPatches({ method: cell.method, sites: [{ layer: cell.layer, module: cell.module }], branches: request.branches, frames: request.frameWindow }, ctx);
  // Validate every cell before the first step, so a missing mean fails at once, not in chunk 5.
  cells.forEach((cell) => patchesOf(cell));

  const totalRows = cells.length + 1;
  const codes: Int32Array[] = new Array(cells.length);
  let baseline: Int32Array | undefined;
  let rowsDone = 0;
  const started = performance.now();
  const report = (done: number, label: string) =>
    request.onProgress?.({ done: Math.floor(done), total: totalRows, etaSeconds: estimateEta(done, totalRows - done, (performance.now() - started) / 1000), label });
  for (const [index, chunk] of chunks.entries()) {
    throwIfAborted(request.signal, 'sweep');
    const rows: RowSpec[] = [...(chunk.baseline ? [{ prompt: 0 }] : []), ...chunk.cells.map((cell) => ({ prompt: 0, patches: patchesOf(cells[cell]) }))];
    const result = await engine.generate({
      prompts: [request.prompt],
      rows,
      ...generationOptions(request),
      signal: request.signal,
      onProgress: ({ step, steps }) => report(rowsDone + (rows.length * step) / steps, `rows (chunk ${index + 1}/${chunks.length}, step ${step}/${steps})`),
    });
    if (chunk.baseline) baseline = result.rows[0].codes;
    chunk.cells.forEach((cell, i) => (codes[cell] = result.rows[i + (chunk.baseline ? 1 : 0)].codes));
    rowsDone += rows.length;
    report(rowsDone, `rows (chunk ${index + 1}/${chunks.length} done)`);
  }
  return { baseline: baseline!, cells: cells.map((cell, i) => ({ cell, codes: codes[i] })), chunks: chunks.length, rowsPerChunk: perChunk };
}
