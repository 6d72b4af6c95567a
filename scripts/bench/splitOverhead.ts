/**
 * The per-layer split's cost alone, at musicgen-small's size: the engine's plain generation (4 s,
 * 203 steps, guidance batch 2) and the same generation through merged_decoder.onnx, alternated
 * (per-layer, merged) `--repeat` times in one process on one backend. Each pair gives a ratio of
 * median step times; prints the median, min and max of the ratios and of each side's times.
 *
 *   flock /tmp/musicgen-fullsize.lock npx tsx scripts/bench/splitOverhead.ts --backend node|wasm [--repeat 3] [--threads 2] [--cache-dir DIR]
 *
 * Uses (or builds once) the bench bundle in .cache/bench, like `npm run bench`. On WASM both do not
 * fit one 4 GiB heap: `--side per-layer|merged` times one side per process (one line `side ms`
 * per generation), and the caller alternates processes.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchMode } from '../../src/bench/configs';
import { median, timeSteps, type StepTiming } from '../../src/bench/timing';
import { engineGeneration, mergedGeneration, plainRows, randomConditioning } from '../../src/bench/workloads';
import { nodeBundleFiles } from '../../src/bundle/nodeBundleFiles';
import { parseManifest } from '../../src/bundle/manifest';
import { loadModel, type LoadedModel } from '../../src/engine/loadedModel';
import type { Runtime } from '../../src/runtime/ort';
import { createRuntime } from '../../src/runtime/ort';
import { ensureBenchBundle, MERGED_FILE } from './buildBundle';

type Side = 'both' | 'per-layer' | 'merged';

interface Args {
  side: Side;
  backend: 'node' | 'wasm';
  repeat: number;
  threads: number;
  cacheDir: string;
}

function parseArgs(argv: string[]): Args {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const args: Args = { side: 'both', backend: 'node', repeat: 3, threads: 2, cacheDir: join(root, '.cache', 'bench') };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--backend') {
      const backend = value();
      if (backend !== 'node' && backend !== 'wasm') throw new Error(`--backend must be node or wasm, got ${backend}`);
      args.backend = backend;
    } else if (flag === '--side') {
      const side = value();
      if (side !== 'both' && side !== 'per-layer' && side !== 'merged') throw new Error(`--side must be both, per-layer or merged, got ${side}`);
      args.side = side;
    } else if (flag === '--repeat') args.repeat = Number(value());
    else if (flag === '--threads') args.threads = Number(value());
    else if (flag === '--cache-dir') args.cacheDir = resolve(value());
    else throw new Error(`unknown option ${flag}`);
  }
  if (!Number.isInteger(args.repeat) || args.repeat < 1) throw new Error('--repeat must be a positive integer');
  if (!Number.isInteger(args.threads) || args.threads < 1) throw new Error('--threads must be a positive integer');
  return args;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const ms = (seconds: number) => `${(seconds * 1000).toFixed(1)} ms`;

/** Median seconds per step without the warm-up step. */
const medianStep = (timing: StepTiming) => median(timing.stepSeconds.slice(1));

function summary(values: number[], format: (v: number) => string): string {
  return `median ${format(median(values))}, min ${format(Math.min(...values))}, max ${format(Math.max(...values))}`;
}

/** What the merged generation needs besides its graph: the cross-attention K/V graphs (no blocks). */
async function loadWithoutBlocks(dir: string, runtime: Runtime): Promise<LoadedModel> {
  const manifest = parseManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')), `${dir}/manifest.json`);
  const open = (path: string) => runtime.createSession(path, new Uint8Array(readFileSync(join(dir, path))));
  const crossKv = [];
  for (const graph of manifest.graphs.crossKv) crossKv.push({ session: await open(graph.file.path), firstLayer: graph.firstLayer, lastLayer: graph.lastLayer });
  const [embed, head] = [await open(manifest.graphs.embed.path), await open(manifest.graphs.head.path)];
  const sessions = [embed, head, ...crossKv.map((c) => c.session)];
  return { manifest, runtime, embed, blocks: [], crossKv, head, release: async () => void (await Promise.all(sessions.map((x) => x.release()))) };
}

/** One side per process: prints `side ms` (median step time) per generation. */
async function oneSide(args: Args, side: 'per-layer' | 'merged'): Promise<void> {
  const mode = benchMode(false);
  const bundle = await ensureBenchBundle(mode, args.cacheDir, log);
  const runtime = await createRuntime(args.backend, { numThreads: args.threads });
  const model = side === 'per-layer' ? await loadModel(nodeBundleFiles(bundle.dir), runtime, { verify: false }) : await loadWithoutBlocks(bundle.dir, runtime);
  const merged = side === 'merged' ? await runtime.createSession(MERGED_FILE, new Uint8Array(readFileSync(join(bundle.dir, MERGED_FILE)))) : undefined;
  const conditioning = randomConditioning(mode.textTokens, model.manifest.config.textHiddenSize, mode.seed);
  for (let i = 0; i < args.repeat; i++) {
    const generation = merged ? mergedGeneration(model, merged, conditioning, mode.frames) : engineGeneration(model, conditioning, mode.frames, plainRows());
    console.log(`${side} ${(medianStep(await timeSteps(generation)) * 1000).toFixed(1)}`);
  }
  await merged?.release();
  await model.release();
}

async function main(args: Args): Promise<void> {
  if (args.side !== 'both') return oneSide(args, args.side);
  const mode = benchMode(false);
  mkdirSync(args.cacheDir, { recursive: true });
  const bundle = await ensureBenchBundle(mode, args.cacheDir, log);
  const runtime = await createRuntime(args.backend, { numThreads: args.threads });
  // The merged graph first: its load-time copy (file bytes next to initializers, 2 × 1.4 GB) must
  // fit the 4 GiB WASM heap before the per-layer graphs take their 1.6 GB.
  const merged = await runtime.createSession(MERGED_FILE, new Uint8Array(readFileSync(join(bundle.dir, MERGED_FILE))));
  const model = await loadModel(nodeBundleFiles(bundle.dir), runtime, { verify: false });
  const conditioning = randomConditioning(mode.textTokens, model.manifest.config.textHiddenSize, mode.seed);
  log(`${runtime.description}: ${bundle.dir}`);

  const perLayer: number[] = [];
  const whole: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < args.repeat; i++) {
    const split = medianStep(await timeSteps(engineGeneration(model, conditioning, mode.frames, plainRows())));
    const one = medianStep(await timeSteps(mergedGeneration(model, merged, conditioning, mode.frames)));
    perLayer.push(split);
    whole.push(one);
    ratios.push(split / one);
    log(`  pair ${i + 1}: per-layer ${ms(split)}/step, merged ${ms(one)}/step, ratio ${(split / one).toFixed(3)}`);
  }
  console.log(`${runtime.description}, ${args.repeat} alternated pairs of ${mode.frames}-frame generations (median step time each):`);
  console.log(`  per-layer: ${summary(perLayer, ms)}`);
  console.log(`  merged:    ${summary(whole, ms)}`);
  console.log(`  ratio:     ${summary(ratios, (v) => v.toFixed(3))}`);
  await merged.release();
  await model.release();
}

main(parseArgs(process.argv.slice(2))).then(
  // onnxruntime-web's thread pool would keep the process alive.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
