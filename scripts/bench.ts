/**
 * npm run bench [-- --smoke] [--repeat N] [--cache-dir DIR] [--json FILE] [--threads N]
 *                  [--no-browser] [--backends native,wasmNode,wasmChromium,webgpu]
 *                  [--only RATIO,...] [--gpu-bandwidth GBps] [--fail-build VARIANT]
 *
 * Decoder speed and memory at musicgen-small's exact shapes (random weights, built once through the
 * project's converter, each variant in its own process, and cached): fp32, q8 and q4 per-layer
 * bundles, the fp32 merged graph, the peer's q8 merged graph and the fp32 fused graph (every block +
 * the head), side by side on onnxruntime-node,
 * onnxruntime-web WASM in Node and in a Chromium worker, and fp32, fp16 and q4 on WebGPU when a real
 * adapter exists. Every runner is its own process or worker. Ratios are medians of alternated
 * measurements (src/bench/plan.ts). Prints tables and writes JSON. `--smoke`: the same at tiny shapes.
 * `--only`: just those ratios (keys of plan.ts's ComparisonKey) and the variants they need; ratios
 * marked onRequest (fp32 per-layer vs last block + head fused) run only when named there.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release as osRelease } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchMode } from '../src/bench/configs';
import { comparisonsFor, selectComparisons, variantsNeeded, type BackendKey, type Comparison, type ComparisonKey } from '../src/bench/plan';
import { formatResults } from '../src/bench/report';
import { gpuReport, kvCacheBytes, memoryRatios, sweepCost, type BackendEntry, type BenchResults, type BuildEntry, type Measurement, type RatioResult } from '../src/bench/results';
import { CPU_VARIANTS, GPU_VARIANTS, VARIANTS, isVariantKey, type VariantKey } from '../src/bench/variants';
import { parseMusicgenConfig } from '../src/checkpoint/musicgenConfig';
import { decoderSteps } from '../src/engine/delayPattern';
import { ensureVariants } from './bench/bundles';
import { openChromium, type ChromiumSession } from './bench/chromiumRunners';
import { NODE_RUNNER_ALLOCATOR, startNodeRunner } from './bench/nodeRunners';
import { runPhase } from './bench/phase';
import type { RunnerHandle } from './bench/protocol';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'usage: npm run bench -- [--smoke] [--repeat N] [--cache-dir DIR] [--json FILE] [--threads N] [--no-browser] [--backends LIST] [--only RATIOS] [--gpu-bandwidth GBps] [--fail-build VARIANT]';

interface Args {
  smoke: boolean;
  repeat: number;
  cacheDir: string;
  json?: string;
  threads: number;
  browser: boolean;
  gpuBandwidth?: number;
  failBuild: VariantKey[];
  backends: BackendKey[];
  /** --only: the ratios to measure (all when absent). */
  only?: ComparisonKey[];
}

const ALL_BACKENDS: readonly BackendKey[] = ['native', 'wasmNode', 'wasmChromium', 'webgpu'];

