/**
 * The bench's variants on disk, cached under the cache folder and keyed by config, seed, converter
 * version and variant. The missing ones are built by scripts/bench/buildVariant.ts in one child
 * process before any runner starts.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchMode } from '../../src/bench/configs';
import type { BuildEntry } from '../../src/bench/results';
import { VARIANTS, type VariantKey } from '../../src/bench/variants';
import { CONVERTER_VERSION } from '../../src/convert/convertCheckpoint';

export interface BuildItem {
  variant: VariantKey;
  dir: string; // empty, created by the parent
  /** --fail-build: fail on purpose (tests the report of a failed variant). */
  forceFailure: boolean;
}

export interface BuildJob {
  smoke: boolean;
  items: BuildItem[]; // per-layer fp32 before the merged variants that need it
  out: string; // BuildOutcome[] as JSON
}

export type BuildOutcome = { variant: VariantKey; ok: true; seconds: number } | { variant: VariantKey; ok: false; reason: string };

export const COMPLETE_MARKER = 'complete';
const BENCH_BUNDLE_VERSION = 'bench-bundle 2';

function variantDir(mode: BenchMode, cacheDir: string, variant: VariantKey): string {
  const key = createHash('sha256').update(JSON.stringify({ config: mode.config, seed: mode.seed, converter: CONVERTER_VERSION, bench: BENCH_BUNDLE_VERSION, variant })).digest('hex').slice(0, 12);
  return join(cacheDir, `${mode.name}-${variant}-${key}`);
}

function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

export type VariantBuild = BuildEntry & { dir: string };

/** Every variant's folder: from the cache, or built now; a failure is a reason, not a crash. */
export async function ensureVariants(mode: BenchMode, cacheDir: string, variants: readonly VariantKey[], root: string, failBuild: readonly VariantKey[], log: (line: string) => void): Promise<Map<VariantKey, VariantBuild>> {
  const builds = new Map<VariantKey, VariantBuild>();
  const items: BuildItem[] = [];
  for (const variant of variants) {
    const dir = variantDir(mode, cacheDir, variant);
    const forceFailure = failBuild.includes(variant);
    if (!forceFailure && existsSync(join(dir, COMPLETE_MARKER))) builds.set(variant, { status: 'ok', dir, seconds: 0, cached: true, bytes: folderBytes(dir) });
    else {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      items.push({ variant, dir, forceFailure });
    }
  }
  if (items.length === 0) return builds;
  log(`building ${items.map((i) => i.variant).join(', ')} in ${cacheDir} (once, then cached)`);
  const jobPath = join(tmpdir(), `musicgen-lab-build-${process.pid}.json`);
  const out = `${jobPath}.out`;
  writeFileSync(jobPath, JSON.stringify({ smoke: mode.name === 'smoke', items, out } satisfies BuildJob));
  const code = await new Promise<number>((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/bench/buildVariant.ts'), jobPath], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (exitCode, signal) => done(exitCode ?? (signal ? 128 : 1)));
  });
  const outcomes = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as BuildOutcome[]) : [];
  rmSync(jobPath, { force: true });
  rmSync(out, { force: true });
  for (const { variant, dir } of items) {
    const outcome = outcomes.find((o) => o.variant === variant);
    const failed = (reason: string): VariantBuild => (rmSync(dir, { recursive: true, force: true }), { status: 'failed', dir, reason });
    if (!outcome) builds.set(variant, failed(`the build process exited (code ${code}) before ${VARIANTS[variant].label}`));
    else if (!outcome.ok) builds.set(variant, failed(outcome.reason));
    else builds.set(variant, { status: 'ok', dir, seconds: outcome.seconds, cached: false, bytes: folderBytes(dir) });
  }
  return builds;
}
