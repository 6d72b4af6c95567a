/**
 * How many generated rows fit a memory budget. A row is a guidance pair of batch rows; what grows
 * with it is its KV cache, 2 (key, value) · L · h · positions · hd floats per branch, plus the
 * cross-attention K/V of its prompt. 73 rows (146 batch rows) × 203 positions at musicgen-small's
 * size is ~5.8 GB, more than a browser tab has, hence chunks.
 */

export interface RowMemoryShape {
  numLayers: number;
  numHeads: number;
  headDim: number;
}

/** Bytes of one row's KV cache at `positions` cached steps: 2 · L · h · positions · hd · 4 bytes · 2 branches. */
export function kvBytesPerRow(shape: RowMemoryShape, positions: number): number {
  return 2 * shape.numLayers * shape.numHeads * positions * shape.headDim * 4 * 2;
}

/** Bytes of one row's cross-attention K/V for `textTokens` prompt tokens (both branches). */
export function crossKvBytesPerRow(shape: RowMemoryShape, textTokens: number): number {
  return kvBytesPerRow(shape, textTokens);
}

/** T5 prompts of the study's template are ~20 tokens; the estimate only sizes batches. */
const TYPICAL_TEXT_TOKENS = 32;

/** Bytes one generated row holds at the end of a generation of `steps` steps: its KV cache and its prompt's cross K/V. */
export function generationRowBytes(shape: RowMemoryShape, steps: number): number {
  return kvBytesPerRow(shape, steps) + crossKvBytesPerRow(shape, TYPICAL_TEXT_TOKENS);
}

/** Rows per chunk under `budgetBytes` (at least 1: a row that alone exceeds the budget still runs). */
export function rowsPerChunk(bytesPerRow: number, budgetBytes: number): number {
  if (!(bytesPerRow > 0)) throw new Error(`bytes per row must be positive, got ${bytesPerRow}`);
  if (!(budgetBytes > 0)) throw new Error(`the memory budget must be positive, got ${budgetBytes} bytes`);
  return Math.max(1, Math.floor(budgetBytes / bytesPerRow));
}

/** [start, end) ranges covering [from, count) in chunks of at most `perChunk`. */
export function chunkRanges(count: number, perChunk: number, from = 0): [number, number][] {
  if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a non-negative integer, got ${count}`);
  if (!Number.isInteger(perChunk) || perChunk < 1) throw new Error(`chunk size must be a positive integer, got ${perChunk}`);
  if (!Number.isInteger(from) || from < 0 || from > count) throw new Error(`start must be an integer in [0, ${count}], got ${from}`);
  const ranges: [number, number][] = [];
  for (let start = from; start < count; start += perChunk) ranges.push([start, Math.min(count, start + perChunk)]);
  return ranges;
}

/** Parses "2GiB", "512MiB", "1.5GB", "300MB" or plain bytes. */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?\s*$/i.exec(text);
  if (!match) throw new Error(`"${text}" is not a size (e.g. 2GiB, 512MiB, 1.5GB)`);
  const units: Record<string, number> = { b: 1, kb: 1e3, kib: 2 ** 10, mb: 1e6, mib: 2 ** 20, gb: 1e9, gib: 2 ** 30 };
  const bytes = Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()];
  if (!(bytes > 0)) throw new Error(`"${text}" must be a positive size`);
  return Math.floor(bytes);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${(bytes / 2 ** 10).toFixed(1)} KiB`;
}
