/**
 * `npm run bench:profile -- --smoke` end to end on the tiny model's shapes, native cases only:
 * peak tables, one op table per case, a verdict per case read off the profile, the memory lines,
 * and a JSON with the summaries. No timing is asserted: the machine decides those.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepProfile } from '../../../src/bench/profile/summary';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface ProfileJson {
  reports: { key: string; profile: StepProfile; verdict: string; wallMs: { values: number[] }; wholeGeneration?: { stepSeconds: number[] } }[];
}

describe('npm run bench:profile -- --smoke', () => {
  let dir: string;
  let stdout: string;
  let json: ProfileJson;

  beforeAll(async () => {
    mkdirSync(join(ROOT, '.cache'), { recursive: true });
    dir = mkdtempSync(join(ROOT, '.cache', 'profile-smoke-'));
    const out = join(dir, 'profile.json');
    const args = ['--import', 'tsx', 'scripts/bench/profile.ts', '--smoke', '--cases', 'native-plain,native-lens', '--repeat', '2', '--rounds', '1', '--steps', '3', '--cache-dir', join(dir, 'cache'), '--json', out];
    ({ stdout } = await promisify(execFile)(process.execPath, args, { cwd: ROOT, maxBuffer: 16 << 20 }));
    json = JSON.parse(readFileSync(out, 'utf8')) as ProfileJson;
  }, 240_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the peaks, an op table per case and a verdict per case', () => {
    expect(stdout).toMatch(/\| fp32 GEMM, 256 rows \| [\d.]+ \([\d.]+–[\d.]+\) \|/);
    expect(stdout).toMatch(/\| fp32 weight stream, 2 × 4096² \|/);
    expect(stdout).toMatch(/## native fp32 plain step \(batch 2\)\nwall time per step without the profiler [\d.]+ ms \([\d.]+–[\d.]+\) over 2 runs/);
    expect(stdout).toContain('| all kernels |');
    const verdicts = stdout.slice(stdout.indexOf('## Verdicts')).split('\n').filter((line) => line.startsWith('- '));
    expect(verdicts).toHaveLength(2);
    for (const line of verdicts) expect(line).toMatch(/ of kernel time in matrix products, at [\d.]+ GFLOP\/s .*: (compute bound|memory bound|neither saturated)/);
    expect(stdout).toMatch(/memory \(native RSS\): Node alone \d+ MiB, with onnxruntime loaded and no session \d+ MiB/);
  });

  it('counts the lens’s extra rows in its FLOPs, and runs a whole generation for the plain memory peak', () => {
    const [plain, lens] = json.reports;
    expect(plain.key).toBe('native-plain');
    expect(plain.wallMs.values).toHaveLength(2);
    const flops = (profile: StepProfile) => profile.ops.reduce((sum, row) => sum + (row.flopsPerStep ?? 0), 0);
    expect(flops(plain.profile)).toBeGreaterThan(0);
    expect(flops(lens.profile)).toBeGreaterThan(2 * flops(plain.profile)); // more rows through the blocks
    expect(plain.profile.steps).toBe(2); // 3 steps, less the warm-up
    expect(plain.wholeGeneration?.stepSeconds.length).toBeGreaterThan(3);
    expect(lens.wholeGeneration).toBeUndefined();
  });
});
