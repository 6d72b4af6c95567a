/**
 * A sweep's numbers (pure): per cell (method × layer × module) the study's effect and precision of
 * the intervened clip against the unpatched baseline, from the classifier's softmax, averaged over
 * the swept prompts with their spread.
 */
import type { BlockModule } from '../../../bundle/graphContract';
import { BLOCK_MODULES } from '../../../bundle/graphContract';
import { effect, precision, summarize, type Summary } from '../../../analysis/metrics/kernel';
import type { SweepMethod } from '../../../analysis/interventions/sweep';

export const MODULE_NAMES: Record<BlockModule, string> = { attn: 'self-attention', cross_attn: 'cross-attention', mlp: 'MLP' };
export { BLOCK_MODULES };

export interface CellKey {
  method: SweepMethod;
  layer: number; // 0-based
  module: BlockModule;
}

/** One prompt's sweep as the classifier saw it: the baseline's class probabilities and each cell's. */
export interface PromptSweepProbabilities {
  baseline: ArrayLike<number>; // [527]
  cells: (CellKey & { probabilities: ArrayLike<number> })[];
}

export interface CellMetrics extends CellKey {
  effect: Summary;
  precision: Summary;
}

export interface SweepTable {
  fromId: string;
  toId: string;
  fromLabel: number; // AudioSet index of the original concept's first relevant label
  toLabel: number;
  numLayers: number;
  methods: SweepMethod[];
  prompts: string[]; // swept prompts
  cells: CellMetrics[]; // method, then layer, then module
}

const cellId = ({ method, layer, module }: CellKey) => `${method}/${layer}/${module}`;

/** Per cell: effect and precision of every prompt, summarised (mean, sample std, n). */
export function sweepTable(
  prompts: readonly PromptSweepProbabilities[],
  context: { fromId: string; toId: string; fromLabel: number; toLabel: number; numLayers: number; promptTexts: readonly string[] },
): SweepTable {
  if (prompts.length === 0) throw new Error('a sweep table needs at least one swept prompt');
  const effects = new Map<string, number[]>();
  const precisions = new Map<string, number[]>();
  const order: CellKey[] = [];
  for (const prompt of prompts) {
    for (const cell of prompt.cells) {
      const id = cellId(cell);
      if (!effects.has(id)) {
        effects.set(id, []);
        precisions.set(id, []);
        order.push({ method: cell.method, layer: cell.layer, module: cell.module });
      }
      effects.get(id)!.push(effect(prompt.baseline, cell.probabilities, context.fromLabel, context.toLabel));
      precisions.get(id)!.push(precision(prompt.baseline, cell.probabilities));
    }
  }
  const methods = [...new Set(order.map((cell) => cell.method))];
  return {
    fromId: context.fromId,
    toId: context.toId,
    fromLabel: context.fromLabel,
    toLabel: context.toLabel,
    numLayers: context.numLayers,
    methods,
    prompts: [...context.promptTexts],
    cells: order.map((cell) => ({ ...cell, effect: summarize(effects.get(cellId(cell))!), precision: summarize(precisions.get(cellId(cell))!) })),
  };
}

export type SweepMetric = 'effect' | 'precision';

/** A heatmap's values: [layers, 3 modules] of one metric and method; NaN where the table has no cell. */
export function metricGrid(table: SweepTable, metric: SweepMetric, method: SweepMethod): Float32Array {
  const grid = new Float32Array(table.numLayers * BLOCK_MODULES.length).fill(NaN); // [L, 3]
  for (const cell of table.cells) {
    if (cell.method !== method) continue;
    grid[cell.layer * BLOCK_MODULES.length + BLOCK_MODULES.indexOf(cell.module)] = cell[metric].mean;
  }
  return grid;
}

export function findCell(table: SweepTable, key: CellKey): CellMetrics | undefined {
  return table.cells.find((cell) => cell.method === key.method && cell.layer === key.layer && cell.module === key.module);
}

/** One line of the per-layer plot: a metric's mean per layer for a method and module. */
export function layerSeries(table: SweepTable, metric: SweepMetric, method: SweepMethod, module: BlockModule): number[] {
  return Array.from({ length: table.numLayers }, (_, layer) => findCell(table, { method, layer, module })?.[metric].mean ?? NaN);
}

/** Three significant digits, short enough for legend ticks (e.g. -0.00052, 0.0431, 12.3). */
export function formatMetric(value: number): string {
  return Math.abs(value) >= 1e4 ? value.toExponential(2) : String(Number(value.toPrecision(3)));
}
