/** Progress with an ETA for long analysis runs (means, sweeps, the study), from units of work done. */

export interface RunProgress {
  done: number; // units finished (prompts, rows, cells)
  total: number;
  /** Seconds left at the average pace so far; null until something has finished. */
  etaSeconds: number | null;
  /** What is running now, e.g. "batch 2/5, step 40/203". */
  label: string;
}

/** ETA from the work done since `startedAt`, by this run alone (resumed work is not timed). */
export function estimateEta(doneThisRun: number, remaining: number, elapsedSeconds: number): number | null {
  if (doneThisRun <= 0 || !(elapsedSeconds >= 0)) return null;
  return (elapsedSeconds / doneThisRun) * remaining;
}

export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'ETA …';
  const s = Math.round(seconds);
  if (s < 60) return `ETA ${s} s`;
  if (s < 3600) return `ETA ${Math.floor(s / 60)} min ${s % 60} s`;
  return `ETA ${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

export function formatProgress(progress: RunProgress): string {
  return `${progress.done}/${progress.total} ${progress.label} ${formatEta(progress.etaSeconds)}`.replace(/\s+/g, ' ').trim();
}
