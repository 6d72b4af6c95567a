/**
 * The interventions part of the engine worker's API: concept means (size first, computed with
 * progress and cancel, resumed, reused, exported and imported), the replace/adjust sweep and single
 * interventions. Types only plus the UI-side calls; src/lab/interventionsService.ts implements them
 * over src/analysis/means and src/analysis/interventions. Audio and codes come back transferred.
 */
import * as Comlink from 'comlink';
import type { BlockModule } from '../bundle/graphContract';
import type { InterventionMethod, Site } from '../analysis/interventions/kernel';
import type { SweepMethod } from '../analysis/interventions/sweep';
import type { RunProgress } from '../analysis/means/progress';
import type { RunningJob, WithBackendChange } from './workerApi';

export type { BlockModule, InterventionMethod, RunProgress, Site, SweepMethod };

/** How every clip of a means computation, sweep or intervention is generated. */
export interface SamplingRequest {
  frames: number; // EnCodec frames (50 per second)
  seed: number; // the study reseeds before every prompt: every prompt samples with this seed
  topK: number;
  temperature: number;
  guidanceScale: number;
}

export interface MeansRequest extends SamplingRequest {
  prompts: readonly string[];
  /** KV-cache bytes one batch of prompts may use (default 1 GiB); not part of the key. */
  budgetBytes?: number;
}

/** What the store holds for a means key: nothing, an unfinished run, or finished means. */
export type MeansState = 'none' | 'partial' | 'done';

export interface MeansStatus {
  keyId: string; // short id of the means key (model, settings, prompts, seed)
  state: MeansState;
  count: number; // prompts already in the sums or means
  total: number; // prompts of the set
  /** Bytes of the finished means (float32): 3·L hooks × steps × 2 × d × 4. */
  bytes: number;
  /** Decoder steps one prompt generates, and prompts per batch under the memory budget. */
  steps: number;
  promptsPerBatch: number;
}

export interface ImportedMeans extends MeansStatus {
  prompts: string[];
  settings: SamplingRequest;
}

export interface ClipAudio {
  samples: Float32Array; // [samplesPerFrame · frames] mono at `sampleRate`
  codes: Int32Array; // [K, frames]
}

export interface SweepJobRequest {
  prompt: string;
  fromKeyId: string; // the original concept's finished means
  toKeyId: string; // the desired concept's finished means
  methods?: readonly SweepMethod[]; // default replace and adjust
  branches?: 'cond' | 'both';
  frameWindow?: readonly [number, number];
  /** KV-cache bytes per chunk (default 1 GiB). */
  budgetBytes?: number;
  rowsPerChunk?: number;
}

export interface SweepCellClip extends ClipAudio {
  method: SweepMethod;
  layer: number; // 0-based, as in hook names
  module: BlockModule;
}

export interface SweepResponse {
  frames: number;
  sampleRate: number;
  baseline: ClipAudio;
  cells: SweepCellClip[]; // method, then layer, then module
  chunks: number;
  rowsPerChunk: number;
  elapsedMs: number;
}

export interface InterventionJobRequest {
  prompt: string;
  method: InterventionMethod;
  sites: readonly Site[];
  branches?: 'cond' | 'both';
  frameWindow?: readonly [number, number];
  alpha?: number; // steer only
  fromKeyId?: string; // adjust, steer
  toKeyId: string;
}

export interface InterventionResponse {
  frames: number;
  sampleRate: number;
  original: ClipAudio;
  intervened: ClipAudio;
  elapsedMs: number;
}

export interface InterventionsWorkerApi {
  /** The key, the size and what is already stored, before anything is computed. */
  meansStatus(request: MeansRequest): Promise<MeansStatus>;
  /** Computes (or resumes, or reuses) means; a cancel keeps the batches already done. */
  computeMeans(jobId: number, request: MeansRequest, onProgress?: (progress: RunProgress) => void): Promise<WithBackendChange<MeansStatus>>;
  /** A finished means file (safetensors with its key in the metadata). */
  exportMeans(keyId: string): Promise<Uint8Array>;
  /** Validates a means file against the loaded model and stores it; a foreign file is refused with the reason. */
  importMeans(bytes: Uint8Array, fileName: string): Promise<ImportedMeans>;
  sweep(jobId: number, request: SweepJobRequest, onProgress?: (progress: RunProgress) => void): Promise<WithBackendChange<SweepResponse>>;
  intervene(jobId: number, request: InterventionJobRequest, onProgress?: (progress: RunProgress) => void): Promise<WithBackendChange<InterventionResponse>>;
}

/** The methods of the worker this client needs: the interventions API and cancel. */
export type InterventionsRemote = Comlink.Remote<InterventionsWorkerApi & { cancel(jobId: number): void }>;

/** UI-side calls (part of EngineWorkerClient): progress callbacks cross as proxies, jobs cancel by id. */
export class InterventionsClient {
  constructor(
    private readonly remote: InterventionsRemote,
    private readonly nextJobId: () => number,
  ) {}

  private job<T>(start: (jobId: number) => Promise<T>): RunningJob<T> {
    const jobId = this.nextJobId();
    return { jobId, result: start(jobId), cancel: () => void this.remote.cancel(jobId) };
  }

  meansStatus(request: MeansRequest): Promise<MeansStatus> {
    return this.remote.meansStatus(request);
  }

  computeMeans(request: MeansRequest, onProgress?: (progress: RunProgress) => void): RunningJob<WithBackendChange<MeansStatus>> {
    return this.job((jobId) => this.remote.computeMeans(jobId, request, onProgress ? Comlink.proxy(onProgress) : undefined));
  }

  exportMeans(keyId: string): Promise<Uint8Array> {
    return this.remote.exportMeans(keyId);
  }

  /** The bytes are transferred to the worker (the caller no longer needs them). */
  importMeans(bytes: Uint8Array, fileName: string): Promise<ImportedMeans> {
    return this.remote.importMeans(Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]), fileName);
  }

  sweep(request: SweepJobRequest, onProgress?: (progress: RunProgress) => void): RunningJob<WithBackendChange<SweepResponse>> {
    return this.job((jobId) => this.remote.sweep(jobId, request, onProgress ? Comlink.proxy(onProgress) : undefined));
  }

  intervene(request: InterventionJobRequest, onProgress?: (progress: RunProgress) => void): RunningJob<WithBackendChange<InterventionResponse>> {
    return this.job((jobId) => this.remote.intervene(jobId, request, onProgress ? Comlink.proxy(onProgress) : undefined));
  }
}
