/** Summaries of repeated measurements: the bench prints a median with the min and max beside it. */

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Every value, in measurement order. */
  values: number[];
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spread of nothing');
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), values: [...values] };
}
