/**
 * The typed bridge between the UI and the classifier worker (workers/classifier.worker.ts), like
 * workerApi.ts for the engine: the UI never imports onnxruntime; progress callbacks cross as
 * comlink proxies; cancellation is a job id plus `cancel(jobId)`; results come back as
 * transferred buffers.
 */
import * as Comlink from 'comlink';
import type { ClassifyProgress } from '../classifier/audioClassifier';
import type { ClassifierLoadProgress, ClassifierVariant } from '../classifier/loadClassifier';
import type { RankedLabel } from '../classifier/topLabels';
import type { BackendPreference, BrowserBackend, RunningJob } from './workerApi';

export type { ClassifyProgress, ClassifierLoadProgress, ClassifierVariant, RankedLabel };

/** The bundled tiny classifier for the demo model (random weights; see its config.json). */
export const TINY_CLASSIFIER_URL = '/models/classifiers/ast-tiny/';
/** The real AST AudioSet classifier on the Hugging Face hub. */
export const AST_CLASSIFIER_SOURCE = 'hf:Xenova/ast-finetuned-audioset-10-10-0.4593';
/** MusicGen's output rate: the only rate `classify` takes. */
export const CLASSIFIER_INPUT_RATE = 32000;

export interface ClassifierLoadRequest {
  /** A folder URL (absolute or page-relative), a huggingface.co repository address, or `hf:owner/name[@revision]`. */
  source: string;
  backend: BackendPreference;
  variant?: ClassifierVariant; // default auto: model.onnx when present, else model_quantized.onnx
}

export interface ClassifierInfo {
  name: string;
  modelFile: string;
  /** Class names by index (AudioSet's 527). */
  labels: readonly string[];
  notes?: string;
  backend: BrowserBackend;
  backendDetail: string;
  /** Why WebGPU was not used, when the classifier fell back to WASM. */
  fallbackReason?: string;
}

export interface ClassifyRequest {
  clips: readonly Float32Array[]; // mono, `sampleRate` Hz each
  sampleRate: number; // must be 32000
  topK?: number; // labels per clip in `top` (default 5)
  batchSize?: number;
}

export interface ClipClassification {
  logits: Float32Array; // [527]
  probabilities: Float64Array; // [527], softmax of the logits (what the study's metrics read)
  top: RankedLabel[];
}

export interface ClassifyResponse {
  clips: ClipClassification[]; // in request order
  elapsedMs: number;
}

export interface ClassifierWorkerApi {
  load(jobId: number, request: ClassifierLoadRequest, onProgress?: (progress: ClassifierLoadProgress) => void): Promise<ClassifierInfo>;
  classify(jobId: number, request: ClassifyRequest, onProgress?: (progress: ClassifyProgress) => void): Promise<ClassifyResponse>;
  /** Aborts the job inside the worker; unknown or finished ids are ignored. */
  cancel(jobId: number): void;
}

/** The UI-side handle on one classifier worker (or any comlink endpoint). */
export class ClassifierWorkerClient {
  private readonly remote: Comlink.Remote<ClassifierWorkerApi>;
  private nextJobId = 1;

  constructor(
    endpoint: Comlink.Endpoint,
    private readonly closeEndpoint: () => void = () => {},
  ) {
    this.remote = Comlink.wrap<ClassifierWorkerApi>(endpoint);
  }

  static start(): ClassifierWorkerClient {
    const worker = new Worker(new URL('../../workers/classifier.worker.ts', import.meta.url), { type: 'module', name: 'musicgen-classifier' });
    return new ClassifierWorkerClient(worker, () => worker.terminate());
  }

  private job<T>(start: (jobId: number) => Promise<T>): RunningJob<T> {
    const jobId = this.nextJobId++;
    return { jobId, result: start(jobId), cancel: () => void this.remote.cancel(jobId) };
  }

  load(request: ClassifierLoadRequest, onProgress?: (progress: ClassifierLoadProgress) => void): RunningJob<ClassifierInfo> {
    return this.job((jobId) => this.remote.load(jobId, request, onProgress ? Comlink.proxy(onProgress) : undefined));
  }

  /** The clips are copied to the worker (not transferred), so the caller keeps them for playback. */
  classify(request: ClassifyRequest, onProgress?: (progress: ClassifyProgress) => void): RunningJob<ClassifyResponse> {
    return this.job((jobId) => this.remote.classify(jobId, request, onProgress ? Comlink.proxy(onProgress) : undefined));
  }

  terminate(): void {
    this.remote[Comlink.releaseProxy]();
    this.closeEndpoint();
  }
}
