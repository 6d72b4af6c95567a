/**
 * The bench's variants on disk: each built once by scripts/bench/buildVariant.ts in a child
 * process and cached under the cache folder, keyed by config, seed, converter version and variant.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchMode } from '../../src/bench/configs';
import type { BuildEntry } from '../../src/bench/results';
import type { VariantKey } from '../../src/bench/variants';
import { CONVERTER_VERSION } from '../../src/convert/convertCheckpoint';

export interface BuildJob {
  smoke: boolean;
  variant: VariantKey;
  dir: string; // empty, created by the parent
  /** --fail-build: fail on purpose (tests the report of a failed variant). */
  forceFailure: boolean;
}

export const COMPLETE_MARKER = 'complete';
const BENCH_BUNDLE_VERSION = 'bench-bundle 2';

export function variantDir(mode: BenchMode, cacheDir: string, variant: VariantKey): string {
  const key = createHash('sha256').update(JSON.stringify({ config: mode.config, seed: mode.seed, converter: CONVERTER_VERSION, bench: BENCH_BUNDLE_VERSION, variant })).digest('hex').slice(0, 12);
  return join(cacheDir, `${mode.name}-${variant}-${key}`);
}

function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

/** The variant's folder from the cache, or built now in a child process; a failure is a reason. */
export async function ensureVariant(mode: BenchMode, cacheDir: string, variant: VariantKey, root: string, forceFailure: boolean, log: (line: string) => void): Promise<BuildEntry & { dir: string }> {
  const dir = variantDir(mode, cacheDir, variant);
  if (!forceFailure && existsSync(join(dir, COMPLETE_MARKER))) return { status: 'ok', dir, seconds: 0, cached: true, bytes: folderBytes(dir) };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const jobPath = join(tmpdir(), `musicgen-lab-build-${process.pid}-${variant}.json`);
  writeFileSync(jobPath, JSON.stringify({ smoke: mode.name === 'smoke', variant, dir, forceFailure } satisfies BuildJob));
  log(`building ${variant} in ${dir} (once, then cached)`);
  const started = performance.now();
  let reason = '';
  const code = await new Promise<number>((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/bench/buildVariant.ts'), jobPath], { cwd: root, stdio: ['ignore', 'inherit', 'pipe'] });
    let pending = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('reason: ')) reason = line.slice('reason: '.length);
        else process.stderr.write(`${line}\n`);
      }
    });
    child.on('error', fail);
    child.on('exit', (exitCode, signal) => done(exitCode ?? (signal ? 128 : 1)));
  });
  rmSync(jobPath, { force: true });
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { status: 'failed', dir, reason: reason || `build exited with code ${code}` };
  }
  log(`  ${variant} built in ${seconds.toFixed(0)} s`);
  return { status: 'ok', dir, seconds, cached: false, bytes: folderBytes(dir) };
}
