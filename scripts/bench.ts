/**
 * npm run bench [-- --smoke] [--cache-dir DIR] [--json FILE] [--threads N] [--no-browser]
 *
 * Decoder steps per second of a 4 s generation (203 steps, guidance batch 2) at musicgen-small's
 * exact shapes (random weights, built once through the project's converter and cached), side by
 * side on onnxruntime-node, onnxruntime-web WASM in Node and in a Chromium worker, and WebGPU when
 * a real adapter exists; plus, on one backend each, the cost of per-layer graphs vs one merged
 * graph, DecoderLens over every depth and the intervention sweep vs a plain generation, and peak
 * memory vs the weights. Prints tables and writes JSON. `--smoke` runs the same at tiny shapes.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release as osRelease, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMusicgenConfig } from '../src/checkpoint/musicgenConfig';
import { benchMode } from '../src/bench/configs';
import { computeRatios, formatResults, kvCacheBytes, type BackendEntry, type BackendKey, type BackendRun, type BenchResults } from '../src/bench/results';
import { decoderSteps } from '../src/engine/delayPattern';
import { bundleWeightBytes, ensureBenchBundle, MERGED_FILE } from './bench/buildBundle';
import { runChromium } from './bench/chromiumRunner';
import type { NodeJob } from './bench/nodeRunner';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Args {
  smoke: boolean;
  cacheDir: string;
  json?: string;
  threads: number;
  browser: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { smoke: false, cacheDir: join(ROOT, '.cache', 'bench'), threads: 2, browser: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--smoke') args.smoke = true;
    else if (flag === '--cache-dir') args.cacheDir = resolve(value());
    else if (flag === '--json') args.json = resolve(value());
    else if (flag === '--threads') args.threads = Number(value());
    else if (flag === '--no-browser') args.browser = false;
    else if (flag === '--help' || flag === '-h') {
      console.log('usage: npm run bench -- [--smoke] [--cache-dir DIR] [--json FILE] [--threads N] [--no-browser]');
      process.exit(0);
    } else throw new Error(`unknown option ${flag} (try --help)`);
  }
  if (!Number.isInteger(args.threads) || args.threads < 1) throw new Error('--threads must be a positive integer');
  return args;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * glibc's malloc raises its mmap threshold after large frees, so the load-time transients of 24
 * model graphs (file bytes, protobuf copies) stay resident: 2.5 GiB instead of 1.9 GiB after loading
 * musicgen-small on onnxruntime-node, at the same speed (README, Benchmarks). A fixed threshold
 * returns them to the OS. An explicit setting in the environment wins.
 */
const NODE_RUNNER_ALLOCATOR = { MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? String(1 << 20) };

/** Runs one backend in its own process (its own peak RSS); a failure becomes a reason, not a crash. */
async function runNodeBackend(job: Omit<NodeJob, 'out'>, label: string): Promise<BackendEntry> {
  const out = join(tmpdir(), `musicgen-lab-bench-${process.pid}-${label}.json`);
  const jobPath = `${out}.job`;
  writeFileSync(jobPath, JSON.stringify({ ...job, out }));
  const code = await new Promise<number>((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/bench/nodeRunner.ts'), jobPath, label], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...NODE_RUNNER_ALLOCATOR } });
    child.on('error', fail);
    child.on('exit', (exitCode, signal) => done(exitCode ?? (signal ? 128 : 1)));
  });
  if (code !== 0) return { status: 'failed', reason: `${label} runner exited with code ${code} (see its output above)` };
  return { status: 'ok', run: JSON.parse(readFileSync(out, 'utf8')) as BackendRun };
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const mode = benchMode(args.smoke);
  const config = parseMusicgenConfig(mode.config, mode.name);
  mkdirSync(args.cacheDir, { recursive: true });
  const bundle = await ensureBenchBundle(mode, args.cacheDir, log);
  const steps = decoderSteps(mode.frames, config.numCodebooks);
  const common = { bundleDir: bundle.dir, threads: args.threads, frames: mode.frames, heavySteps: mode.heavySteps, textTokens: mode.textTokens, seed: mode.seed };

  log('native: onnxruntime-node (plain, merged graph, lens, sweep)');
  const native = await runNodeBackend({ ...common, backend: 'node', merged: true, heavy: true }, 'native');
  log(`web WASM in Node, ${args.threads} threads (plain)`);
  const wasmNode = await runNodeBackend({ ...common, backend: 'wasm', merged: false, heavy: false }, 'wasm-node');
  let browser = { browser: undefined as string | undefined, wasm: { status: 'skipped', reason: '--no-browser' } as BackendEntry, webgpu: { status: 'skipped', reason: '--no-browser' } as BackendEntry };
  if (args.browser) {
    log(`web WASM in a Chromium worker, ${args.threads} threads (plain); WebGPU if a real adapter exists`);
    try {
      browser = await runChromium(bundle.dir, { threads: args.threads, frames: mode.frames, textTokens: mode.textTokens, seed: mode.seed }, log);
    } catch (error) {
      const reason = `Chromium harness failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
      browser = { browser: undefined, wasm: { status: 'failed', reason }, webgpu: { status: 'failed', reason } };
    }
  }

  const backends: Record<BackendKey, BackendEntry> = { native, wasmNode, wasmChromium: browser.wasm, webgpu: browser.webgpu };
  const sizes = { weightsBytes: bundleWeightBytes(bundle.dir), mergedGraphBytes: statSync(join(bundle.dir, MERGED_FILE)).size, kvCacheBytes: kvCacheBytes(config, steps) };
  const cpu = cpus();
  const results: BenchResults = {
    mode: mode.name,
    date: new Date().toISOString(),
    machine: {
      cpu: cpu[0]?.model.trim() ?? 'unknown',
      cores: cpu.length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      os: `${osType()} ${osRelease()}`,
      node: process.version,
      onnxruntime: `node ${packageVersion('onnxruntime-node')}, web ${packageVersion('onnxruntime-web')}`,
      ...(browser.browser ? { browser: browser.browser } : {}),
      nodeAllocator: `glibc MALLOC_MMAP_THRESHOLD_=${NODE_RUNNER_ALLOCATOR.MALLOC_MMAP_THRESHOLD_}`,
    },
    workload: { frames: mode.frames, steps, heavySteps: mode.heavySteps, layers: config.numLayers, lensRows: config.numLayers, sweepRows: 3 * config.numLayers + 1, threads: args.threads, textTokens: mode.textTokens },
    sizes,
    backends,
    ratios: computeRatios(backends, sizes, mode.heavySteps),
  };
  const jsonPath = args.json ?? join(args.cacheDir, `results-${mode.name}.json`);
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  console.log(formatResults(results));
  console.log(`\nJSON: ${jsonPath}`);
  console.log(`bench time: ${((performance.now() - started) / 1000).toFixed(0)} s${bundle.built ? ` (bundle build ${bundle.seconds.toFixed(0)} s included)` : ' (bundle from cache)'}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
