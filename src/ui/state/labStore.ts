/**
 * The lab page's state (zustand). Model loading and generation happen here, through the worker
 * bridge, never inside React components; components read state and call these actions.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BackendPreference, EngineWorkerClient, LoadProgressEvent, ModelInfo } from '../../lab/workerApi';
import { isCancellation } from '../../lab/workerApi';
import { clipsFromResponse, releaseClips, type Clip } from './clips';
import { DEFAULT_SETTINGS, toGenerateRequest, validateSettings, type GenerationSettings } from './settings';

/** The part of the worker client the store uses. */
export type EngineBridge = Pick<EngineWorkerClient, 'load' | 'generate'>;

export type ModelState =
  | { status: 'idle' }
  | { status: 'loading'; bundleUrl: string; progress: LoadProgressEvent | null }
  | { status: 'ready'; bundleUrl: string; info: ModelInfo }
  | { status: 'error'; bundleUrl: string; error: string };

export type JobKind = 'generate' | 'lens';

export interface JobState {
  jobId: number;
  kind: JobKind;
  step: number;
  steps: number; // 0 until the first progress report
  cancelling: boolean;
  cancel(): void;
}

export interface LabMessage {
  kind: 'error' | 'info';
  text: string;
}

export interface LabState {
  model: ModelState;
  settings: GenerationSettings;
  /** DecoderLens depths to generate (1..numLayers), ascending. */
  lensDepths: number[];
  job: JobState | null;
  clip: Clip | null;
  lensClips: Clip[];
  message: LabMessage | null;

  loadModel(bundleUrl: string, backend: BackendPreference): Promise<void>;
  updateSettings(patch: Partial<GenerationSettings>): void;
  toggleLensDepth(depth: number): void;
  setLensDepths(depths: readonly number[]): void;
  generate(): Promise<void>;
  generateLens(): Promise<void>;
  cancel(): void;
  dismissMessage(): void;
}

export type LabStore = StoreApi<LabState>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function allDepths(numLayers: number): number[] {
  return Array.from({ length: numLayers }, (_, i) => i + 1);
}

export function createLabStore(bridge: EngineBridge): LabStore {
  return createStore<LabState>()((set, get) => {
    /** Runs one generation job: full model (`generate`) or all chosen lens depths (`lens`). */
    async function runJob(kind: JobKind): Promise<void> {
      const { model, settings, lensDepths, job } = get();
      if (job) return; // one job at a time; the buttons are disabled meanwhile
      if (model.status !== 'ready') {
        set({ message: { kind: 'error', text: 'The model is not loaded yet.' } });
        return;
      }
      const problem = validateSettings(settings) ?? (kind === 'lens' && lensDepths.length === 0 ? 'Choose at least one DecoderLens depth.' : null);
      if (problem) {
        set({ message: { kind: 'error', text: problem } });
        return;
      }
      const { numLayers } = model.info;
      const depths = kind === 'lens' ? lensDepths : [numLayers];
      const running = bridge.generate(toGenerateRequest(settings, depths), ({ step, steps }) => {
        // Progress messages can trail the result; only the running job's count.
        const current = get().job;
        if (current?.jobId === running.jobId) set({ job: { ...current, step, steps } });
      });
      set({
        message: null,
        job: {
          jobId: running.jobId,
          kind,
          step: 0,
          steps: 0,
          cancelling: false,
          cancel: () => {
            const current = get().job;
            if (current) set({ job: { ...current, cancelling: true } });
            running.cancel();
          },
        },
      });
      try {
        const response = await running.result;
        const clips = clipsFromResponse(response, settings.prompt, numLayers);
        if (kind === 'generate') {
          const previous = get().clip;
          if (previous) releaseClips([previous]);
          set({ clip: clips[0] ?? null });
        } else {
          releaseClips(get().lensClips);
          set({ lensClips: clips });
        }
      } catch (error) {
        set({ message: isCancellation(error) ? { kind: 'info', text: 'Generation cancelled.' } : { kind: 'error', text: `Generation failed: ${messageOf(error)}` } });
      } finally {
        set({ job: null });
      }
    }

    return {
      model: { status: 'idle' },
      settings: DEFAULT_SETTINGS,
      lensDepths: [],
      job: null,
      clip: null,
      lensClips: [],
      message: null,

      async loadModel(bundleUrl, backend) {
        const loading: ModelState = { status: 'loading', bundleUrl, progress: null };
        set({ model: loading, message: null });
        // Progress messages can trail the result: apply them only while this load is current.
        let current = loading;
        const onProgress = (progress: LoadProgressEvent) => {
          if (get().model !== current) return;
          current = { status: 'loading', bundleUrl, progress };
          set({ model: current });
        };
        try {
          const info = await bridge.load({ bundleUrl, backend }, onProgress);
          if (get().model === current) set({ model: { status: 'ready', bundleUrl, info }, lensDepths: allDepths(info.numLayers) });
        } catch (error) {
          if (get().model === current) set({ model: { status: 'error', bundleUrl, error: messageOf(error) } });
        }
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

      generate: () => runJob('generate'),
      generateLens: () => runJob('lens'),

      cancel() {
        get().job?.cancel();
      },

      dismissMessage() {
        set({ message: null });
      },
    };
  });
}
