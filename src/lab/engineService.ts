/**
 * The implementation of EngineWorkerApi: owns the loaded MusicgenEngine and one AbortController
 * per running job. workers/engine.worker.ts exposes it over comlink; tests run it in Node over a
 * MessageChannel. Where bundles and runtimes come from is injected, since that is what differs.
 */
import * as Comlink from 'comlink';
import type { BundleFiles } from '../bundle/bundleFiles';
import { checkBackendAgreement } from '../engine/backendCheck';
import { MusicgenEngine } from '../engine/engine';
import type { Runtime } from '../runtime/ort';
import { loadOnPreferredBackend } from './backendChoice';
import { createInterventionsService } from './interventionsService';
import { memoryMeansStore, type MeansStore } from './meansStore';
import { responsiveRuntime } from './responsiveRuntime';
import { runDecoderLens, runTeacherForcedLens } from '../analysis/lens/run';
import { runLayerSimilarity } from '../analysis/similarity/run';
import type { BrowserBackend, EngineWorkerApi, GenerateResponse, LensResponse, ModelInfo } from './workerApi';

export interface EngineServiceDeps {
  openBundle(bundleUrl: string): BundleFiles;
  createRuntime(backend: BrowserBackend): Promise<Runtime>;
  /** Where concept means persist (IndexedDB in the worker); default in memory. */
  meansStore?: MeansStore;
}

interface LoadedEngine {
  engine: MusicgenEngine;
  /** The WebGPU-vs-WASM agreement, when it was checked. */
  agreement?: string;
}

function describeModel({ engine, agreement }: LoadedEngine, backend: BrowserBackend, fallbackReason?: string): ModelInfo {
  const { manifest, runtime } = engine;
  return {
    name: manifest.name,
    numLayers: manifest.config.numLayers,
    sampleRate: manifest.config.sampleRate,
    samplesPerFrame: manifest.config.samplesPerFrame,
    notes: manifest.notes,
    backend,
    backendDetail: agreement ? `${runtime.description}; ${agreement}` : runtime.description,
    fallbackReason,
  };
}

