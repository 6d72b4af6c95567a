/**
 * One runner: a variant loaded on one runtime, in its own process (Node) or worker (Chromium),
 * answering the bench's requests one at a time: a full plain generation, then timed blocks of the
 * first steps of a workload. The same code serves scripts/bench/nodeRunner.ts and the browser
 * harness's worker.
 */
import { generationRowBytes, rowsPerChunk } from '../analysis/interventions/rowMemory';
import { DEFAULT_MEMORY_BUDGET } from '../analysis/means/run';
import type { BundleFiles } from '../bundle/bundleFiles';
import { decoderSteps } from '../engine/delayPattern';
import { loadModel, type LoadedModel } from '../engine/loadedModel';
import type { Runtime } from '../runtime/ort';
import { loadBlocklessModel } from './mergedModel';
import type { Workload } from './plan';
import type { Block } from './results';
import { sumTimings, timeSteps, type StepTiming } from './timing';
import { VARIANTS, type VariantKey } from './variants';
import { engineGeneration, fusedGeneration, lensRows, mergedGeneration, plainRows, randomConditioning, sweepChunks, sweepRows } from './workloads';

export const MERGED_FILE = 'merged_decoder.onnx';
export const FUSED_FILE = 'fused_blocks_head.onnx';

export interface RunnerJob {
  variant: VariantKey;
  threads: number;
  frames: number;
  textTokens: number;
  seed: number;
}

export interface OpenedRunner {
  description: string;
  loadSeconds: number;
  weightsBytes: number;
  /** One full plain generation. */
  generation(): Promise<StepTiming>;
  /** The first `steps` steps of `workload`. */
  block(workload: Workload, steps: number): Promise<Block>;
  release(): Promise<void>;
}

/** A whole per-layer bundle and the bytes of its decoder graphs. */
async function loadBundle(bundle: BundleFiles, runtime: Runtime): Promise<{ model: LoadedModel; bytes: number }> {
  // The bundle was written by this benchmark: skip the sha256 of every file.
  const model = await loadModel(bundle, runtime, { verify: false });
  const { embed, blocks, crossKv, head } = model.manifest.graphs;
  return { model, bytes: [embed, ...blocks, ...crossKv.map((g) => g.file), head].reduce((sum, entry) => sum + entry.bytes, 0) };
}

/** The one-graph variants' file in their own folder. */
function graphFile(layout: 'merged' | 'fused'): string {
  return layout === 'merged' ? MERGED_FILE : FUSED_FILE;
}

/**
 * `bundle`: a per-layer bundle (the variant's own, or fp32's for a merged or fused variant, whose
 * embed and cross_kv graphs it uses); `graphs`: the folder holding a merged or fused variant's graph.
 */
export async function openRunner(job: RunnerJob, runtime: Runtime, bundle: BundleFiles, graphs?: BundleFiles): Promise<OpenedRunner> {
  const variant = VARIANTS[job.variant];
  const started = performance.now();
  if (variant.layout !== 'per-layer') {
    if (!graphs) throw new Error(`${variant.label}: no ${variant.layout} graph given`);
    // Only the last block fused: the blocks before it run through the bundle's block graphs.
    const withBlocks = variant.layout === 'fused' && variant.fused === 'last';
    const { model, bytes } = withBlocks ? await loadBundle(bundle, runtime) : await loadBlocklessModel(bundle, runtime);
    const file = graphFile(variant.layout);
    const graph = await graphs.read(file);
    const session = await runtime.createSession(file, graph);
    const conditioning = randomConditioning(job.textTokens, model.manifest.config.textHiddenSize, job.seed);
    const fused = { session, from: withBlocks ? model.manifest.config.numLayers - 1 : 0 };
    const generation = () => (variant.layout === 'merged' ? mergedGeneration(model, session, conditioning, job.frames) : fusedGeneration(model, conditioning, job.frames, fused));
    const plain = (steps?: number) => timeSteps(generation(), steps);
    return {
      description: runtime.description,
      loadSeconds: (performance.now() - started) / 1000,
      weightsBytes: bytes + graph.byteLength,
      generation: () => plain(),
      async block(workload, steps) {
        // The same loop without the fused graph: every block and the head as separate calls.
        if (workload === 'plainUnfused' && withBlocks) return { workload, timing: await timeSteps(fusedGeneration(model, conditioning, job.frames, null), steps) };
        if (workload !== 'plain') throw new Error(`${variant.label} runs plain generations only, not ${workload}`);
        return { workload, timing: await plain(steps) };
      },
      async release() {
        await session.release();
        await model.release();
      },
    };
  }

  const { model, bytes: weightsBytes } = await loadBundle(bundle, runtime);
  const { manifest } = model;
  if (manifest.dtype !== variant.dtype) throw new Error(`${bundle.name} holds ${manifest.dtype} weights, not ${variant.dtype}`);
  const { numLayers: L, hiddenSize: d, textHiddenSize, numCodebooks: K } = manifest.config;
  const conditioning = randomConditioning(job.textTokens, textHiddenSize, job.seed);
  const run = (rows: ReturnType<typeof plainRows>, steps?: number) => timeSteps(engineGeneration(model, conditioning, job.frames, rows), steps);
  // The chunks a 1 GiB budget gives the sweep runner for this clip length.
  const perChunk = rowsPerChunk(generationRowBytes(manifest.config, decoderSteps(job.frames, K)), DEFAULT_MEMORY_BUDGET);
  return {
    description: runtime.description,
    loadSeconds: (performance.now() - started) / 1000,
    weightsBytes,
    generation: () => run(plainRows()),
    async block(workload, steps) {
      if (workload === 'plain') return { workload, timing: await run(plainRows(), steps) };
      if (workload === 'lens') return { workload, timing: await run(lensRows(L), steps) };
      if (workload === 'sweep') return { workload, timing: await run(sweepRows(L, d, job.seed), steps) };
      if (workload !== 'sweepChunked') throw new Error(`${variant.label} does not run ${workload}`);
      const chunks: StepTiming[] = [];
      for (const rows of sweepChunks(sweepRows(L, d, job.seed), perChunk)) chunks.push(await run(rows, steps));
      return { workload, timing: sumTimings(chunks), chunks };
    },
    release: () => model.release(),
  };
}
