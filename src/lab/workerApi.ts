/**
 * The typed bridge between the UI and the engine worker (workers/engine.worker.ts). The UI never
 * imports onnxruntime or the engine: it calls this API through comlink. Functions (progress
 * callbacks) cross as comlink proxies, AbortSignals cannot cross at all, so cancellation is a job
 * id plus `cancel(jobId)`; audio comes back as transferred buffers.
 */
import * as Comlink from 'comlink';
import { InterventionsClient, type InterventionsWorkerApi } from './interventionsApi';
import type { GpuAdapterSummary } from '../runtime/webGpuAdapter';
import type { WeightDtype } from '../bundle/manifest';

export type { GpuAdapterSummary };
import type { LensMeasurements, TeacherForcedLens } from '../analysis/lens/kernel';
import type { LayerSimilarity } from '../analysis/similarity/run';

export type { LensMeasurements, TeacherForcedLens, LayerSimilarity };

export type BrowserBackend = 'webgpu' | 'wasm';
/** `auto`: WebGPU on a real GPU adapter, else multi-threaded WASM (src/lab/backendChoice.ts). */
export type BackendPreference = 'auto' | BrowserBackend;

export interface LoadRequest {
  /** Folder URL of a lab bundle (holds manifest.json), e.g. `/models/tiny/`. */
  bundleUrl: string;
  backend: BackendPreference;
}

export interface LoadProgressEvent {
  done: number; // files finished
  total: number;
  label: string; // file being read
}

export interface ModelInfo {
  name: string;
  numLayers: number;
  sampleRate: number;
  samplesPerFrame: number;
  notes?: string;
  /** The manifest's weight dtype: q8/q4 mean every figure is computed on quantised weights (always set by the worker). */
  dtype?: WeightDtype;
  backend: BrowserBackend;
  /** What was asked for (the `?backend=` choice). */
  preference: BackendPreference;
  /** The runtime's own description (threads, adapter), plus the WebGPU-vs-WASM check when run. */
  backendDetail: string;
  /** The WebGPU adapter: the one in use, or the one auto passed over. */
  adapter?: GpuAdapterSummary;
  /** WASM threads, when on WASM. */
  wasmThreads?: number;
  /** Why WebGPU was not used (or stopped being used), when the lab is on WASM. */
  fallbackReason?: string;
}

export interface GenerateRequest {
  prompt: string;
  frames: number; // EnCodec frames: 50 per second
  seed: number;
  topK: number;
  temperature: number;
  guidanceScale: number;
  /** DecoderLens depths (1..numLayers), one generated row per depth; omitted = the full model only. */
  depths?: readonly number[];
}

export interface GenerateProgressEvent {
  step: number;
  steps: number;
}

export interface GeneratedClip {
  depth: number; // decoder blocks used
  samples: Float32Array; // [samplesPerFrame · frames] mono audio at `sampleRate`
  codes: Int32Array; // [K, frames] row-major
}

export interface GenerateResponse {
  frames: number;
  sampleRate: number;
  clips: GeneratedClip[]; // in the order of the requested depths
  elapsedMs: number;
  /** The backend that produced the clips. */
  backend: BrowserBackend;
  /**
   * Set when the WebGPU device was lost (or its session failed) during this job: the model was
   * reloaded on WASM and the job re-run there; this is the model's new description.
   */
  backendChange?: ModelInfo;
}

/**
 * A job's result with `backendChange` set when the WebGPU device was lost (or its session failed)
 * during the job: the model was reloaded on WASM and the job re-run there (see GenerateResponse).
 */
export type WithBackendChange<T> = T & { backendChange?: ModelInfo };

/** A DecoderLens run: one clip per depth (the chosen ones plus the full model, ascending) and what was measured on the way. */
export interface LensResponse extends GenerateResponse {
  measurements: LensMeasurements; // rows = clips' depths
}

export interface TeacherForcedLensRequest {
  prompt: string;
  codes: Int32Array; // [K, frames]: the full model's own codes
  frames: number;
  guidanceScale: number;
}

/** The study's layer self-similarity over a list of prompts, each generated with these settings. */
export interface LayerSimilarityRequest extends Omit<GenerateRequest, 'prompt' | 'depths'> {
  prompts: readonly string[];
}