function parseArgs(argv: string[]): Args {
  const args: Args = { smoke: false, repeat: 3, cacheDir: join(ROOT, '.cache', 'bench'), threads: 2, browser: true, failBuild: [], backends: [...ALL_BACKENDS] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--smoke') args.smoke = true;
    else if (flag === '--repeat') args.repeat = Number(value());
    else if (flag === '--cache-dir') args.cacheDir = resolve(value());
    else if (flag === '--json') args.json = resolve(value());
    else if (flag === '--threads') args.threads = Number(value());
    else if (flag === '--no-browser') args.browser = false;
    else if (flag === '--backends') {
      const list = value().split(',');
      const unknown = list.filter((b) => !(ALL_BACKENDS as readonly string[]).includes(b));
      if (unknown.length) throw new Error(`--backends: unknown ${unknown.join(', ')} (${ALL_BACKENDS.join(', ')})`);
      args.backends = list as BackendKey[];
    } else if (flag === '--only') {
      const list = value().split(',');
      const known = new Set(ALL_BACKENDS.flatMap((b) => comparisonsFor(b).map((c) => c.key)));
      const unknown = list.filter((key) => !known.has(key as ComparisonKey));
      if (unknown.length) throw new Error(`--only: unknown ratio ${unknown.join(', ')} (${[...known].join(', ')})`);
      args.only = list as ComparisonKey[];
    } else if (flag === '--gpu-bandwidth') args.gpuBandwidth = Number(value());
    else if (flag === '--fail-build') {
      const variant = value();
      if (!isVariantKey(variant)) throw new Error(`--fail-build: unknown variant ${variant} (${Object.keys(VARIANTS).join(', ')})`);
      args.failBuild.push(variant);
    } else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${flag} (try --help)`);
  }
  if (!Number.isInteger(args.threads) || args.threads < 1) throw new Error('--threads must be a positive integer');
  if (!Number.isInteger(args.repeat) || args.repeat < 1) throw new Error('--repeat must be a positive integer');
  if (args.gpuBandwidth !== undefined && !(args.gpuBandwidth > 0)) throw new Error('--gpu-bandwidth must be a positive number of GB/s');
  return args;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const message = (error: unknown) => (error instanceof Error ? error.message.split('\n')[0] : String(error));

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
  const steps = decoderSteps(mode.frames, config.numCodebooks);

  // The browser first: whether a real GPU exists decides which variants to build.
  let chromium: ChromiumSession | undefined;
  let browserReason = '--no-browser';
  const browserWanted = args.browser && args.backends.some((b) => b === 'wasmChromium' || b === 'webgpu');
  if (args.browser && !browserWanted) browserReason = 'not in --backends';
  if (browserWanted) {
    try {
      chromium = await openChromium(log);
    } catch (error) {
      browserReason = `Chromium harness failed: ${message(error)}`;
    }
  }
  const realGpu = chromium?.adapter.real === true;
  const planned = (backend: BackendKey): Comparison[] => selectComparisons(comparisonsFor(backend), args.only);
  // Every variant a backend times a full generation of: all of its kind, or with --only those its ratios need.
  const timedVariants = (backend: BackendKey): VariantKey[] => (args.only ? variantsNeeded(planned(backend)) : [...(backend === 'webgpu' ? GPU_VARIANTS : CPU_VARIANTS)]);

  try {
    const cpuBackends = args.backends.filter((b) => b !== 'webgpu');
    const needed = [...cpuBackends, ...(realGpu ? (['webgpu'] as const) : [])].flatMap((b) => [...timedVariants(b), ...variantsNeeded(planned(b))]);
    // fp32 first: the merged and fused variants run with its bundle's embed and cross_kv graphs.
    const wanted = [...new Set(needed.length ? ['fp32' as const, ...needed] : [])];
    const built = await ensureVariants(mode, args.cacheDir, wanted, ROOT, args.failBuild, log);
    const builds: Partial<Record<VariantKey, BuildEntry>> = {};
    const dirs = new Map<VariantKey, string>();
    for (const [variant, { dir, ...entry }] of built) {
      // A merged or fused variant runs with the fp32 bundle's embed and cross_kv graphs.
      const usable: BuildEntry = entry.status === 'ok' && VARIANTS[variant].layout !== 'per-layer' && built.get('fp32')?.status !== 'ok' ? { status: 'failed', reason: 'needs the fp32 bundle (its cross_kv graphs), which did not build' } : entry;
      builds[variant] = usable;
      if (usable.status === 'ok') dirs.set(variant, dir);
    }
    // A merged or fused variant's own folder holds its graph.
    const folders = (variant: VariantKey) => (VARIANTS[variant].layout !== 'per-layer' ? { bundle: dirs.get('fp32')!, graph: dirs.get(variant) } : { bundle: dirs.get(variant)!, graph: undefined });
    const startable = (variant: VariantKey, start: () => RunnerHandle): RunnerHandle | { reason: string } => {
      const build = builds[variant];
      return build?.status === 'ok' ? start() : { reason: `build failed: ${build?.status === 'failed' ? build.reason : 'not built'}` };
    };
    const job = (variant: VariantKey) => ({ variant, threads: args.threads, frames: mode.frames, textTokens: mode.textTokens, seed: mode.seed });

    const backends = {} as Record<BackendKey, BackendEntry>;
    const measurements: Measurement[] = [];
    const ratios: RatioResult[] = [];
    const phase = async (backend: BackendKey, start: (variant: VariantKey) => RunnerHandle) => {
      log(`${backend}: ${planned(backend).length} comparisons × ${args.repeat} rounds`);
      const result = await runPhase({ backend, variants: timedVariants(backend), comparisons: planned(backend), start: (variant) => startable(variant, () => start(variant)), repeat: args.repeat, blockSteps: mode.blockSteps, generationSteps: steps, log });
      backends[backend] = { status: 'ok', runners: result.runners };
      measurements.push(...result.measurements);
      ratios.push(...result.ratios);
    };
    const skip = (backend: BackendKey, reason: string) => {
      backends[backend] = { status: 'skipped', reason };
      ratios.push(...planned(backend).map((c): RatioResult => ({ id: c.id, key: c.key, backend, label: c.label, measure: c.measure, ...(c.target ? { target: c.target } : {}), spread: null, met: null, reason: `${backend} skipped: ${reason}` })));
    };

    for (const [backend, runtime] of [['native', 'node'], ['wasmNode', 'wasm']] as const) {
      if (!args.backends.includes(backend)) {
        skip(backend, 'not in --backends');
        continue;
      }
      await phase(backend, (variant) => startNodeRunner(ROOT, { ...job(variant), backend: runtime, bundleDir: folders(variant).bundle, graphDir: folders(variant).graph }, `${backend}-${variant}`));
    }
    const inBrowser = (backend: 'wasm' | 'webgpu') => (variant: VariantKey) => {
      const { bundle, graph } = folders(variant);
      return chromium!.start(`${backend}-${variant}`, { ...job(variant), backend, bundleUrl: chromium!.folderUrl(bundle), ...(graph ? { mergedUrl: chromium!.folderUrl(graph) } : {}) });
    };
    if (!args.backends.includes('wasmChromium')) skip('wasmChromium', 'not in --backends');
    else if (chromium) await phase('wasmChromium', inBrowser('wasm'));
    else skip('wasmChromium', browserReason);
    if (!args.backends.includes('webgpu')) skip('webgpu', 'not in --backends');
    else if (chromium?.adapter.real) await phase('webgpu', inBrowser('webgpu'));
    else skip('webgpu', chromium && !chromium.adapter.real ? chromium.adapter.reason : browserReason);

    const kv = kvCacheBytes(config, steps);
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
        ...(chromium ? { browser: chromium.browser } : {}),
        nodeAllocator: `glibc MALLOC_MMAP_THRESHOLD_=${NODE_RUNNER_ALLOCATOR.MALLOC_MMAP_THRESHOLD_}`,
      },
      workload: { frames: mode.frames, steps, blockSteps: mode.blockSteps, repeat: args.repeat, layers: config.numLayers, lensRows: config.numLayers, sweepRows: 3 * config.numLayers + 1, threads: args.threads, textTokens: mode.textTokens },
      sizes: { kvCacheBytes: kv },
      builds,
      backends,
      measurements,
      ratios,
      memory: memoryRatios(backends, kv),
      sweepCost: sweepCost(measurements, 3 * config.numLayers),
      gpu: gpuReport(backends, measurements, chromium?.adapter.real ? chromium.adapter.name : undefined, args.gpuBandwidth),
    };
    const jsonPath = args.json ?? join(args.cacheDir, `results-${mode.name}.json`);
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
    console.log(formatResults(results));
    console.log(`\nJSON: ${jsonPath}`);
    const fresh = Object.values(builds).filter((b) => b.status === 'ok' && !b.cached);
    console.log(`bench time: ${((performance.now() - started) / 1000).toFixed(0)} s${fresh.length ? ` (${fresh.length} variant builds included)` : ' (variants from cache)'}`);
  } finally {
    await chromium?.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
