/**
 * One profiled workload in its own process (its memory is its own), started by
 * scripts/bench/profile.ts:   node --import tsx scripts/bench/profileRun.ts <job.json>
 * Loads a bench bundle with onnxruntime's profiler on, runs the first steps of one workload, then
 * closes every session's profile: onnxruntime-node writes one JSON file per session; the WASM build
 * prints its events to stdout, each session's after a `SESSION_MARKER <name>` line. The timings and
 * memory go to job.out as JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { trackWasmMemory, wasmHeapBytes } from '../../src/bench/wasmHeap';
import { engineGeneration, lensRows, plainRows, randomConditioning, sweepRows } from '../../src/bench/workloads';
import { timeSteps } from '../../src/bench/timing';
import { nodeBundleFiles } from '../../src/bundle/nodeBundleFiles';
import { loadModel } from '../../src/engine/loadedModel';
import { createRuntime, type Runtime, type Session } from '../../src/runtime/ort';
import type { ProfileJob, ProfileRunResult, SessionMemory } from '../../src/bench/profile/job';
import { SESSION_MARKER } from '../../src/bench/profile/events';
import { peakRssBytes } from './processMemory';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as ProfileJob;
if (job.backend === 'wasm') trackWasmMemory(); // before onnxruntime-web creates its memory
const rss = () => process.memoryUsage().rss;
const rssAtStart = rss();

const base = await createRuntime(job.backend, { numThreads: job.threads, ...(job.profileDir ? { profiling: { filePrefix: `${job.profileDir}/` } } : {}) });
const rssWithRuntime = rss();
const sessions: Session[] = [];
const memory: SessionMemory[] = [];
// Records every session and the memory after its creation: weights bytes against heap/RSS growth.
const runtime: Runtime = {
  ...base,
  async createSession(name, model, options) {
    const session = await base.createSession(name, model, options);
    sessions.push(session);
    memory.push({ name, modelBytes: model.byteLength, rssBytes: rss(), wasmHeapBytes: wasmHeapBytes() });
    return session;
  },
};

const model = await loadModel(nodeBundleFiles(job.bundleDir), runtime, { verify: false });
const { numLayers: L, hiddenSize: d, textHiddenSize } = model.manifest.config;
const rows = job.workload === 'plain' ? plainRows() : job.workload === 'lens' ? lensRows(L) : sweepRows(L, d, job.seed);
const conditioning = randomConditioning(job.textTokens, textHiddenSize, job.seed);
const timing = await timeSteps(engineGeneration(model, conditioning, job.frames, rows), job.steps);
const result: ProfileRunResult = {
  description: base.description,
  dtype: model.manifest.dtype,
  batchRows: 2 * rows.length,
  stepSeconds: timing.stepSeconds,
  rssAtStartBytes: rssAtStart,
  rssWithRuntimeBytes: rssWithRuntime,
  sessions: memory,
  peakRssBytes: peakRssBytes(),
  wasmHeapBytes: wasmHeapBytes(),
};
writeFileSync(job.out, JSON.stringify(result));
// One after another, so that the WASM build's printed profiles do not interleave.
for (const [i, session] of sessions.entries()) {
  process.stdout.write(`${SESSION_MARKER} ${memory[i].name}\n`);
  await session.release();
}
process.stdout.write('', () => process.exit(0)); // onnxruntime-web's thread pool would keep the process alive