export function createEngineService(deps: EngineServiceDeps): EngineWorkerApi {
  let engine: MusicgenEngine | null = null;
  const runningJobs = new Map<number, AbortController>();

  /**
   * Loads on one backend. In automatic mode WebGPU must first agree with WASM on the bundle's
   * first block (transformers.js#1308: WebGPU MusicGen has produced a hum); disagreement throws,
   * which makes the caller fall back to WASM with the numbers as the reason.
   */
  async function loadOn(files: BundleFiles, backend: BrowserBackend, checkAgainstWasm: boolean, onProgress: Parameters<EngineWorkerApi['load']>[1]): Promise<LoadedEngine> {
    // Responsive, so that cancel(jobId) reaches a running job.
    const runtime = responsiveRuntime(await deps.createRuntime(backend));
    const loaded = await MusicgenEngine.load(files, runtime, { onProgress: (progress) => onProgress?.({ ...progress }) });
    if (backend !== 'webgpu' || !checkAgainstWasm) return { engine: loaded };
    const agreement = await checkBackendAgreement(files, loaded.manifest, runtime, await deps.createRuntime('wasm'));
    if (!agreement.ok) {
      await loaded.release();
      throw new Error(`WebGPU disagrees with WASM: ${agreement.detail}`);
    }
    return { engine: loaded, agreement: agreement.detail };
  }

  /** Runs one cancellable job on the loaded engine: registers its AbortController under `jobId`. */
  async function withJob<T>(jobId: number, run: (loaded: MusicgenEngine, signal: AbortSignal) => Promise<T>): Promise<T> {
    if (!engine) throw new Error('no model is loaded yet');
    const controller = new AbortController();
    runningJobs.set(jobId, controller);
    try {
      const result = await run(engine, controller.signal);
      controller.signal.throwIfAborted();
      return result;
    } finally {
      runningJobs.delete(jobId);
    }
  }

  const interventions = createInterventionsService({
    engine: () => engine,
    store: deps.meansStore ?? memoryMeansStore(),
    track(jobId, controller) {
      runningJobs.set(jobId, controller);
      return () => runningJobs.delete(jobId);
    },
  });

  return {
    ...interventions,

    async load(request, onProgress) {
      await engine?.release();
      engine = null;
      const files = deps.openBundle(request.bundleUrl);
      const choice = await loadOnPreferredBackend(request.backend, (backend) => loadOn(files, backend, request.backend === 'auto', onProgress));
      engine = choice.value.engine;
      return describeModel(choice.value, choice.backend, choice.fallbackReason);
    },

    async generate(jobId, request, onProgress) {
      if (!engine) throw new Error('no model is loaded yet');
      const loaded = engine;
      const controller = new AbortController();
      runningJobs.set(jobId, controller);
      const started = performance.now();
      try {
        const depths = request.depths?.length ? [...request.depths] : [loaded.manifest.config.numLayers];
        const result = await loaded.generate({
          prompts: [request.prompt],
          frames: request.frames,
          seed: request.seed,
          topK: request.topK,
          temperature: request.temperature,
          guidanceScale: request.guidanceScale,
          rows: depths.map((depth) => ({ prompt: 0, depth })),
          signal: controller.signal,
          onProgress: (progress) => onProgress?.({ ...progress }),
        });
        controller.signal.throwIfAborted();
        const audio = await loaded.decodeAudio(
          result.rows.map((row) => row.codes),
          result.frames,
        ); // per row [samplesPerFrame · frames]
        const response: GenerateResponse = {
          frames: result.frames,
          sampleRate: loaded.manifest.config.sampleRate,
          clips: depths.map((depth, i) => ({ depth, samples: audio[i], codes: result.rows[i].codes })),
          elapsedMs: performance.now() - started,
        };
        // Rows may be views of one shared buffer; a transfer list must name each buffer once.
        const buffers = new Set<ArrayBufferLike>(response.clips.flatMap((clip) => [clip.samples.buffer, clip.codes.buffer]));
        return Comlink.transfer(response, [...buffers] as Transferable[]);
      } finally {
        runningJobs.delete(jobId);
      }
    },

    cancel(jobId) {
      runningJobs.get(jobId)?.abort();
    },

    generateLens(jobId, request, onProgress) {
      return withJob(jobId, async (loaded, signal) => {
        const started = performance.now();
        const { measurements, result } = await runDecoderLens(loaded, {
          conditioning: await loaded.encodeText([request.prompt]),
          depths: request.depths ?? [],
          frames: request.frames,
          seed: request.seed,
          topK: request.topK,
          temperature: request.temperature,
          guidanceScale: request.guidanceScale,
          signal,
          onProgress: (progress) => onProgress?.({ ...progress }),
        });
        signal.throwIfAborted();
        const audio = await loaded.decodeAudio(result.rows.map((row) => row.codes), result.frames); // per depth [samplesPerFrame · frames]
        const response: LensResponse = {
          frames: result.frames,
          sampleRate: loaded.manifest.config.sampleRate,
          clips: measurements.depths.map((depth, i) => ({ depth, samples: audio[i], codes: result.rows[i].codes })),
          elapsedMs: performance.now() - started,
          measurements,
        };
        const { entropy, top1, agreement } = measurements;
        const buffers = new Set<ArrayBufferLike>([...response.clips.flatMap((clip) => [clip.samples.buffer, clip.codes.buffer]), entropy.buffer, top1.buffer, agreement.buffer]);
        return Comlink.transfer(response, [...buffers] as Transferable[]);
      });
    },

    teacherForcedLens(jobId, request, onProgress) {
      return withJob(jobId, async (loaded, signal) => {
        const lens = await runTeacherForcedLens(loaded, {
          conditioning: await loaded.encodeText([request.prompt]),
          codes: request.codes,
          frames: request.frames,
          guidanceScale: request.guidanceScale,
          signal,
          onProgress: (progress) => onProgress?.({ ...progress }),
        });
        return Comlink.transfer(lens, [lens.kl.buffer, lens.agreement.buffer] as Transferable[]);
      });
    },

    layerSimilarity(jobId, request, onProgress) {
      return withJob(jobId, async (loaded, signal) => {
        const similarity = await runLayerSimilarity(loaded, { ...request, signal, onProgress: (progress) => onProgress?.({ ...progress }) });
        return Comlink.transfer(similarity, [similarity.distances.buffer] as Transferable[]);
      });
    },
  };
}
