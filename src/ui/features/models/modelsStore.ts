/**
 * The Models panel's state (zustand): which model to load, planning (sizes against the storage
 * estimate), installing through the convert worker with progress and cancel, stored models, and
 * local files. Models load through `loadBundle` (the lab store's engine worker), never in React.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { storedBundleUrl } from '../../../bundle/storedBundleFiles';
import type { WeightDtype } from '../../../bundle/manifest';
import type { DtypeChoice } from '../../../hub/downloadPlan';
import type { ConvertWorkerClient, InstallPlan, InstallProgress, InstallRequest, SpeedSample, StorageEstimate, StoredModel } from '../../../lab/convertApi';
import { hubModelLabel, parseHubRepo, type HubModelRef } from '../../../hub/modelRef';
import { cancelJob } from '../../state/cancelJob';
import { messageOf } from '../../../errorMessage';

export type ConvertBridge = Pick<ConvertWorkerClient, 'plan' | 'install' | 'list' | 'remove' | 'findStored' | 'estimate' | 'recordSpeed'>;

export interface ModelsDeps {
  convert: ConvertBridge;
  /** Loads a bundle URL (`stored:<id>` or a folder URL) into the engine. */
  loadBundle(bundleUrl: string): Promise<void>;
  /** navigator.storage.persist() (page only); false where it is not granted or not available. */
  requestPersistence(): Promise<boolean>;
  /** Brings the Models view forward (a link to a hub model that is not stored yet needs a click there). */
  showPanel(): void;
  /** The hub endpoint (`?hub=`, default the official one). */
  endpoint: string;
  demoBundleUrl: string;
}

export type PlanState =
  | { status: 'idle' }
  | { status: 'planning'; label: string }
  | { status: 'ready'; plan: InstallPlan; request: InstallRequest }
  | { status: 'error'; error: string };

export interface InstallState {
  label: string;
  progress: InstallProgress | null;
  cancelling: boolean;
  cancel(): void;
}

export interface ModelsMessage {
  kind: 'error' | 'info';
  text: string;
}

/** A checkpoint's estimated bundle size in every dtype, from its last plan. */
export interface DtypeSizes {
  /** The plan's model label (`owner/repo[@revision]`): the sizes belong to it. */
  label: string;
  bytes: Record<WeightDtype, number>;
  /** What auto means on this machine. */
  autoDtype: WeightDtype;
}

export interface ModelsState {
  hubRepo: string;
  /** The weight format to install (and, for `?model=hf:`, to open). */
  dtype: DtypeChoice;
  dtypeSizes: DtypeSizes | null;
  endpoint: string;
  plan: PlanState;
  install: InstallState | null;
  stored: StoredModel[];
  storage: StorageEstimate | null;
  /** Whether the browser granted persistent storage (null until asked). */
  persisted: boolean | null;
  /** The stored id (or 'demo') last loaded from this panel. */
  active: string | null;
  message: ModelsMessage | null;

  setHubRepo(repo: string): void;
  /** Chooses the weight format; a plan on screen is made again for it. */
  setDtype(dtype: DtypeChoice): Promise<void>;
  /** Keeps a generation speed measured on a stored model, then lists the stored models again. */
  recordSpeed(id: string, sample: SpeedSample): Promise<void>;
  planHub(): Promise<void>;
  planFiles(files: File[]): Promise<void>;
  confirmInstall(): Promise<void>;
  dismissPlan(): void;
  cancelInstall(): void;
  refreshStored(): Promise<void>;
  removeStored(id: string): Promise<void>;
  loadStored(id: string): Promise<void>;
  loadDemo(): Promise<void>;
  /** A bundle folder URL (`?model=<url>`). */
  loadBundleUrl(url: string): Promise<void>;
  /** `?model=hf:…`: loads it from storage when stored (no network), else plans the download. */
  openHubModel(ref: HubModelRef): Promise<void>;
  dismissMessage(): void;
}

export type ModelsStore = StoreApi<ModelsState>;


