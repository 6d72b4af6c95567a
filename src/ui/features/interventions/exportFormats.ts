/** A sweep's results as files (pure): the study runner's sweep.csv, and JSON of everything. */
import { sweepCsv as studySweepCsv } from '../../../analysis/study/csv';
import type { SweepTable } from './sweepMetrics';

/**
 * The rows and columns `npm run lab -- study` writes to sweep.csv, plus a last `dtype` column: the
 * weights the figures were computed on (q8/q4: quantised), so a file never hides it.
 */
export function sweepCsv(table: SweepTable, dtype: string): string {
  const [header, ...rows] = studySweepCsv(table.rows).trimEnd().split('\n');
  return `${[`${header},dtype`, ...rows.map((row) => `${row},${dtype}`)].join('\n')}\n`;
}

/** Everything the view shows, self-describing. */
export function sweepJson(table: SweepTable, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ format: 'musicgen-lab-sweep', version: 1, ...extra, ...table }, null, 2)}\n`;
}

/** `guitar-to-piano-sweep` style file stem. */
export function sweepFileStem(table: Pick<SweepTable, 'fromId' | 'toId'>): string {
  return `${table.fromId}-to-${table.toId}-sweep`;
}
