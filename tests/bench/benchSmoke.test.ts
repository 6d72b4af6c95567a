/**
 * `npm run bench -- --smoke` end to end (tiny shapes, seconds): every backend runs, every ratio is
 * printed, and the JSON has every field. No timing is asserted: the machine decides those.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATIO_KEYS, type BenchResults } from '../../src/bench/results';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run bench -- --smoke', () => {
  let dir: string;
  let stdout: string;
  let results: BenchResults;

  beforeAll(async () => {
    // Inside the project (.cache is git-ignored): Vite serves the bundle to Chromium only from its allowed folders.
    mkdirSync(join(ROOT, '.cache'), { recursive: true });
    dir = mkdtempSync(join(ROOT, '.cache', 'bench-smoke-'));
    const json = join(dir, 'results.json');
    ({ stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--smoke', '--cache-dir', join(dir, 'cache'), '--json', json], { cwd: ROOT, maxBuffer: 16 << 20 }));
    results = JSON.parse(readFileSync(json, 'utf8')) as BenchResults;
  }, 180_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the backend table and every ratio with a value', () => {
    for (const label of ['onnxruntime-node (native CPU)', 'onnxruntime-web WASM in Node', 'onnxruntime-web WASM in Chromium worker', 'onnxruntime-web WebGPU']) expect(stdout).toContain(label);
    expect(results.ratios.map((r) => r.key)).toEqual(RATIO_KEYS);
    for (const ratio of results.ratios) {
      expect(stdout).toContain(ratio.label);
      expect(ratio.value, `${ratio.key}: ${ratio.reason}`).toBeTypeOf('number');
      expect(Number.isFinite(ratio.value)).toBe(true);
      expect(ratio.met).toBeTypeOf('boolean');
    }
  });

  it('writes every field of the JSON', () => {
    expect(results.mode).toBe('smoke');
    expect(results.machine).toMatchObject({ cores: expect.any(Number), cpu: expect.any(String), node: expect.any(String), browser: expect.stringMatching(/Chromium/) });
    expect(results.workload).toMatchObject({ steps: results.workload.frames + 3, lensRows: results.workload.layers, sweepRows: 3 * results.workload.layers + 1, threads: 2 });
    expect(results.sizes.weightsBytes).toBeGreaterThan(0);
    expect(results.sizes.mergedGraphBytes).toBeGreaterThan(0);
    expect(results.sizes.kvCacheBytes).toBeGreaterThan(0);
    for (const key of ['native', 'wasmNode', 'wasmChromium'] as const) {
      const entry = results.backends[key];
      expect(entry.status, entry.status === 'ok' ? '' : entry.reason).toBe('ok');
      if (entry.status !== 'ok') continue;
      expect(entry.run.plain.steps).toBe(results.workload.steps);
      expect(entry.run.loadSeconds).toBeGreaterThan(0);
    }
    const native = results.backends.native;
    if (native.status === 'ok') {
      for (const timing of [native.run.merged?.first, native.run.merged?.second, native.run.merged?.perLayerBetween]) expect(timing?.steps).toBe(results.workload.steps);
      expect(native.run.lens?.batched.steps).toBe(results.workload.heavySteps);
      expect(native.run.sweep?.plain.steps).toBe(results.workload.heavySteps);
      // The sweep in chunks, each timed over the same steps, and its cost per site printed.
      expect(native.run.sweep?.chunks?.length).toBeGreaterThanOrEqual(2);
      for (const chunk of native.run.sweep!.chunks!) expect(chunk.steps).toBe(results.workload.heavySteps);
      expect(stdout).toMatch(/sweep cost \[native\]: -?[\d.]+ ms per site per step .* in \d+ chunks .*× one batch/);
      expect(native.run.peakRssBytes).toBeGreaterThan(0);
    }
    // WebGPU: measured on a real adapter, otherwise skipped with the reason printed.
    const webgpu = results.backends.webgpu;
    if (webgpu.status !== 'ok') expect(stdout).toContain(webgpu.reason);
  });
});
