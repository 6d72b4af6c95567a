/**
 * The lab page's state (zustand). Model loading and generation happen here, through the worker
 * bridge, never inside React components; components read state and call these actions. Feature
 * slices live under src/ui/features/<feature>/ (history here); this file holds the model, the
 * settings form, the view and the running job.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BackendPreference, EngineWorkerClient, LoadProgressEvent, ModelInfo } from '../../lab/workerApi';
import { isCancellation } from '../../lab/workerApi';
import { createHistorySlice, type HistorySlice } from '../features/history/historySlice';
import type { RunDatabase } from '../features/history/runDatabase';
import type { ExperimentState, LabView } from '../features/url/experimentUrl';
import { DEFAULT_SETTINGS, toGenerateRequest, validateSettings, type GenerationSettings } from './settings';
import { runTrackedJob, storeJobSlot, withSteps, type JobControls, type StepProgress } from './jobState';
import { messageOf } from '../../errorMessage';

/** The part of the worker client the store uses. */
export type EngineBridge = Pick<EngineWorkerClient, 'load' | 'generate'>;

export type ModelState =
  | { status: 'idle' }
  | { status: 'loading'; bundleUrl: string; progress: LoadProgressEvent | null }
  | { status: 'ready'; bundleUrl: string; info: ModelInfo }
  | { status: 'error'; bundleUrl: string; error: string };

/** The running Generate job (DecoderLens jobs live in the lens slice, src/ui/features/lens/). */
export interface JobState extends JobControls, StepProgress {}

export interface LabMessage {
  kind: 'error' | 'info';
  text: string;
}

export interface LabState extends HistorySlice {
  model: ModelState;
  /** The backend asked for (`?backend=`); the model says which one runs. */
  backendPreference: BackendPreference;
  settings: GenerationSettings;
  view: LabView;
  /** DecoderLens depths to generate (1..numLayers), ascending. */
  lensDepths: number[];
  /** Depths asked for before the model (and its layer count) is known; null = all. */
  pendingLensDepths: number[] | null;
  job: JobState | null;
  message: LabMessage | null;

  loadModel(bundleUrl: string, backend: BackendPreference): Promise<void>;
  /** Reloads the current model on another backend. */
  setBackend(backend: BackendPreference): Promise<void>;
  setView(view: LabView): void;
  updateSettings(patch: Partial<GenerationSettings>): void;
  toggleLensDepth(depth: number): void;
  setLensDepths(depths: readonly number[]): void;
  generate(): Promise<void>;
  cancel(): void;
  /** Puts the store in the state a URL describes (first load, back/forward). */
  applyExperiment(experiment: ExperimentState): void;
  /** The worker moved the model to WASM during a job (lost WebGPU device): show the new backend and say so. */
  adoptBackendChange(info: ModelInfo): void;
  notify(message: LabMessage): void;
  dismissMessage(): void;
}

export type LabStore = StoreApi<LabState>;

export interface LabStoreOptions {
  /** The run history (IndexedDB in the page); null keeps runs in memory only. */
  runDatabase?: Promise<RunDatabase> | null;
}


function allDepths(numLayers: number): number[] {
  return Array.from({ length: numLayers }, (_, i) => i + 1);
}

/** Requested depths against the model's layer count: the valid ones, and a note on the rest. */
function resolveDepths(requested: number[] | null, numLayers: number): { depths: number[]; problem?: string } {
  if (requested === null) return { depths: allDepths(numLayers) };
  const depths = requested.filter((depth) => depth <= numLayers);
  if (depths.length === requested.length) return { depths };
  return { depths, problem: `This model has ${numLayers} layers: DecoderLens depths above ${numLayers} were dropped.` };
}

