/**
 * The DecoderLens feature's zustand slice: its jobs (the batched lens run, then the teacher-forced
 * lens over the full model's codes, and the layer self-similarity), their results and the view's
 * choices. The prompt, settings, model and chosen depths come from the lab store.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EngineWorkerClient, GenerateProgressEvent, LayerSimilarity, LensMeasurements, RunningJob, TeacherForcedLens, WithBackendChange } from '../../../lab/workerApi';
import { isCancellation } from '../../../lab/workerApi';
import type { Clip } from '../../state/clips';
import type { LabStore } from '../../state/labStore';
import { toGenerateRequest, validateSettings, type GenerationSettings } from '../../state/settings';
import type { CodebookChoice, LensMeasure, TeacherMeasure } from './heatmapData';
import { runTrackedJob, storeJobSlot, withSteps, type JobControls, type StepProgress } from '../../state/jobState';
import { messageOf } from '../../../errorMessage';

export type LensBridge = Pick<EngineWorkerClient, 'generateLens' | 'teacherForcedLens' | 'layerSimilarity'>;

export type LensJobKind = 'lens' | 'teacher' | 'similarity';

export interface LensJob extends JobControls, StepProgress {
  kind: LensJobKind;
}

/** One DecoderLens run: its clips (ascending depth, the full model last) and measurements. */
export interface LensRun {
  settings: GenerationSettings;
  numLayers: number;
  frames: number;
  clips: Clip[];
  fullCodes: Int32Array; // [K, frames]
  measurements: LensMeasurements;
}

export interface SimilarityRun {
  prompts: string[];
  result: LayerSimilarity;
}

export interface LensState {
  job: LensJob | null;
  run: LensRun | null;
  teacher: TeacherForcedLens | null; // for `run`
  similarity: SimilarityRun | null;
  /** Prompts for the self-similarity, one per line; empty = the current prompt. */
  similarityPrompts: string;
  measure: LensMeasure;
  codebook: CodebookChoice;
  teacherMeasure: TeacherMeasure;
  teacherCodebook: CodebookChoice;
  error: string | null;

  runLens(): Promise<void>;
  runSimilarity(): Promise<void>;
  cancel(): void;
  setMeasure(measure: LensMeasure): void;
  setCodebook(codebook: CodebookChoice): void;
  setTeacherMeasure(measure: TeacherMeasure): void;
  setTeacherCodebook(codebook: CodebookChoice): void;
  setSimilarityPrompts(text: string): void;
  dismissError(): void;
}

export type LensStore = StoreApi<LensState>;


/** The prompts of the self-similarity text box: one per non-empty line, or the current prompt. */
export function similarityPromptList(text: string, currentPrompt: string): string[] {
  const prompts = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return prompts.length > 0 ? prompts : [currentPrompt];
}

export function createLensStore(bridge: LensBridge, lab: LabStore): LensStore {
  return createStore<LensState>()((set, get) => {
    const jobSlot = storeJobSlot<LensState, LensJob>(get, set, { error: null });

    /** Runs one job with progress and cancel; returns null when it was cancelled or failed (the error is shown). */
    function runJob<T>(kind: LensJobKind, start: (onProgress: (progress: GenerateProgressEvent) => void) => RunningJob<T>): Promise<T | null> {
      return runTrackedJob(jobSlot, { start, fields: { kind, step: 0, steps: 0 }, progress: withSteps }, async (result) => {
        try {
          return await result;
        } catch (error) {
          set({ error: isCancellation(error) ? 'Cancelled.' : `${kind === 'similarity' ? 'Layer similarity' : 'DecoderLens'} failed: ${messageOf(error)}` });
          return null;
        }
      });
    }

    /**
     * A result without its `backendChange`, which the lab store adopts: when the job moved the model
     * to WASM (lost WebGPU device), the header names the new backend and says why. (Generate and
     * DecoderLens runs are adopted by `recordRun`.)
     */
    function withoutBackendChange<T extends object>({ backendChange, ...result }: WithBackendChange<T>): T {
      if (backendChange) lab.getState().adoptBackendChange(backendChange);
      return result as T;
    }

    /** What must hold before a job starts; sets the error and returns null otherwise. */
    function readyToRun(): { settings: GenerationSettings; numLayers: number } | null {
      const { model, settings, job: labJob } = lab.getState();
      if (get().job || labJob) return null; // one job at a time; the buttons say so
      if (model.status !== 'ready') {
        set({ error: 'The model is not loaded yet.' });
        return null;
      }
      const problem = validateSettings(settings);
      if (problem) {
        set({ error: problem });
        return null;
      }
      return { settings, numLayers: model.info.numLayers };
    }

    return {
      job: null,
      run: null,
      teacher: null,
      similarity: null,
      similarityPrompts: '',
      measure: 'entropy',
      codebook: 'mean',
      teacherMeasure: 'kl',
      teacherCodebook: 'mean',
      error: null,

      async runLens() {
        const ready = readyToRun();
        if (!ready) return;
        const { settings, numLayers } = ready;
        const request = toGenerateRequest(settings, lab.getState().lensDepths);
        const response = await runJob('lens', (onProgress) => bridge.generateLens(request, onProgress));
        if (!response) return;
        const { model } = lab.getState();
        if (model.status !== 'ready') return;
        // The run goes into the history like any other (provenance, reload); its clips are the lab's lens clips.
        await lab.getState().recordRun('lens', settings, { info: model.info, bundleUrl: model.bundleUrl }, response);
        const clips = lab.getState().lensClips;
        const fullCodes = response.clips[response.clips.length - 1].codes;
        set({ run: { settings, numLayers, frames: response.frames, clips, fullCodes, measurements: response.measurements }, teacher: null });
        // The teacher-forced lens is one pass over the full model's codes: run it right away.
        const result = await runJob('teacher', (onProgress) =>
          bridge.teacherForcedLens({ prompt: settings.prompt, codes: fullCodes, frames: response.frames, guidanceScale: settings.guidanceScale }, onProgress),
        );
        if (!result) return;
        const teacher = withoutBackendChange(result);
        if (get().run?.fullCodes === fullCodes) set({ teacher });
      },

      async runSimilarity() {
        const ready = readyToRun();
        if (!ready) return;
        const { prompt: _prompt, depths: _depths, ...settings } = toGenerateRequest(ready.settings);
        const prompts = similarityPromptList(get().similarityPrompts, ready.settings.prompt);
        const result = await runJob('similarity', (onProgress) => bridge.layerSimilarity({ ...settings, prompts }, onProgress));
        if (result) set({ similarity: { prompts, result: withoutBackendChange(result) } });
      },

      cancel() {
        get().job?.cancel();
      },

      setMeasure: (measure) => set({ measure }),
      setCodebook: (codebook) => set({ codebook }),
      setTeacherMeasure: (teacherMeasure) => set({ teacherMeasure }),
      setTeacherCodebook: (teacherCodebook) => set({ teacherCodebook }),
      setSimilarityPrompts: (similarityPrompts) => set({ similarityPrompts }),
      dismissError: () => set({ error: null }),
    };
  });
}
