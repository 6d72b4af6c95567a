/**
 * The implementation of EngineWorkerApi: owns the loaded MusicgenEngine and one AbortController
 * per running job. workers/engine.worker.ts exposes it over comlink; tests run it in Node over a
 * MessageChannel. Where bundles, runtimes and the WebGPU adapter come from is injected, since that
 * is what differs.
 */
import * as Comlink from 'comlink';
import type { BundleFiles } from '../bundle/bundleFiles';
import { checkBackendAgreement } from '../engine/backendCheck';
import { MusicgenEngine } from '../engine/engine';
import type { Runtime } from '../runtime/ort';
import type { WebGpuProbe } from '../runtime/webGpuAdapter';
import { loadOnPreferredBackend, type BackendChoice } from './backendChoice';
import { createInterventionsService } from './interventionsService';
import { memoryMeansStore, type MeansFileStore } from './meansStore';
import { responsiveRuntime } from './responsiveRuntime';
import { runDecoderLens, runTeacherForcedLens } from '../analysis/lens/run';
import { runLayerSimilarity } from '../analysis/similarity/run';
import type { BackendPreference, BrowserBackend, EngineWorkerApi, GenerateRequest, GenerateResponse, LensResponse, LoadProgressEvent, ModelInfo } from './workerApi';
import { messageOf } from '../errorMessage';

export interface EngineServiceDeps {
  openBundle(bundleUrl: string): BundleFiles;
  createRuntime(backend: BrowserBackend): Promise<Runtime>;
  /** Asks for a WebGPU adapter (ort.ts `probeWebGpu`); auto judges it before trying WebGPU. */
  probeWebGpu(): Promise<WebGpuProbe>;
  /** Opens where concept means persist (IndexedDB in the worker); default in memory. */
  openMeansStore?(): Promise<MeansFileStore>;
}

interface LoadedEngine {
  engine: MusicgenEngine;
  /** The runtime as created (the engine holds a responsive wrapper without the device watch). */
  runtime: Runtime;
  /** The WebGPU-vs-WASM agreement, when it was checked. */
  agreement?: string;
}

interface CurrentModel {
  loaded: LoadedEngine;
  files: BundleFiles;
  info: ModelInfo;
  /** Set once the WebGPU device reports loss. */
  lostReason?: string;
}

function describeModel(choice: BackendChoice<LoadedEngine>, preference: BackendPreference): ModelInfo {
  const { engine, runtime, agreement } = choice.value;
  const { manifest } = engine;
  return {
    name: manifest.name,
    numLayers: manifest.config.numLayers,
    sampleRate: manifest.config.sampleRate,
    samplesPerFrame: manifest.config.samplesPerFrame,
    notes: manifest.notes,
    dtype: manifest.dtype,
    backend: choice.backend,
    preference,
    backendDetail: agreement ? `${runtime.description}; ${agreement}` : runtime.description,
    ...(choice.adapter ? { adapter: choice.adapter } : {}),
    ...(runtime.threads !== undefined ? { wasmThreads: runtime.threads } : {}),
    ...(choice.fallbackReason ? { fallbackReason: choice.fallbackReason } : {}),
  };
}


function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

class DeviceLostError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'DeviceLostError';
  }
}

