/**
 * Speeds measured by `npm run bench` on the project's benchmark machine (README, "Benchmarks"),
 * shown next to the dtype choice as a reference, never as this machine's figure. Only dtypes the
 * README has a figure for are listed; add a row when the README gains one.
 */
import type { WeightDtype } from '../../../bundle/manifest';

export interface ReferenceSpeed {
  /** The hub model whose shapes the bench bundle has (random weights, same sizes). */
  repo: string;
  dtype: WeightDtype;
  stepsPerSecond: number;
  /** Backend and machine, as the README states them. */
  where: string;
  date: string;
}

export const REFERENCE_SPEEDS: readonly ReferenceSpeed[] = [
  { repo: 'facebook/musicgen-small', dtype: 'fp32', stepsPerSecond: 13.55, where: 'WASM in a Chromium worker, 2 threads, 2-core AMD EPYC VM', date: '2026-11-26' },
  { repo: 'facebook/musicgen-small', dtype: 'q8', stepsPerSecond: 5.42, where: 'WASM in a Chromium worker, 2 threads, 2-core AMD EPYC VM', date: '2026-11-26' },
  { repo: 'facebook/musicgen-small', dtype: 'q4', stepsPerSecond: 1.35, where: 'WASM in a Chromium worker, 2 threads, 2-core AMD EPYC VM: no WASM kernel for 4-bit', date: '2026-11-26' },
];

export function referenceSpeed(repo: string, dtype: WeightDtype): ReferenceSpeed | undefined {
  return REFERENCE_SPEEDS.find((reference) => reference.repo === repo && reference.dtype === dtype);
}
