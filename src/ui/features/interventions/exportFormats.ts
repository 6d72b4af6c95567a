/** A sweep's results as files (pure): the study runner's sweep.csv, and JSON of everything. */
import { sweepCsv as studySweepCsv } from '../../../analysis/study/csv';
import type { SweepTable } from './sweepMetrics';

/** Exactly the rows and columns `npm run lab -- study` writes to sweep.csv. */
export function sweepCsv(table: SweepTable): string {
  return studySweepCsv(table.rows);
}

/** Everything the view shows, self-describing. */
export function sweepJson(table: SweepTable, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ format: 'musicgen-lab-sweep', version: 1, ...extra, ...table }, null, 2)}\n`;
}

/** `guitar-to-piano-sweep` style file stem. */
export function sweepFileStem(table: Pick<SweepTable, 'fromId' | 'toId'>): string {
  return `${table.fromId}-to-${table.toId}-sweep`;
}