export function createEngineService(deps: EngineServiceDeps): EngineWorkerApi {
  let current: CurrentModel | null = null;
  /** A WebGPU → WASM reload in progress, shared by every job that hit the failure. */
  let fallingBack: Promise<CurrentModel> | null = null;
  const runningJobs = new Map<number, AbortController>();

  /**
   * Loads on one backend. In automatic mode WebGPU must first agree with WASM on the bundle's
   * first block (transformers.js#1308: WebGPU MusicGen has produced a hum); disagreement throws,
   * which makes the caller fall back to WASM with the numbers as the reason.
   */
  async function loadOn(files: BundleFiles, backend: BrowserBackend, checkAgainstWasm: boolean, onProgress?: (progress: LoadProgressEvent) => void): Promise<LoadedEngine> {
    const runtime = await deps.createRuntime(backend);
    // Responsive, so that cancel(jobId) reaches a running job.
    const loaded = await MusicgenEngine.load(files, responsiveRuntime(runtime), { onProgress: (progress) => onProgress?.({ ...progress }) });
    if (backend !== 'webgpu' || !checkAgainstWasm) return { engine: loaded, runtime };
    const agreement = await checkBackendAgreement(files, loaded.manifest, loaded.runtime, await deps.createRuntime('wasm'));
    if (!agreement.ok) {
      await loaded.release();
      throw new Error(`WebGPU disagrees with WASM: ${agreement.detail}`);
    }
    return { engine: loaded, runtime, agreement: agreement.detail };
  }

  function adopt(model: CurrentModel): CurrentModel {
    current = model;
    void model.loaded.runtime.deviceLost?.then((reason) => (model.lostReason = reason));
    return model;
  }

  /** Reloads the current bundle on WASM after WebGPU failed; the WebGPU engine is released. */
  function fallBackToWasm(failed: CurrentModel, reason: string): Promise<CurrentModel> {
    if (current && current !== failed && current.files === failed.files && current.info.backend === 'wasm') return Promise.resolve(current);
    fallingBack ??= (async () => {
      try {
        const loaded = await loadOn(failed.files, 'wasm', false);
        const info = describeModel({ value: loaded, backend: 'wasm', adapter: failed.info.adapter, fallbackReason: `WebGPU stopped during a run (${reason}); the lab reloaded the model on WASM and re-ran the job` }, failed.info.preference);
        await failed.loaded.engine.release().catch(() => {}); // a lost device may fail to release
        return adopt({ loaded, files: failed.files, info });
      } finally {
        fallingBack = null;
      }
    })();
    return fallingBack;
  }

  /** One generation on one model. */
  async function generateOn(model: CurrentModel, request: GenerateRequest, signal: AbortSignal, onProgress?: (progress: { step: number; steps: number }) => void): Promise<GenerateResponse> {
    const { engine } = model.loaded;
    const started = performance.now();
    const depths = request.depths?.length ? [...request.depths] : [engine.manifest.config.numLayers];
    const result = await engine.generate({
      prompts: [request.prompt],
      frames: request.frames,
      seed: request.seed,
      topK: request.topK,
      temperature: request.temperature,
      guidanceScale: request.guidanceScale,
      rows: depths.map((depth) => ({ prompt: 0, depth })),
      signal,
      onProgress: (progress) => onProgress?.({ ...progress }),
    });
    signal.throwIfAborted();
    const audio = await engine.decodeAudio(
      result.rows.map((row) => row.codes),
      result.frames,
    ); // per row [samplesPerFrame · frames]
    return {
      frames: result.frames,
      sampleRate: engine.manifest.config.sampleRate,
      clips: depths.map((depth, i) => ({ depth, samples: audio[i], codes: result.rows[i].codes })),
      elapsedMs: performance.now() - started,
      backend: model.info.backend,
    };
  }

  /** The work, unless the model's WebGPU device is lost first (a lost device may leave GPU promises pending forever). */
  function untilDeviceLost<T>(model: CurrentModel, work: Promise<T>): Promise<T> {
    const lost = model.loaded.runtime.deviceLost?.then((reason): never => {
      throw new DeviceLostError(reason);
    });
    return lost ? Promise.race([work, lost]) : work;
  }

  /**
   * Jobs run one at a time, in call order: onnxruntime-web must never run two session calls at
   * once (concurrent jobs corrupted its WASM memory: "memory access out of bounds"). A queued job
   * can be cancelled before it starts.
   */
  let jobQueue: Promise<unknown> = Promise.resolve();
  function oneAtATime<T>(job: () => Promise<T>): Promise<T> {
    const result = jobQueue.then(job, job);
    jobQueue = result.catch(() => {});
    return result;
  }

  /**
   * Runs one cancellable job (its AbortController registered under `jobId`) on the current model,
   * after the jobs before it. If WebGPU fails during the job (device lost, a session error), the
   * model is reloaded on WASM and the job runs again there: `backendChange` is then the model's new
   * description.
   */
  async function runJob<T>(jobId: number, run: (model: CurrentModel, signal: AbortSignal) => Promise<T>): Promise<{ value: T; backendChange?: ModelInfo }> {
    if (!current) throw new Error('no model is loaded yet');
    const controller = new AbortController();
    const { signal } = controller;
    runningJobs.set(jobId, controller);
    try {
      return await oneAtATime(async () => {
        signal.throwIfAborted();
        const model = current!;
        try {
          const value = await untilDeviceLost(model, run(model, signal));
          signal.throwIfAborted();
          return { value };
        } catch (error) {
          if (model.info.backend !== 'webgpu' || signal.aborted || isAbort(error)) throw error;
          const fallback = await fallBackToWasm(model, model.lostReason ?? messageOf(error));
          signal.throwIfAborted();
          const value = await run(fallback, signal);
          signal.throwIfAborted();
          return { value, backendChange: fallback.info };
        }
      });
    } finally {
      runningJobs.delete(jobId);
    }
  }

  const interventions = createInterventionsService({
    engine: () => current?.loaded.engine ?? null,
    openStore: deps.openMeansStore ?? (async () => memoryMeansStore()),
    runJob: (jobId, work) => runJob(jobId, (model, signal) => work(model.loaded.engine, signal)),
  });

  return {
    ...interventions,

    async load(request, onProgress) {
      const files = deps.openBundle(request.bundleUrl);
      // The previous model stays loaded until the new one is ready, so a failed load loses nothing.
      const choice = await loadOnPreferredBackend(request.backend, deps.probeWebGpu, (backend) => loadOn(files, backend, request.backend === 'auto', onProgress));
      const previous = current;
      const model = adopt({ loaded: choice.value, files, info: describeModel(choice, request.backend) });
      await previous?.loaded.engine.release();
      return model.info;
    },

    async generate(jobId, request, onProgress) {
      const { value, backendChange } = await runJob(jobId, (model, signal) => generateOn(model, request, signal, onProgress));
      const response: GenerateResponse = backendChange ? { ...value, backendChange } : value;
      // Rows may be views of one shared buffer; a transfer list must name each buffer once.
      const buffers = new Set<ArrayBufferLike>(response.clips.flatMap((clip) => [clip.samples.buffer, clip.codes.buffer]));
      return Comlink.transfer(response, [...buffers] as Transferable[]);
    },

    cancel(jobId) {
      runningJobs.get(jobId)?.abort();
    },

    async generateLens(jobId, request, onProgress) {
      const { value: response, backendChange } = await runJob(jobId, async ({ loaded: { engine: loaded }, info: { backend } }, signal) => {
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
          backend,
          measurements,
        };
        return response;
      });
      const { entropy, top1, agreement } = response.measurements;
      const buffers = new Set<ArrayBufferLike>([...response.clips.flatMap((clip) => [clip.samples.buffer, clip.codes.buffer]), entropy.buffer, top1.buffer, agreement.buffer]);
      return Comlink.transfer(backendChange ? { ...response, backendChange } : response, [...buffers] as Transferable[]);
    },

    async teacherForcedLens(jobId, request, onProgress) {
      const { value: lens, backendChange } = await runJob(jobId, async ({ loaded: { engine } }, signal) =>
        runTeacherForcedLens(engine, {
          conditioning: await engine.encodeText([request.prompt]),
          codes: request.codes,
          frames: request.frames,
          guidanceScale: request.guidanceScale,
          signal,
          onProgress: (progress) => onProgress?.({ ...progress }),
        }),
      );
      return Comlink.transfer(backendChange ? { ...lens, backendChange } : lens, [lens.kl.buffer, lens.agreement.buffer] as Transferable[]);
    },

    async layerSimilarity(jobId, request, onProgress) {
      const { value: similarity, backendChange } = await runJob(jobId, ({ loaded: { engine } }, signal) =>
        runLayerSimilarity(engine, { ...request, signal, onProgress: (progress) => onProgress?.({ ...progress }) }),
      );
      return Comlink.transfer(backendChange ? { ...similarity, backendChange } : similarity, [similarity.distances.buffer] as Transferable[]);
    },
  };
}
