/** A sweep's results as files (pure): CSV rows as the study runner writes them, and JSON of everything. */
import type { SweepTable } from './sweepMetrics';

export const SWEEP_CSV_COLUMNS = ['from', 'to', 'method', 'layer', 'module', 'effect', 'precision', 'n', 'effect_std', 'precision_std'] as const;

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per method × layer × module; `layer` 0-based as in hook names, `module` attn/cross_attn/mlp. */
export function sweepCsv(table: SweepTable): string {
  const rows = table.cells.map((cell) =>
    [table.fromId, table.toId, cell.method, cell.layer, cell.module, cell.effect.mean, cell.precision.mean, cell.effect.n, cell.effect.std, cell.precision.std].map(csvField).join(','),
  );
  return `${[SWEEP_CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}

/** Everything the view shows, self-describing. */
export function sweepJson(table: SweepTable, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ format: 'musicgen-lab-sweep', version: 1, ...extra, ...table }, null, 2)}\n`;
}

/** `guitar-to-piano-sweep` style file stem. */
export function sweepFileStem(table: Pick<SweepTable, 'fromId' | 'toId'>): string {
  return `${table.fromId}-to-${table.toId}-sweep`;
}
