/**
 * `npm run bench -- --smoke` end to end (tiny shapes): every backend and variant gets a line,
 * every ratio is printed as a median of alternated measurements with min and max, a variant whose
 * build fails is reported as failed and the bench goes on, and the JSON keeps every raw
 * measurement. No timing is asserted: the machine decides those.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparisonsFor, selectComparisons } from '../../src/bench/plan';
import { BACKEND_LABELS } from '../../src/bench/report';
import type { BenchResults } from '../../src/bench/results';
import { CPU_VARIANTS, VARIANTS } from '../../src/bench/variants';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REPEAT = 3;

describe('npm run bench -- --smoke', () => {
  let dir: string;
  let stdout: string;
  let results: BenchResults;

  beforeAll(async () => {
    // Inside the project (.cache is git-ignored): Vite serves the bundle to Chromium only from its allowed folders.
    mkdirSync(join(ROOT, '.cache'), { recursive: true });
    dir = mkdtempSync(join(ROOT, '.cache', 'bench-smoke-'));
    const json = join(dir, 'results.json');
    const args = ['--import', 'tsx', 'scripts/bench.ts', '--smoke', '--repeat', String(REPEAT), '--fail-build', 'q4', '--cache-dir', join(dir, 'cache'), '--json', json];
    ({ stdout } = await promisify(execFile)(process.execPath, args, { cwd: ROOT, maxBuffer: 16 << 20 }));
    results = JSON.parse(readFileSync(json, 'utf8')) as BenchResults;
  }, 240_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives every CPU backend a line per variant, and reports the failed build instead of stopping', () => {
    for (const label of Object.values(BACKEND_LABELS)) expect(stdout).toContain(label);
    expect(results.builds.fp32?.status).toBe('ok');
    expect(results.builds['fp32-merged']?.status).toBe('ok');
    expect(results.builds.q4).toEqual({ status: 'failed', reason: 'failed on purpose (--fail-build)' });
    expect(stdout).toContain('q4 per-layer failed: failed on purpose (--fail-build)');
    for (const key of ['native', 'wasmNode', 'wasmChromium'] as const) {
      const entry = results.backends[key];
      expect(entry.status, entry.status === 'ok' ? '' : entry.reason).toBe('ok');
      if (entry.status !== 'ok') continue;
      for (const variant of ['fp32', 'fp32-merged'] as const) {
        const runner = entry.runners[variant];
        expect(runner?.status, `${key} ${variant}: ${runner?.status === 'ok' ? '' : runner?.reason}`).toBe('ok');
        if (runner?.status === 'ok') expect(runner.run.plain.steps).toBe(results.workload.steps);
      }
      // The fused graph runs where a ratio needs it: native and WASM in Node.
      if (key !== 'wasmChromium') expect(entry.runners['fp32-fused']?.status, key).toBe('ok');
      // Variants on another engineer's branch either run or say why not (a failed build included).
      for (const runner of Object.values(entry.runners)) if (runner.status !== 'ok') expect(stdout).toContain(`failed: ${runner.reason}`);
    }
    const variantsSeen = new Set(Object.keys((results.backends.native as { runners: object }).runners));
    expect([...variantsSeen].every((v) => CPU_VARIANTS.includes(v as never) || v === 'fp32-fused')).toBe(true);
    // The ratio on request (last block + head fused) did not run, nor load its variant.
    expect(variantsSeen.has('fp32-fused-head')).toBe(false);
    expect(results.ratios.some((r) => r.key === 'perLayerVsFusedHead')).toBe(false);
    expect(stdout).toContain(VARIANTS['fp32-fused'].label);
    expect(stdout).toContain(VARIANTS['peer-q8-merged'].label);
  });

  it('prints every ratio as the median of alternated measurements, with min and max', () => {
    const expected = (['native', 'wasmNode', 'wasmChromium', 'webgpu'] as const).flatMap((b) => selectComparisons(comparisonsFor(b)).map((c) => c.id));
    expect(results.ratios.map((r) => r.id)).toEqual(expected);
    for (const ratio of results.ratios) {
      const backend = results.backends[ratio.backend];
      if (backend.status !== 'ok') {
        // A backend that did not run (WebGPU without a real adapter) gets one row with the reason.
        expect(ratio.spread).toBeNull();
        expect(stdout).toContain(`${backend.status}: ${backend.reason}`);
        continue;
      }
      expect(stdout).toContain(ratio.label);
      if (!ratio.spread) {
        expect(ratio.reason).toBeTruthy();
        expect(stdout).toContain(ratio.reason!);
        continue;
      }
      expect(ratio.spread.values).toHaveLength(REPEAT);
      expect(ratio.spread.min).toBeLessThanOrEqual(ratio.spread.median);
      expect(ratio.spread.max).toBeGreaterThanOrEqual(ratio.spread.median);
      expect(Number.isFinite(ratio.spread.median)).toBe(true);
      expect(ratio.met).toEqual(ratio.target ? expect.any(Boolean) : null);
    }
    // Everything fp32 measures on the CPU backends has a figure.
    for (const id of ['native.perLayerVsMerged', 'native.perLayerVsFused', 'native.perLayerVsFusedFirstSteps', 'native.lensVsPlain', 'native.sweepVsPlain', 'native.sweepChunkedVsOneBatch', 'wasmNode.perLayerVsMerged', 'wasmNode.perLayerVsFused', 'wasmNode.perLayerVsFusedFirstSteps', 'wasmChromium.perLayerVsMerged']) {
      expect(results.ratios.find((r) => r.id === id)?.spread, id).not.toBeNull();
    }
  });

  it('keeps every raw block in the JSON, each pair over the same steps', () => {
    const measured = results.ratios.filter((r) => r.spread).length;
    expect(results.measurements).toHaveLength(measured * REPEAT);
    const spans = new Map((['native', 'wasmNode', 'wasmChromium'] as const).flatMap((b) => comparisonsFor(b).map((c) => [c.id, c.span] as const)));
    expect(spans.get('native.perLayerVsFused')).toBe('generation');
    expect(spans.get('native.perLayerVsFusedFirstSteps')).not.toBe('generation');
    for (const m of results.measurements) {
      // Plain against plain (the split, fused, q8) times whole generations, unless a ratio asks for the first steps; lens and sweep the first steps.
      const wholeGeneration = spans.get(m.comparison) === 'generation';
      const steps = wholeGeneration ? results.workload.steps : results.workload.blockSteps;
      expect(m.a.timing.steps, m.comparison).toBe(steps);
      expect(m.b.timing.steps, m.comparison).toBe(steps);
      expect(m.a.timing.stepSeconds).toHaveLength(steps);
    }
    const chunked = results.measurements.filter((m) => m.comparison === 'native.sweepChunkedVsOneBatch');
    for (const m of chunked) expect(m.a.chunks?.length).toBeGreaterThanOrEqual(2);
    expect(results.workload).toMatchObject({ steps: results.workload.frames + 3, repeat: REPEAT, lensRows: results.workload.layers, sweepRows: 3 * results.workload.layers + 1, threads: 2 });
    expect(results.machine).toMatchObject({ cores: expect.any(Number), cpu: expect.any(String), node: expect.any(String), browser: expect.stringMatching(/Chromium/) });
  });

  it('prints memory per backend, the sweep cost per site and chunked vs one batch, and the GPU line', () => {
    expect(results.memory.filter((m) => m.variant === 'fp32').map((m) => m.backend)).toEqual(['native', 'wasmNode', 'wasmChromium']);
    for (const m of results.memory) expect(m.peakBytes).toBeGreaterThan(0);
    expect(results.sweepCost?.perSiteStepSeconds.values).toHaveLength(REPEAT);
    expect(stdout).toMatch(/sweep cost \[native fp32\]: -?[\d.]+ ms per site per step \(-?[\d.]+–-?[\d.]+\).* in \d+ chunks .*× one batch \([\d.]+–[\d.]+\)/);
    // WebGPU: measured on a real adapter, otherwise skipped with the reason printed.
    const webgpu = results.backends.webgpu;
    if (webgpu.status !== 'ok') expect(stdout).toContain(`real GPU: ${webgpu.status}: ${webgpu.reason}`);
    else expect(results.gpu?.rows.length).toBeGreaterThan(0);
  });
});

describe('npm run bench -- --smoke --only perLayerVsFusedHead,engineVsLoop', () => {
  it('runs just those ratios and the variants they need, on the backends asked for', async () => {
    mkdirSync(join(ROOT, '.cache'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, '.cache', 'bench-smoke-only-'));
    try {
      const json = join(dir, 'results.json');
      const args = ['--import', 'tsx', 'scripts/bench.ts', '--smoke', '--repeat', '3', '--no-browser', '--backends', 'native', '--only', 'perLayerVsFusedHead,engineVsLoop', '--cache-dir', join(dir, 'cache'), '--json', json];
      const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: ROOT, maxBuffer: 16 << 20 });
      const results = JSON.parse(readFileSync(json, 'utf8')) as BenchResults;
      expect(Object.keys(results.builds).sort()).toEqual(['fp32', 'fp32-fused-head']);
      const native = results.backends.native;
      expect(native.status === 'ok' ? Object.keys(native.runners).sort() : native.reason).toEqual(['fp32', 'fp32-fused-head']);
      // WASM in Node, not asked for, reports the same ratio as skipped.
      expect(results.ratios.map((r) => `${r.id}: ${r.spread ? 'measured' : r.reason}`)).toEqual([
        'native.perLayerVsFusedHead: measured',
        'native.engineVsLoop: measured',
        'wasmNode.perLayerVsFusedHead: wasmNode skipped: not in --backends',
        'wasmNode.engineVsLoop: wasmNode skipped: not in --backends',
      ]);
      expect(results.ratios[0].spread?.values).toHaveLength(3);
      expect(results.measurements.filter((m) => m.comparison === 'native.perLayerVsFusedHead').map((m) => [m.a.workload, m.b.workload])).toEqual(Array(3).fill(['plainUnfused', 'plain']));
      expect(results.measurements.every((m) => m.a.timing.steps === results.workload.steps && m.b.timing.steps === results.workload.steps)).toBe(true);
      expect(stdout).toContain(VARIANTS['fp32-fused-head'].label);
      expect(stdout).toContain('fp32 per-layer vs last block + head fused, same loop');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
