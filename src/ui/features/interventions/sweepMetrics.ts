/**
 * A sweep as the view reads it (pure): the study kernel's rows (src/analysis/study: effect and
 * precision of every cell against the unpatched baseline, averaged over prompts with n and std)
 * plus what the figures need: [layers, 3 modules] grids and per-layer series.
 */
import { BLOCK_MODULES, type BlockModule } from '../../../bundle/graphContract';
import type { SweepCell, SweepMethod } from '../../../analysis/interventions/sweep';
import { summarizeSweep, sweepPromptMetrics, type SweepPromptResult, type SweepRow } from '../../../analysis/study/kernel';

export const MODULE_NAMES: Record<BlockModule, string> = { attn: 'self-attention', cross_attn: 'cross-attention', mlp: 'MLP' };
export { BLOCK_MODULES };

export type CellKey = SweepCell;

/** One prompt's sweep as the classifier saw it: logits of the baseline clip and of every cell's clip. */
export interface PromptSweepLogits {
  baseline: Float32Array; // [classes]
  cells: (CellKey & { logits: Float32Array })[]; // each [classes], in sweep order
}

export interface SweepTable {
  fromId: string;
  toId: string;
  fromLabel: number; // AudioSet index of the original concept's first relevant label
  toLabel: number;
  numLayers: number;
  methods: SweepMethod[];
  prompts: string[]; // swept prompts
  rows: SweepRow[]; // method, then layer, then module
}

export type SweepMetric = 'effect' | 'precision';

/** Per cell: the study's effect and precision of every prompt, summarised (mean, sample std, n). */
export function sweepTable(
  prompts: readonly PromptSweepLogits[],
  context: { fromId: string; toId: string; fromLabel: number; toLabel: number; numLayers: number; promptTexts: readonly string[] },
): SweepTable {
  if (prompts.length === 0) throw new Error('a sweep table needs at least one swept prompt');
  const cells: SweepCell[] = prompts[0].cells.map(({ method, layer, module }) => ({ method, layer, module }));
  const results: SweepPromptResult[] = prompts.map((prompt, index) => {
    const same = prompt.cells.length === cells.length && prompt.cells.every((c, i) => c.method === cells[i].method && c.layer === cells[i].layer && c.module === cells[i].module);
    if (!same) throw new Error(`prompt ${index + 1} was swept over other cells than prompt 1`);
    const classes = prompt.baseline.length;
    const cellLogits = new Float32Array(cells.length * classes); // [cells, classes]
    prompt.cells.forEach((cell, i) => cellLogits.set(cell.logits, i * classes));
    return sweepPromptMetrics(index, prompt.baseline, cellLogits, classes, context.fromLabel, context.toLabel);
  });
  return {
    fromId: context.fromId,
    toId: context.toId,
    fromLabel: context.fromLabel,
    toLabel: context.toLabel,
    numLayers: context.numLayers,
    methods: [...new Set(cells.map((cell) => cell.method))],
    prompts: [...context.promptTexts],
    rows: summarizeSweep(context.fromId, context.toId, cells, results),
  };
}

/** A heatmap's values: [layers, 3 modules] of one metric and method; NaN where the table has no cell. */
export function metricGrid(table: SweepTable, metric: SweepMetric, method: SweepMethod): Float32Array {
  const grid = new Float32Array(table.numLayers * BLOCK_MODULES.length).fill(NaN); // [L, 3]
  for (const row of table.rows) {
    if (row.method === method) grid[row.layer * BLOCK_MODULES.length + BLOCK_MODULES.indexOf(row.module)] = row[metric];
  }
  return grid;
}

export function findRow(table: SweepTable, key: CellKey): SweepRow | undefined {
  return table.rows.find((row) => row.method === key.method && row.layer === key.layer && row.module === key.module);
}

/** The spread of a metric in a row. */
export function metricStd(row: SweepRow, metric: SweepMetric): number {
  return metric === 'effect' ? row.effectStd : row.precisionStd;
}

/** One line of the per-layer plot: a metric's mean per layer for a method and module. */
export function layerSeries(table: SweepTable, metric: SweepMetric, method: SweepMethod, module: BlockModule): number[] {
  return Array.from({ length: table.numLayers }, (_, layer) => findRow(table, { method, layer, module })?.[metric] ?? NaN);
}

/** Three significant digits, short enough for legend ticks (e.g. -0.00052, 0.0431, 12.3). */
export function formatMetric(value: number): string {
  return Math.abs(value) >= 1e4 ? value.toExponential(2) : String(Number(value.toPrecision(3)));
}
