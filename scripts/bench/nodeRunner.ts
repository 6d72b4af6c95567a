/**
 * One backend's measurements in its own Node process (so its peak RSS is its own):
 *   node scripts/bench/nodeRunner.ts <job.json>   (started by scripts/bench.ts through tsx)
 * Writes a BackendRun as JSON to job.out.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeBundleFiles } from '../../src/bundle/nodeBundleFiles';
import { trackWasmMemory, wasmHeapBytes } from '../../src/bench/wasmHeap';
import type { BackendRun } from '../../src/bench/results';
import { timeSteps } from '../../src/bench/timing';
import { engineGeneration, lensRows, mergedGeneration, plainRows, randomConditioning, sweepChunks, sweepRows } from '../../src/bench/workloads';
import type { StepTiming } from '../../src/bench/timing';
import { generationRowBytes, rowsPerChunk } from '../../src/analysis/interventions/rowMemory';
import { DEFAULT_MEMORY_BUDGET } from '../../src/analysis/means/run';
import { decoderSteps } from '../../src/engine/delayPattern';
import { loadModel } from '../../src/engine/loadedModel';
import { createRuntime } from '../../src/runtime/ort';
import { MERGED_FILE } from './buildBundle';

export interface NodeJob {
  bundleDir: string;
  backend: 'node' | 'wasm';
  threads: number;
  frames: number;
  heavySteps: number;
  textTokens: number;
  seed: number;
  merged: boolean; // also time merged_decoder.onnx
  heavy: boolean; // also time the lens and the sweep
  out: string;
}

const log = (line: string) => process.stderr.write(`  [${process.argv[3] ?? 'runner'}] ${line}\n`);

async function main(job: NodeJob): Promise<BackendRun> {
  if (job.backend === 'wasm') trackWasmMemory();
  const runtime = await createRuntime(job.backend, { numThreads: job.threads });
  const loadStarted = performance.now();
  // The bundle was written by this benchmark a moment ago: skip the sha256 of 1.6 GB.
  const model = await loadModel(nodeBundleFiles(job.bundleDir), runtime, { verify: false });
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const { numLayers: L, hiddenSize: d, textHiddenSize } = model.manifest.config;
  const rssAfterLoadBytes = process.memoryUsage().rss;
  const peakAfterLoadBytes = process.resourceUsage().maxRSS * 1024;
  log(`${runtime.description}: loaded in ${loadSeconds.toFixed(1)} s (RSS ${(rssAfterLoadBytes / 2 ** 30).toFixed(2)} GiB, peak so far ${(peakAfterLoadBytes / 2 ** 30).toFixed(2)} GiB)`);
  const conditioning = randomConditioning(job.textTokens, textHiddenSize, job.seed);
  const run = (rows: ReturnType<typeof plainRows>, maxSteps?: number) => timeSteps(engineGeneration(model, conditioning, job.frames, rows), maxSteps);

  const plain = await run(plainRows());
  const result: BackendRun = { description: runtime.description, loadSeconds, plain, rssAfterLoadBytes };
  // Peaks after the plain generation: the memory figure is that of a user's generation.
  result.peakRssBytes = process.resourceUsage().maxRSS * 1024;
  if (job.backend === 'wasm') result.wasmHeapBytes = wasmHeapBytes();
  log(`plain: ${plain.steps} steps`);
  if (job.merged) {
    // The price of the split: the same generation, alternating per-layer and merged runs
    // (per-layer, merged, per-layer, merged) so that the machine's drift reaches both sides.
    const merged = await runtime.createSession(MERGED_FILE, new Uint8Array(readFileSync(join(job.bundleDir, MERGED_FILE))));
    const timeMerged = () => timeSteps(mergedGeneration(model, merged, conditioning, job.frames));
    const first = await timeMerged();
    const perLayerBetween = await run(plainRows());
    result.merged = { first, perLayerBetween, second: await timeMerged() };
    log(`merged: 2 × ${first.steps} steps, alternated with the per-layer engine`);
    await merged.release();
  }

  if (job.heavy) {
    // Each batched run next to a plain run of the same steps, so both sides see the same machine state.
    const lensPlain = await run(plainRows(), job.heavySteps);
    const lens = await run(lensRows(L), job.heavySteps);
    result.lens = { batched: lens, plain: lensPlain, plainAfter: await run(plainRows(), job.heavySteps) };
    log(`lens: ${lens.steps} steps`);
    const sweepPlain = await run(plainRows(), job.heavySteps);
    const sweep = await run(sweepRows(L, d, job.seed), job.heavySteps);
    result.sweep = { batched: sweep, plain: sweepPlain, plainAfter: await run(plainRows(), job.heavySteps) };
    log(`sweep: ${sweep.steps} steps`);
    // The same rows in the chunks a 1 GiB budget gives the sweep runner, one chunk after another.
    const perChunk = rowsPerChunk(generationRowBytes(model.manifest.config, decoderSteps(job.frames, model.manifest.config.numCodebooks)), DEFAULT_MEMORY_BUDGET);
    const chunks: StepTiming[] = [];
    for (const rows of sweepChunks(sweepRows(L, d, job.seed), perChunk)) chunks.push(await run(rows, job.heavySteps));
    result.sweep.chunks = chunks;
    log(`sweep in ${chunks.length} chunks: ${chunks[0].steps} steps each`);
  }
  await model.release();
  return result;
}

const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as NodeJob;
main(job).then(
  (result) => {
    writeFileSync(job.out, JSON.stringify(result));
    process.exit(0); // onnxruntime-web's thread pool would keep the process alive
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