function isCancellation(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function hubSource(ref: HubModelRef) {
  return { kind: 'hub' as const, repo: ref.repo, revision: ref.revision, endpoint: ref.endpoint };
}

/** The folder name of picked or dropped files (from webkitRelativePath), else "local files". */
export function folderLabel(files: readonly File[]): string {
  const first = files.find((file) => file.webkitRelativePath)?.webkitRelativePath ?? '';
  return first.includes('/') ? first.slice(0, first.indexOf('/')) : 'local files';
}

export function createModelsStore(deps: ModelsDeps): ModelsStore {
  return createStore<ModelsState>()((set, get) => {
    // Only the latest plan lands: arrowing through the dtypes starts one plan per step.
    let latestPlan = 0;
    let lastPlanned: { label: string; request: InstallRequest } | null = null;
    const plan = async (label: string, request: InstallRequest) => {
      const ticket = ++latestPlan;
      lastPlanned = { label, request };
      set({ plan: { status: 'planning', label }, message: null });
      try {
        const planned = await deps.convert.plan(request);
        if (ticket !== latestPlan) return;
        const sizes = planned.bundleBytesByDtype && { label: planned.label, bytes: planned.bundleBytesByDtype, autoDtype: planned.autoDtype };
        set({ plan: { status: 'ready', plan: planned, request }, storage: planned.storage, ...(sizes ? { dtypeSizes: sizes } : {}) });
      } catch (error) {
        if (ticket === latestPlan) set({ plan: { status: 'error', error: messageOf(error) } });
      }
    };

    return {
      hubRepo: 'facebook/musicgen-small',
      dtype: 'auto',
      dtypeSizes: null,
      endpoint: deps.endpoint,
      plan: { status: 'idle' },
      install: null,
      stored: [],
      storage: null,
      persisted: null,
      active: null,
      message: null,

      setHubRepo(repo) {
        set({ hubRepo: repo, plan: get().plan.status === 'error' ? { status: 'idle' } : get().plan });
      },

      async setDtype(dtype) {
        if (get().dtype === dtype) return;
        set({ dtype });
        const current = get().plan;
        const shown = current.status === 'planning' || (current.status === 'ready' && current.plan.kind === 'checkpoint');
        if (shown && lastPlanned && !get().install) await plan(lastPlanned.label, { ...lastPlanned.request, dtype });
      },

      async recordSpeed(id, sample) {
        try {
          await deps.convert.recordSpeed(id, sample);
        } catch (error) {
          set({ message: { kind: 'error', text: `Could not keep the measured speed of ${id}: ${messageOf(error)}` } });
        }
        await get().refreshStored();
      },

      async planHub() {
        let ref: HubModelRef;
        try {
          ref = parseHubRepo(get().hubRepo, deps.endpoint);
        } catch (error) {
          set({ plan: { status: 'error', error: messageOf(error) } });
          return;
        }
        await plan(hubModelLabel(ref), { source: hubSource(ref), dtype: get().dtype });
      },

      async planFiles(files) {
        if (files.length === 0) {
          set({ plan: { status: 'error', error: 'No files were given: pick a checkpoint folder (config.json + model.safetensors) or a lab bundle folder (manifest.json).' } });
          return;
        }
        const label = folderLabel(files);
        await plan(label, { source: { kind: 'files', label, files, endpoint: deps.endpoint }, dtype: get().dtype });
      },

      async confirmInstall() {
        const current = get().plan;
        if (current.status !== 'ready' || get().install) return;
        const persisted = await deps.requestPersistence().catch(() => false);
        const running = deps.convert.install(current.request, (progress) => {
          const install = get().install;
          if (install) set({ install: { ...install, progress } });
        });
        set({
          persisted,
          message: null,
          install: {
            label: current.plan.label,
            progress: null,
            cancelling: false,
            cancel: cancelJob(() => get().install, (install) => set({ install }), running),
          },
        });
        try {
          const stored = await running.result;
          set({ install: null, plan: { status: 'idle' } });
          await get().refreshStored();
          await get().loadStored(stored.id);
        } catch (error) {
          set({
            install: null,
            message: isCancellation(error)
              ? { kind: 'info', text: 'Cancelled. Downloaded ranges are kept: installing again resumes where this stopped.' }
              : { kind: 'error', text: messageOf(error) },
          });
          await get().refreshStored();
        }
      },

      dismissPlan() {
        set({ plan: { status: 'idle' } });
      },

      cancelInstall() {
        get().install?.cancel();
      },

      async refreshStored() {
        try {
          const [stored, storage] = await Promise.all([deps.convert.list(), deps.convert.estimate()]);
          set({ stored, storage });
        } catch (error) {
          set({ message: { kind: 'error', text: `Could not read stored models: ${messageOf(error)}` } });
        }
      },

      async removeStored(id) {
        try {
          await deps.convert.remove(id);
          if (get().active === id) set({ active: null });
        } catch (error) {
          set({ message: { kind: 'error', text: `Could not delete ${id}: ${messageOf(error)}` } });
        }
        await get().refreshStored();
      },

      async loadStored(id) {
        set({ active: id });
        await deps.loadBundle(storedBundleUrl(id));
      },

      async loadDemo() {
        set({ active: 'demo' });
        await deps.loadBundle(deps.demoBundleUrl);
      },

      async loadBundleUrl(url) {
        set({ active: null });
        await deps.loadBundle(url);
      },

      async openHubModel(ref) {
        set({ hubRepo: ref.revision === 'main' ? ref.repo : `${ref.repo}@${ref.revision}` });
        const storedId = await deps.convert.findStored(hubSource(ref), get().dtype).catch(() => undefined);
        if (storedId !== undefined) {
          await get().loadStored(storedId);
          return;
        }
        deps.showPanel();
        await get().planHub();
      },

      dismissMessage() {
        set({ message: null });
      },
    };
  });
}
