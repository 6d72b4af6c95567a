/**
 * Batch layout of a generation: each row (RowSpec) runs as a guidance pair of batch rows, and the
 * pairs are ordered deepest first, so the rows that still run block l are always a prefix of the
 * batch (DecoderLens: every depth in one run, each block on a prefix slice).
 */
import type { Branch, RowSpec } from './types';

export interface BatchPlan {
  /** Batch slot -> row index, deepest first; rows of equal depth keep their request order. */
  order: number[];
  /** Row index -> batch slot (the inverse of `order`). */
  slotOfRow: number[];
  /** [L]: how many slots (guidance pairs) still run block l; non-increasing, a prefix of the batch. */
  activeRowsAtLayer: number[];
  /** Per slot: the last block it runs (depth - 1); after that block it goes to the head. */
  exitLayerOfSlot: number[];
}

function requireLayers(numLayers: number): void {
  if (!Number.isInteger(numLayers) || numLayers < 1) throw new Error(`numLayers must be a positive integer, got ${numLayers}`);
}

/** Each row's DecoderLens depth, defaulting to all layers; validated against the model. */
export function rowDepths(rows: readonly RowSpec[], numLayers: number): number[] {
  requireLayers(numLayers);
  return rows.map((row, index) => {
    const depth = row.depth ?? numLayers;
    if (!Number.isInteger(depth) || depth < 1 || depth > numLayers) {
      throw new Error(`rows[${index}].depth must be an integer in [1, ${numLayers}], got ${depth}`);
    }
    return depth;
  });
}

export function planBatch(depths: readonly number[] /* per row, 1..L */, numLayers: number): BatchPlan {
  requireLayers(numLayers);
  depths.forEach((depth, row) => {
    if (!Number.isInteger(depth) || depth < 1 || depth > numLayers) {
      throw new Error(`depths[${row}] must be an integer in [1, ${numLayers}], got ${depth}`);
    }
  });
  const order = depths.map((_, row) => row).sort((a, b) => depths[b] - depths[a] || a - b);
  const slotOfRow = new Array<number>(depths.length);
  order.forEach((row, slot) => (slotOfRow[row] = slot));
  const activeRowsAtLayer = Array.from({ length: numLayers }, (_, layer) => depths.filter((depth) => depth > layer).length);
  const exitLayerOfSlot = order.map((row) => depths[row] - 1);
  return { order, slotOfRow, activeRowsAtLayer, exitLayerOfSlot };
}

/** Batch row of a slot's branch: cond rows are even, null rows odd. */
export function batchRowIndex(slot: number, branch: Branch): number {
  return 2 * slot + (branch === 'cond' ? 0 : 1);
}

type RowData = Float32Array | Int32Array | BigInt64Array | Uint8Array;

function requireRows(name: string, data: RowData, rowSize: number): number {
  if (!Number.isInteger(rowSize) || rowSize < 1) throw new Error(`rowSize must be a positive integer, got ${rowSize}`);
  if (data.length % rowSize !== 0) throw new Error(`${name} has length ${data.length}, not a multiple of rowSize ${rowSize}`);
  return data.length / rowSize;
}

/** Copies the listed rows (in that order, repeats allowed) of `data` [n, rowSize] into [rows.length, rowSize]. */
export function gatherRows<T extends RowData>(data: T, rowSize: number, rows: readonly number[]): T {
  const available = requireRows('data', data, rowSize);
  const gathered = new (data.constructor as new (length: number) => T)(rows.length * rowSize);
  rows.forEach((row, i) => {
    if (!Number.isInteger(row) || row < 0 || row >= available) {
      throw new Error(`rows[${i}] = ${row} is out of range: data has ${available} rows`);
    }
    // The subarray has the same element type as `gathered`; TS cannot see that through the union.
    (gathered as Float32Array).set(data.subarray(row * rowSize, (row + 1) * rowSize) as Float32Array, i * rowSize);
  });
  return gathered;
}

/** The first `count` rows of `data` [n, rowSize], as a view (no copy): [count, rowSize]. */
export function takePrefix<T extends RowData>(data: T, rowSize: number, count: number): T {
  const available = requireRows('data', data, rowSize);
  if (!Number.isInteger(count) || count < 0 || count > available) {
    throw new Error(`count must be an integer in [0, ${available}] (rows in data), got ${count}`);
  }
  if (count === available) return data;
  return data.subarray(0, count * rowSize) as T;
}
