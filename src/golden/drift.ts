/**
 * Token drift of a bundle against a reference run: the fraction of greedy tokens that agree, for
 * the plain generation, every DecoderLens depth and every intervention. Exact match is the bar for
 * fp32; q8/q4 weights are a different model, so their agreement is reported, not required.
 */
import type { GoldenCheckResult } from './goldenCheck';

export interface TokenDrift {
  greedy: number; // generate.codes agreement, 0..1
  lensMean: number; // mean over depths 1..L
  lensMin: number;
  interventionMean: number; // mean over the interventions
  interventionMin: number;
}

function agreementOf(check: GoldenCheckResult): number {
  if (check.agreement === undefined) throw new Error(`check ${check.name} compares no tokens`);
  return check.agreement;
}

function meanAndMin(values: number[], what: string): [number, number] {
  if (values.length === 0) throw new Error(`token drift: no ${what} checks in the report`);
  return [values.reduce((a, b) => a + b, 0) / values.length, Math.min(...values)];
}

/** Agreement per row of the i-th code array against the i-th reference array (same lengths). */
export function agreement(actual: Int32Array, expected: Int32Array): number {
  if (actual.length !== expected.length) throw new Error(`agreement: ${actual.length} tokens against ${expected.length}`);
  let same = 0;
  for (let i = 0; i < expected.length; i++) if (actual[i] === expected[i]) same++;
  return expected.length === 0 ? 1 : same / expected.length;
}

/** Summarises a golden report's token checks (generate.codes, lens.{depth}.codes, intervene.{i}.codes). */
export function tokenDrift(checks: readonly GoldenCheckResult[]): TokenDrift {
  const greedy = checks.find((c) => c.name === 'generate.codes');
  if (!greedy) throw new Error('token drift: the report has no generate.codes check');
  const [lensMean, lensMin] = meanAndMin(checks.filter((c) => /^lens\.\d+\.codes$/.test(c.name)).map(agreementOf), 'lens');
  const [interventionMean, interventionMin] = meanAndMin(checks.filter((c) => /^intervene\.\d+\.codes$/.test(c.name)).map(agreementOf), 'intervention');
  return { greedy: agreementOf(greedy), lensMean, lensMin, interventionMean, interventionMin };
}

/** "97.5 %" */
export function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(1)} %`;
}
