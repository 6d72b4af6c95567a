/**
 * The sweep's layout (pure): one row per method × layer × module, after one unpatched baseline
 * row, split into chunks of rows that fit a memory budget. Every row samples the same seed stream
 * whatever its batch, so a chunked sweep gives the rows of one big batch.
 */
import { BLOCK_MODULES, type BlockModule } from '../../bundle/graphContract';
import { chunkRanges } from './rowMemory';

export type SweepMethod = 'replace' | 'adjust';
export const SWEEP_METHODS: readonly SweepMethod[] = ['replace', 'adjust'];

export interface SweepCell {
  method: SweepMethod;
  layer: number; // 0-based
  module: BlockModule;
}

/** Cells in the order of the CSV: method, then layer, then module (attn, cross_attn, mlp). */
export function sweepCells(numLayers: number, methods: readonly SweepMethod[] = SWEEP_METHODS): SweepCell[] {
  if (!Number.isInteger(numLayers) || numLayers < 1) throw new Error(`numLayers must be a positive integer, got ${numLayers}`);
  if (methods.length === 0) throw new Error('a sweep needs at least one method');
  return methods.flatMap((method) => Array.from({ length: numLayers }, (_, layer) => BLOCK_MODULES.map((module) => ({ method, layer, module }))).flat());
}

/** One chunk of the sweep: whether it runs the baseline row, and which cells (indices into the cell list). */
export interface SweepChunk {
  baseline: boolean;
  cells: number[];
}

/**
 * Chunks of at most `rowsPerChunk` rows over the baseline (row 0) and the cells (rows 1..n).
 * The baseline goes with the first chunk, as one of its rows.
 */
export function planSweepChunks(cellCount: number, rowsPerChunk: number): SweepChunk[] {
  return chunkRanges(cellCount + 1, rowsPerChunk).map(([start, end]) => ({
    baseline: start === 0,
    cells: Array.from({ length: end - start }, (_, i) => start + i - 1).filter((cell) => cell >= 0),
  }));
}
