/**
 * The Interventions feature's worker jobs: one job at a time in the store's `job` (progress,
 * cancel), the classifier loaded once per source, and clips classified as one job. A cancelled or
 * failed job shows its message, then stops the action that ran it with `Stopped`.
 */
import { estimateEta, formatProgress, type RunProgress } from '../../../analysis/means/progress';
import { CLASSIFIER_INPUT_RATE } from '../../../lab/classifierApi';
import { isCancellation, type ModelInfo, type RunningJob } from '../../../lab/workerApi';
import { runTrackedJob, storeJobSlot } from '../../state/jobState';
import type { ClassifierBridge, InterventionsJob, InterventionsJobKind, InterventionsState } from './interventionsState';
import { messageOf } from '../../../errorMessage';


/** Thrown to stop a multi-step action after a job was cancelled or failed (its message is already shown). */
export class Stopped extends Error {}

export interface JobRunner {
  /** Runs one worker job with progress and cancel. Cancel or failure: message shown, then Stopped. */
  run<T>(kind: InterventionsJobKind, title: string, start: (onProgress: (progress: RunProgress) => void) => RunningJob<T>): Promise<T>;
  /** Loads the chosen classifier unless it is the one loaded (no source: message shown, then Stopped). */
  ensureClassifier(): Promise<void>;
  /** Each clip's logits [527] and softmax probabilities [527]. */
  classify(title: string, clips: Float32Array[]): Promise<{ logits: Float32Array; probabilities: Float64Array }[]>;
}

/**
 * `adoptBackendChange`: a lost WebGPU device moved the model to WASM during an engine job (the
 * worker re-ran it there); the header must say so.
 */
export function createJobRunner(get: () => InterventionsState, set: (patch: Partial<InterventionsState>) => void, classifier: ClassifierBridge, adoptBackendChange: (info: ModelInfo) => void): JobRunner {
  const jobSlot = storeJobSlot<InterventionsState, InterventionsJob>(get, set, { error: null, info: null });
  let loadedClassifier: string | null = null;

  function run<T>(kind: InterventionsJobKind, title: string, start: (onProgress: (progress: RunProgress) => void) => RunningJob<T>): Promise<T> {
    return runTrackedJob(jobSlot, { start, fields: { kind, title, progress: null }, progress: (job, progress: RunProgress) => ({ ...job, progress }) }, async (result) => {
      try {
        const value = await result;
        const backendChange = (value as { backendChange?: ModelInfo } | null)?.backendChange;
        if (backendChange) adoptBackendChange(backendChange);
        return value;
      } catch (error) {
        if (isCancellation(error)) set({ info: `${title}: cancelled.` });
        else set({ error: `${title} failed: ${messageOf(error)}` });
        throw new Stopped();
      }
    });
  }

  return {
    run,

    async ensureClassifier() {
      const source = get().classifierSource.trim();
      if (source === '') {
        set({ error: 'Name a classifier (a folder URL or hf:owner/name).' });
        throw new Stopped();
      }
      if (loadedClassifier === source) return;
      await run('classifier', 'Loading the classifier', (onProgress) =>
        classifier.load({ source: new URL(source, globalThis.location?.href ?? 'http://localhost/').href, backend: 'auto' }, (p) =>
          onProgress({ done: p.loadedBytes, total: p.totalBytes, etaSeconds: null, label: `bytes of ${p.file}` }),
        ),
      );
      loadedClassifier = source;
    },

    async classify(title, clips) {
      const started = performance.now();
      const response = await run('classify', title, (onProgress) =>
        classifier.classify({ clips, sampleRate: CLASSIFIER_INPUT_RATE }, (p) =>
          onProgress({ done: p.done, total: p.total, etaSeconds: estimateEta(p.done, p.total - p.done, (performance.now() - started) / 1000), label: 'clips classified' }),
        ),
      );
      return response.clips;
    },
  };
}

/** The running job's progress line, e.g. "guitar means: 3/10 prompts (batch 1/1) ETA 12 s". */
export function jobLine(job: InterventionsJob): string {
  return job.progress ? `${job.title}: ${formatProgress(job.progress)}` : `${job.title}: starting…`;
}
