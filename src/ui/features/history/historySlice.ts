/**
 * The run history slice: every finished run is stored (IndexedDB) and listed; a run can be
 * re-opened (its clips and settings come back), deleted, or exported as one JSON with its WAVs.
 * The selected clip (`selectedClip`, in the URL as `clip=`) is what the Generate view plays.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { GenerateResponse, ModelInfo } from '../../../lab/workerApi';
import { clipsFromRun, releaseClips, type Clip } from '../../state/clips';
import type { GenerationSettings } from '../../state/settings';
import type { ClipRef } from '../url/experimentUrl';
import type { RunDatabase } from './runDatabase';
import { exportRun, newRunId, type RunAudio, type RunKind, type RunRecord } from './runRecord';
import { messageOf } from '../../../errorMessage';

export interface HistorySlice {
  /** Stored runs, newest first. */
  runs: RunRecord[];
  /** 'unavailable' when IndexedDB cannot be opened (runs then live only until a reload). */
  historyStatus: 'loading' | 'ready' | 'unavailable';
  selectedClip: ClipRef | null;
  /** The clip the Generate view plays (the selected one), once its audio is loaded. */
  clip: Clip | null;
  /** The clips of the last DecoderLens run made or opened. */
  lensClips: Clip[];

  refreshHistory(): Promise<void>;
  /** Shows a stored clip; `restoreSettings` also puts its run's prompt and settings in the form. */
  openClip(ref: ClipRef, options?: { restoreSettings?: boolean }): Promise<void>;
  /** No clip selected: the Generate view shows its empty state (lens clips stay). */
  clearSelection(): void;
  deleteRun(runId: string): Promise<void>;
  /** The run as one JSON document (record + base64 WAVs), for a download. */
  exportRun(runId: string): Promise<string | null>;
  /** Stores a finished job as a run and selects it (and takes note when the job moved the model to WASM). */
  recordRun(kind: RunKind, settings: GenerationSettings, model: { info: ModelInfo; bundleUrl: string }, response: GenerateResponse): Promise<void>;
}

/** What the slice needs from the rest of the store. */
interface HostState extends HistorySlice {
  settings: GenerationSettings;
  message: { kind: 'error' | 'info'; text: string } | null;
  adoptBackendChange(info: ModelInfo): void;
}


/** Rows of a batch may be views of one buffer; stored alone, each would clone the whole buffer. */
function ownBuffer(samples: Float32Array): Float32Array {
  return samples.byteOffset === 0 && samples.byteLength === samples.buffer.byteLength ? samples : samples.slice();
}

/** The clip of `clips` a reference means: its depth, or the deepest (the full model when present). */
function clipFor(clips: readonly Clip[], ref: ClipRef): Clip | null {
  if (ref.depth !== null) return clips.find((clip) => clip.depth === ref.depth) ?? null;
  return clips.reduce<Clip | null>((deepest, clip) => (!deepest || clip.depth > deepest.depth ? clip : deepest), null);
}