/** What the worker exposes. Every method is async on the UI side (comlink). */
export interface EngineWorkerApi extends InterventionsWorkerApi {
  /** Loads a bundle. On failure the model loaded before (if any) stays loaded and usable. */
  load(request: LoadRequest, onProgress?: (progress: LoadProgressEvent) => void): Promise<ModelInfo>;
  generate(jobId: number, request: GenerateRequest, onProgress?: (progress: GenerateProgressEvent) => void): Promise<GenerateResponse>;
  /** Aborts the job's AbortController inside the worker; unknown or finished ids are ignored. */
  cancel(jobId: number): void;
  /** DecoderLens over `request.depths` (the full model is always added) with streamed measurements. */
  generateLens(jobId: number, request: GenerateRequest, onProgress?: (progress: GenerateProgressEvent) => void): Promise<LensResponse>;
  /** The teacher-forced lens of every depth over given codes; progress counts depths. */
  teacherForcedLens(jobId: number, request: TeacherForcedLensRequest, onProgress?: (progress: GenerateProgressEvent) => void): Promise<WithBackendChange<TeacherForcedLens>>;
  /** Layer self-similarity averaged over prompts; progress counts decoder steps over all batches. */
  layerSimilarity(jobId: number, request: LayerSimilarityRequest, onProgress?: (progress: GenerateProgressEvent) => void): Promise<WithBackendChange<LayerSimilarity>>;
}

/** The error a cancelled job rejects with, by name: comlink keeps an error's name, not its class. */
export function isCancellation(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

export interface RunningJob<T> {
  jobId: number;
  result: Promise<T>;
  cancel(): void;
}

/** The UI-side handle: one worker (or any comlink endpoint), typed calls, job ids for cancellation. */
export class EngineWorkerClient {
  private readonly remote: Comlink.Remote<EngineWorkerApi>;
  private nextJobId = 1;

  constructor(
    endpoint: Comlink.Endpoint,
    private readonly closeEndpoint: () => void = () => {},
  ) {
    this.remote = Comlink.wrap<EngineWorkerApi>(endpoint);
    this.interventions = new InterventionsClient(this.remote, () => this.nextJobId++);
  }

  /** Means, sweeps and single interventions (src/lab/interventionsApi.ts), sharing this client's job ids. */
  readonly interventions: InterventionsClient;

  /** Starts the lab's engine worker (Vite bundles it as an ES module worker). */
  static start(): EngineWorkerClient {
    const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'musicgen-engine' });
    return new EngineWorkerClient(worker, () => worker.terminate());
  }

  load(request: LoadRequest, onProgress?: (progress: LoadProgressEvent) => void): Promise<ModelInfo> {
    return this.remote.load(request, onProgress ? Comlink.proxy(onProgress) : undefined);
  }

  generate(request: GenerateRequest, onProgress?: (progress: GenerateProgressEvent) => void): RunningJob<GenerateResponse> {
    const jobId = this.nextJobId++;
    const result = this.remote.generate(jobId, request, onProgress ? Comlink.proxy(onProgress) : undefined);
    return { jobId, result, cancel: () => void this.remote.cancel(jobId) };
  }

  generateLens(request: GenerateRequest, onProgress?: (progress: GenerateProgressEvent) => void): RunningJob<LensResponse> {
    return this.startJob((jobId, progress) => this.remote.generateLens(jobId, request, progress), onProgress);
  }

  teacherForcedLens(request: TeacherForcedLensRequest, onProgress?: (progress: GenerateProgressEvent) => void): RunningJob<WithBackendChange<TeacherForcedLens>> {
    return this.startJob((jobId, progress) => this.remote.teacherForcedLens(jobId, request, progress), onProgress);
  }

  layerSimilarity(request: LayerSimilarityRequest, onProgress?: (progress: GenerateProgressEvent) => void): RunningJob<WithBackendChange<LayerSimilarity>> {
    return this.startJob((jobId, progress) => this.remote.layerSimilarity(jobId, request, progress), onProgress);
  }

  private startJob<T>(
    call: (jobId: number, onProgress: ((progress: GenerateProgressEvent) => void) | undefined) => Promise<T>,
    onProgress?: (progress: GenerateProgressEvent) => void,
  ): RunningJob<T> {
    const jobId = this.nextJobId++;
    const result = call(jobId, onProgress ? Comlink.proxy(onProgress) : undefined);
    return { jobId, result, cancel: () => void this.remote.cancel(jobId) };
  }

  terminate(): void {
    this.remote[Comlink.releaseProxy]();
    this.closeEndpoint();
  }
}