export function createLabStore(bridge: EngineBridge, { runDatabase = null }: LabStoreOptions = {}): LabStore {
  return createStore<LabState>()((set, get) => {
    const jobSlot = storeJobSlot<LabState, JobState>(get, set, { message: null });

    /** Runs one full-model generation and records it as a run. */
    async function runGenerate(): Promise<void> {
      const { model, settings, job } = get();
      if (job) return; // one job at a time; the buttons are disabled meanwhile
      if (model.status !== 'ready') {
        set({ message: { kind: 'error', text: 'The model is not loaded yet.' } });
        return;
      }
      const problem = validateSettings(settings);
      if (problem) {
        set({ message: { kind: 'error', text: problem } });
        return;
      }
      await runTrackedJob(
        jobSlot,
        { start: (onProgress) => bridge.generate(toGenerateRequest(settings, [model.info.numLayers]), onProgress), fields: { step: 0, steps: 0 }, progress: withSteps },
        async (result) => {
          try {
            const response = await result;
            await get().recordRun('generate', settings, { info: model.info, bundleUrl: model.bundleUrl }, response);
          } catch (error) {
            set({ message: isCancellation(error) ? { kind: 'info', text: 'Generation cancelled.' } : { kind: 'error', text: `Generation failed: ${messageOf(error)}` } });
          }
        },
      );
    }

    return {
      ...createHistorySlice<LabState>(set, get, runDatabase),
      model: { status: 'idle' },
      backendPreference: 'auto',
      settings: DEFAULT_SETTINGS,
      view: 'generate',
      lensDepths: [],
      pendingLensDepths: null,
      job: null,
      message: null,

      async loadModel(bundleUrl, backend) {
        const previous = get().model;
        const loading: ModelState = { status: 'loading', bundleUrl, progress: null };
        set({ model: loading, backendPreference: backend, message: null });
        // Progress messages can trail the result: apply them only while this load is current.
        let current = loading;
        const onProgress = (progress: LoadProgressEvent) => {
          if (get().model !== current) return;
          current = { status: 'loading', bundleUrl, progress };
          set({ model: current });
        };
        try {
          const info = await bridge.load({ bundleUrl, backend }, onProgress);
          if (get().model !== current) return;
          // Depths carry over a reload on the same model; a new model starts from what was asked.
          const requested = previous.status === 'ready' && previous.info.numLayers === info.numLayers ? get().lensDepths : get().pendingLensDepths;
          const { depths, problem } = resolveDepths(requested, info.numLayers);
          set({ model: { status: 'ready', bundleUrl, info }, lensDepths: depths, pendingLensDepths: null, ...(problem ? { message: { kind: 'info', text: problem } } : {}) });
        } catch (error) {
          if (get().model !== current) return;
          if (previous.status === 'ready') {
            // The worker keeps the previous model loaded, so the page keeps using it.
            set({
              model: previous,
              backendPreference: previous.info.preference,
              message: { kind: 'error', text: `Could not load ${bundleUrl} on ${backend}: ${messageOf(error)}. Still using ${previous.info.name}.` },
            });
          } else {
            set({ model: { status: 'error', bundleUrl, error: messageOf(error) } });
          }
        }
      },

      async setBackend(backend) {
        const { model } = get();
        if (model.status === 'idle' || model.status === 'loading') {
          set({ backendPreference: backend });
          return;
        }
        await get().loadModel(model.bundleUrl, backend);
      },

      setView(view) {
        set({ view });
      },

      updateSettings(patch) {
        // An edit answers the last message (typically a validation error): clear it.
        set({ settings: { ...get().settings, ...patch }, message: null });
      },

      toggleLensDepth(depth) {
        const current = get().lensDepths;
        const next = current.includes(depth) ? current.filter((d) => d !== depth) : [...current, depth];
        set({ lensDepths: next.sort((a, b) => a - b) });
      },

      setLensDepths(depths) {
        set({ lensDepths: [...new Set(depths)].sort((a, b) => a - b) });
      },

      generate: runGenerate,

      cancel() {
        get().job?.cancel();
      },

      applyExperiment(experiment) {
        const { model, backendPreference, selectedClip } = get();
        const messages: LabMessage[] = [];
        let lensDepths = get().lensDepths;
        let pendingLensDepths = get().pendingLensDepths;
        if (model.status === 'ready') {
          const resolved = resolveDepths(experiment.lensDepths, model.info.numLayers);
          lensDepths = resolved.depths;
          if (resolved.problem) messages.push({ kind: 'info', text: resolved.problem });
        } else {
          pendingLensDepths = experiment.lensDepths;
        }
        set({ settings: experiment.settings, view: experiment.view, lensDepths, pendingLensDepths, ...(messages[0] ? { message: messages[0] } : {}) });
        const sameClip = selectedClip?.runId === experiment.clip?.runId && selectedClip?.depth === experiment.clip?.depth;
        if (experiment.clip && !sameClip) void get().openClip(experiment.clip);
        if (!experiment.clip && selectedClip) get().clearSelection();
        if (experiment.backend !== backendPreference) void get().setBackend(experiment.backend);
      },

      adoptBackendChange(info) {
        const { model } = get();
        if (model.status !== 'ready') return;
        set({
          model: { status: 'ready', bundleUrl: model.bundleUrl, info },
          message: { kind: 'info', text: `${info.fallbackReason ?? 'The lab moved to WASM'}. Your settings and results are kept.` },
        });
      },

      notify(message) {
        set({ message });
      },

      dismissMessage() {
        set({ message: null });
      },
    };
  });
}