export function createHistorySlice<S extends HostState>(set: StoreApi<S>['setState'], get: () => S, database: Promise<RunDatabase> | null): HistorySlice {
  /** Runs whose audio only lives in memory (history unavailable): the current page's runs. */
  const unsaved = new Map<string, { record: RunRecord; audio: RunAudio }>();

  const patch = (partial: Partial<HostState>) => set(partial as Partial<S>);

  async function db(): Promise<RunDatabase | null> {
    if (!database) return null;
    try {
      return await database;
    } catch {
      return null;
    }
  }

  /** Replaces the shown clips, freeing the object URLs of clips no longer shown. */
  function show(clip: Clip | null, lensClips: Clip[]): void {
    const { clip: oldClip, lensClips: oldLens } = get();
    const kept = new Set([clip, ...lensClips]);
    releaseClips([oldClip, ...oldLens].filter((old): old is Clip => old !== null && !kept.has(old)));
    patch({ clip, lensClips });
  }

  function display(run: { record: RunRecord; audio: RunAudio }, ref: ClipRef): Clip | null {
    const clips = clipsFromRun(run.record, run.audio);
    const clip = clipFor(clips, ref);
    const lensClips = run.record.kind === 'lens' ? clips : get().lensClips;
    // Clips made here that are not shown are freed at once.
    releaseClips(clips.filter((c) => c !== clip && !lensClips.includes(c)));
    show(clip, lensClips);
    return clip;
  }

  return {
    runs: [],
    historyStatus: database ? 'loading' : 'unavailable',
    selectedClip: null,
    clip: null,
    lensClips: [],

    async refreshHistory() {
      const store = await db();
      if (!store) {
        patch({ historyStatus: 'unavailable' });
        return;
      }
      try {
        patch({ runs: await store.list(), historyStatus: 'ready' });
      } catch (error) {
        patch({ historyStatus: 'unavailable', message: { kind: 'error', text: `Run history could not be read: ${messageOf(error)}` } });
      }
    },

    async openClip(ref, { restoreSettings = false } = {}) {
      patch({ selectedClip: ref });
      const store = await db();
      let run = unsaved.get(ref.runId) ?? null;
      try {
        run ??= store ? await store.get(ref.runId) : null;
      } catch (error) {
        patch({ message: { kind: 'error', text: `Run ${ref.runId} could not be read from the history: ${messageOf(error)}` } });
        return;
      }
      if (get().selectedClip !== ref) return; // another clip was chosen meanwhile
      if (!run) {
        show(null, get().lensClips);
        patch({ message: { kind: 'info', text: `Run ${ref.runId} is not in this browser's history (made elsewhere, or deleted). Generate to make it again from the settings in the link.` } });
        return;
      }
      const clip = display(run, ref);
      if (!clip) patch({ message: { kind: 'info', text: `Run ${ref.runId} has no clip at depth ${ref.depth}.` } });
      if (restoreSettings) patch({ settings: run.record.settings });
    },

    clearSelection() {
      patch({ selectedClip: null });
      show(null, get().lensClips);
    },

    async deleteRun(runId) {
      unsaved.delete(runId);
      const store = await db();
      try {
        await store?.delete(runId);
      } catch (error) {
        patch({ message: { kind: 'error', text: `Run ${runId} could not be deleted: ${messageOf(error)}` } });
        return;
      }
      const { selectedClip, clip, lensClips } = get();
      patch({ runs: get().runs.filter((run) => run.id !== runId) });
      if (selectedClip?.runId === runId) patch({ selectedClip: null });
      show(clip?.runId === runId ? null : clip, lensClips[0]?.runId === runId ? [] : lensClips);
    },

    async exportRun(runId) {
      const store = await db();
      try {
        const run = unsaved.get(runId) ?? (store ? await store.get(runId) : null);
        if (run) return JSON.stringify(exportRun(run.record, run.audio));
        patch({ message: { kind: 'error', text: `Run ${runId} is not in the history.` } });
      } catch (error) {
        patch({ message: { kind: 'error', text: `Run ${runId} could not be exported: ${messageOf(error)}` } });
      }
      return null;
    },

    async recordRun(kind, settings, { info, bundleUrl }, response) {
      if (response.backendChange) get().adoptBackendChange(response.backendChange);
      const createdAt = Date.now();
      const record: RunRecord = {
        id: newRunId(createdAt),
        createdAt,
        kind,
        settings,
        depths: response.clips.map((clip) => clip.depth),
        model: { name: info.name, numLayers: info.numLayers, bundleUrl, dtype: info.dtype },
        backend: response.backend,
        backendDetail: response.backendChange?.backendDetail ?? info.backendDetail,
        sampleRate: response.sampleRate,
        frames: response.frames,
        elapsedMs: response.elapsedMs,
      };
      const audio: RunAudio = { runId: record.id, clips: response.clips.map((clip) => ({ depth: clip.depth, samples: ownBuffer(clip.samples) })) };
      const ref: ClipRef = { runId: record.id, depth: null };
      display({ record, audio }, ref);
      patch({ selectedClip: ref, runs: [record, ...get().runs] });
      const store = await db();
      if (!store) {
        unsaved.set(record.id, { record, audio });
        return;
      }
      try {
        await store.put(record, audio);
      } catch (error) {
        unsaved.set(record.id, { record, audio });
        patch({ message: { kind: 'error', text: `The run was not saved to the history (it stays until you reload): ${messageOf(error)}` } });
      }
    },
  };
}
