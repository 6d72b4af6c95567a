/**
 * What shipping the fused graph beside the per-layer graphs would cost in memory: onnxruntime
 * sessions do not share initializers, so one process holding the fp32 bundle's sessions (needed
 * for hooks) and the fused graph (every block + the head, for hook-free runs) holds the weights
 * twice. Loads both in THIS process, one after the other, runs a few steps through each, and
 * prints resident memory (and onnxruntime-web's wasm heap) after each stage, or where it failed.
 * `--rounds N` then times, in this one process (same weights in memory, no process-to-process
 * difference), whole generations through the engine, through the bench's loop of per-layer session
 * calls and through the fused graph, in rotated order, and prints each pair's ratio (median, min–max).
 *
 *   MALLOC_MMAP_THRESHOLD_=1048576 npx tsx scripts/bench/fusedMemory.ts --backend node|wasm [--steps 8] [--rounds N] [--smoke]
 *
 * Uses the bench's cached variants (scripts/bench/bundles.ts builds the missing ones).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchMode } from '../../src/bench/configs';
import { FUSED_FILE } from '../../src/bench/runner';
import { spread } from '../../src/bench/stats';
import { medianStepSeconds, timeSteps } from '../../src/bench/timing';
import { trackWasmMemory, wasmHeapBytes } from '../../src/bench/wasmHeap';
import { engineGeneration, fusedGeneration, plainRows, randomConditioning } from '../../src/bench/workloads';
import { nodeBundleFiles } from '../../src/bundle/nodeBundleFiles';
import { loadModel, type LoadedModel } from '../../src/engine/loadedModel';
import { createRuntime, type Session } from '../../src/runtime/ort';
import type { TextConditioning } from '../../src/text/conditioning';
import { ensureVariants } from './bundles';
import { processStatusBytes } from './processMemory';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const backendOption = option('--backend') ?? 'node';
if (backendOption !== 'node' && backendOption !== 'wasm') throw new Error('--backend node|wasm');
const backend: 'node' | 'wasm' = backendOption;
const steps = Number(option('--steps') ?? 8);
const rounds = Number(option('--rounds') ?? 0);
const mode = benchMode(argv.includes('--smoke'));

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
function report(stage: string): void {
  const heap = backend === 'wasm' ? `, wasm heap ${gib(wasmHeapBytes())}` : '';
  console.log(`${stage}: RSS ${gib(processStatusBytes('VmRSS'))}, peak RSS ${gib(processStatusBytes('VmHWM'))}${heap}`);
}

async function main(): Promise<void> {
  if (backend === 'wasm') trackWasmMemory();
  const builds = await ensureVariants(mode, join(ROOT, '.cache', 'bench'), ['fp32', 'fp32-fused'], ROOT, [], (line) => console.error(line));
  const dir = (variant: 'fp32' | 'fp32-fused') => {
    const build = builds.get(variant);
    if (build?.status !== 'ok') throw new Error(`${variant} did not build: ${build?.status === 'failed' ? build.reason : 'missing'}`);
    return build.dir;
  };
  console.log(`${mode.name}, ${backend}, ${steps} steps per generation; ${new Date().toISOString()}`);
  const runtime = await createRuntime(backend, { numThreads: 2 });
  report('runtime created');
  const model = await loadModel(nodeBundleFiles(dir('fp32')), runtime, { verify: false });
  const conditioning = randomConditioning(mode.textTokens, model.manifest.config.textHiddenSize, mode.seed);
  report('fp32 per-layer bundle loaded');
  const perLayer = await timeSteps(engineGeneration(model, conditioning, mode.frames, plainRows()), steps);
  report(`per-layer generation (${perLayer.steps} steps)`);
  try {
    const fused = await runtime.createSession(FUSED_FILE, await nodeBundleFiles(dir('fp32-fused')).read(FUSED_FILE));
    report('+ fused graph loaded (every block + head)');
    const timing = await timeSteps(fusedGeneration(model, conditioning, mode.frames, { session: fused, from: 0 }), steps);
    report(`fused generation (${timing.steps} steps)`);
    if (rounds > 0) await timeInOneProcess(model, conditioning, fused);
    await fused.release();
  } catch (error) {
    console.log(`fused graph beside the per-layer sessions: FAILED: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    report('after the failure');
  }
  await model.release();
}

/** Whole generations, rotated order per round; ratios of median step times, as the bench computes them. */
async function timeInOneProcess(model: LoadedModel, conditioning: TextConditioning, fused: Session): Promise<void> {
  const sides = {
    engine: () => engineGeneration(model, conditioning, mode.frames, plainRows()),
    loop: () => fusedGeneration(model, conditioning, mode.frames, null),
    fused: () => fusedGeneration(model, conditioning, mode.frames, { session: fused, from: 0 }),
  };
  const names = Object.keys(sides) as (keyof typeof sides)[];
  const seconds: Record<keyof typeof sides, number[]> = { engine: [], loop: [], fused: [] };
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) seconds[name].push(medianStepSeconds(await timeSteps(sides[name]())));
    console.log(`round ${round + 1} (${order.join(', ')}): ${names.map((n) => `${n} ${(seconds[n][round] * 1000).toFixed(1)} ms`).join(', ')}`);
  }
  const ratio = (a: keyof typeof sides, b: keyof typeof sides) => {
    const r = spread(seconds[a].map((v, i) => v / seconds[b][i]));
    console.log(`${a} ÷ ${b} (time/step): ${r.median.toFixed(2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)}), each [${r.values.map((v) => v.toFixed(2)).join(', ')}]`);
  };
  ratio('loop', 'fused');
  ratio('engine', 'fused');
  ratio('engine', 'loop');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
