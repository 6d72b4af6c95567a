/** CSV of the study's tables (pure): a header line, one line per row, numbers at full precision. */
import type { LensRow, SweepRow } from './kernel';

function field(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv<T>(columns: readonly (keyof T & string)[], rows: readonly T[]): string {
  return `${[columns.join(','), ...rows.map((row) => columns.map((c) => field(row[c] as string | number)).join(','))].join('\n')}\n`;
}

export const SWEEP_COLUMNS = ['from', 'to', 'method', 'layer', 'module', 'effect', 'precision', 'n', 'effectStd', 'precisionStd'] as const;
export const LENS_COLUMNS = ['concept', 'depth', 'ndcg', 'n', 'ndcgStd'] as const;

/** sweep.csv: from,to,method,layer,module,effect,precision,n,effect_std,precision_std. */
export function sweepCsv(rows: readonly SweepRow[]): string {
  return csv<SweepRow>(SWEEP_COLUMNS, rows).replace('effectStd,precisionStd', 'effect_std,precision_std');
}

/** lens.csv: concept,depth,ndcg,n,ndcg_std. */
export function lensCsv(rows: readonly LensRow[]): string {
  return csv<LensRow>(LENS_COLUMNS, rows).replace('ndcgStd', 'ndcg_std');
}
