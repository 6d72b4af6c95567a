/**
 * The implementation of ClassifierWorkerApi: owns the loaded AudioClassifier and one
 * AbortController per running job. workers/classifier.worker.ts exposes it over comlink; tests run
 * it in Node over a MessageChannel. Where folders and runtimes come from is injected.
 */
import * as Comlink from 'comlink';
import { softmax } from '../analysis/metrics/kernel';
import type { AudioClassifier } from '../classifier/audioClassifier';
import { loadClassifier } from '../classifier/loadClassifier';
import { topLabels } from '../classifier/topLabels';
import type { CheckpointLocation } from '../checkpoint/location';
import type { Runtime } from '../runtime/ort';
import type { WebGpuProbe } from '../runtime/webGpuAdapter';
import { loadOnPreferredBackend } from './backendChoice';
import { CLASSIFIER_INPUT_RATE, type ClassifierWorkerApi, type ClassifyResponse } from './classifierApi';
import { responsiveRuntime } from './responsiveRuntime';
import type { BrowserBackend } from './workerApi';

export interface ClassifierServiceDeps {
  openLocation(source: string): CheckpointLocation;
  createRuntime(backend: BrowserBackend): Promise<Runtime>;
  /** Asks for a WebGPU adapter, so `auto` skips software adapters (src/lab/backendChoice.ts). */
  probeWebGpu(): Promise<WebGpuProbe>;
}

const DEFAULT_TOP_K = 5;

export function createClassifierService(deps: ClassifierServiceDeps): ClassifierWorkerApi {
  let classifier: AudioClassifier | null = null;
  const runningJobs = new Map<number, AbortController>();

  async function withJob<T>(jobId: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    runningJobs.set(jobId, controller);
    try {
      return await work(controller.signal);
    } finally {
      runningJobs.delete(jobId);
    }
  }

  return {
    load(jobId, request, onProgress) {
      return withJob(jobId, async (signal) => {
        await classifier?.release();
        classifier = null;
        const location = deps.openLocation(request.source);
        const choice = await loadOnPreferredBackend(request.backend, deps.probeWebGpu, async (backend: BrowserBackend) => {
          // Responsive, so that cancel(jobId) reaches a running job on WASM.
          const runtime = responsiveRuntime(await deps.createRuntime(backend));
          return { runtime, classifier: await loadClassifier(location, runtime, { variant: request.variant, signal, onProgress: (p) => onProgress?.({ ...p }) }) };
        });
        classifier = choice.value.classifier;
        return {
          name: location.name,
          modelFile: classifier.modelFile,
          labels: classifier.spec.labels,
          notes: classifier.spec.notes,
          backend: choice.backend,
          backendDetail: choice.value.runtime.description,
          fallbackReason: choice.fallbackReason,
        };
      });
    },

    classify(jobId, request, onProgress) {
      return withJob(jobId, async (signal) => {
        if (!classifier) throw new Error('no classifier is loaded yet');
        if (request.sampleRate !== CLASSIFIER_INPUT_RATE) throw new Error(`clips must be ${CLASSIFIER_INPUT_RATE} Hz (MusicGen's rate), got ${request.sampleRate} Hz`);
        const started = performance.now();
        const loaded = classifier;
        const logits = await loaded.classify(request.clips, { batchSize: request.batchSize, signal, onProgress: (p) => onProgress?.({ ...p }) }); // [clips, C]
        const classes = loaded.classes;
        const clips = request.clips.map((_, i) => {
          const clipLogits = logits.slice(i * classes, (i + 1) * classes); // [C], its own buffer
          const probabilities = softmax(clipLogits); // [C]
          return { logits: clipLogits, probabilities, top: topLabels(probabilities, loaded.spec.labels, request.topK ?? DEFAULT_TOP_K) };
        });
        const response: ClassifyResponse = { clips, elapsedMs: performance.now() - started };
        return Comlink.transfer(response, clips.flatMap((clip) => [clip.logits.buffer, clip.probabilities.buffer]) as Transferable[]);
      });
    },

    cancel(jobId) {
      runningJobs.get(jobId)?.abort();
    },
  };
}
