/**
 * The Interventions feature's zustand store: the concepts slice plus means (status, compute with
 * progress/ETA/cancel/resume, export, import), the sweep (worker sweep per prompt, then the
 * classifier worker, then the study's metrics), single interventions, and the A/B selection.
 * The model and the sampling settings come from the lab store; all heavy work runs in workers.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { conceptPrompts, firstRelevantLabel, type Concept } from '../../../analysis/concepts/concept';
import type { InterventionMethod, Site } from '../../../analysis/interventions/kernel';
import { effect, precision } from '../../../analysis/metrics/kernel';
import { estimateEta, formatProgress, type RunProgress } from '../../../analysis/means/progress';
import { CLASSIFIER_INPUT_RATE, type ClassifierWorkerClient } from '../../../lab/classifierApi';
import type { InterventionsClient, MeansRequest, MeansStatus } from '../../../lab/interventionsApi';
import { isCancellation, type EngineWorkerClient, type RunningJob } from '../../../lab/workerApi';
import { lensPromptMetrics, summarizeLens, type LensRow } from '../../../analysis/study/kernel';
import type { Clip } from '../../state/clips';
import { releaseClips } from '../../state/clips';
import type { LabStore } from '../../state/labStore';
import { newRunId, type RunRecord } from '../history/runRecord';
import { framesForSeconds } from '../../state/settings';
import { conceptById, conceptChoiceProblem, createConceptsSlice, type ConceptsSlice, type ConceptStorage } from '../concepts/conceptsSlice';
import { clipFromSamples } from './clipAudio';
import { isCurrentRecord, pairIdOf, type StoredSweep, type SweepResultsDatabase } from './resultsDatabase';
import { MODULE_NAMES, sweepTable, type CellKey, type PromptSweepLogits } from './sweepMetrics';
import { cancelJob } from '../../state/cancelJob';

export type InterventionsEngine = Pick<InterventionsClient, 'meansStatus' | 'computeMeans' | 'exportMeans' | 'importMeans' | 'sweep' | 'intervene'>;
export type ClassifierBridge = Pick<ClassifierWorkerClient, 'load' | 'classify'>;
/** DecoderLens generation (every depth in one batch) for the recognisability curve. */
export type LensBridge = Pick<EngineWorkerClient, 'generate'>;

export type InterventionsJobKind = 'means' | 'classifier' | 'sweep' | 'classify' | 'intervene' | 'lens';

export interface InterventionsJob {
  jobId: number;
  kind: InterventionsJobKind;
  /** What runs, e.g. "guitar means" or "sweep, prompt 1/2". */
  title: string;
  progress: RunProgress | null;
  cancelling: boolean;
  cancel(): void;
}

export interface ABPair {
  title: string;
  original: Clip;
  intervened: Clip;
  /** Start the intervened clip as soon as it can play (a cell click asked to hear it). */
  autoplay: boolean;
}

export interface SingleResult extends ABPair {
  effect: number;
  precision: number;
}

export interface InterventionsState extends ConceptsSlice {
  /** Means of the chosen concepts under the current settings, by concept id (null: asking the worker). */
  meansStatus: Record<string, MeansStatus | null>;
  job: InterventionsJob | null;
  error: string | null;
  info: string | null;
  /** Prompts of the original concept to sweep (its first k); 1 gives one prompt, as a quick look. */
  sweepPromptCount: number;
  branches: 'cond' | 'both';
  /** EnCodec frames [start, end) to intervene on; null = the whole clip. */
  frameWindow: [number, number] | null;
  classifierSource: string;
  /** Also measure DecoderLens recognisability (NDCG per depth) of both concepts with the sweep. */
  measureLens: boolean;
  /** The sweep shown: the last one of the current concept pair (from IndexedDB after a reload). */
  sweep: StoredSweep | null;
  selectedCell: CellKey | null;
  /** The A/B pair playing (a sweep cell or the single intervention). */
  ab: ABPair | null;
  method: InterventionMethod;
  sites: Site[];
  alpha: number;
  single: SingleResult | null;

  refreshMeans(): Promise<void>;
  computeMeans(): Promise<void>;
  exportMeans(conceptId: string): Promise<{ bytes: Uint8Array; fileName: string } | null>;
  importMeans(file: { name: string; arrayBuffer(): Promise<ArrayBuffer> }): Promise<void>;
  runSweep(): Promise<void>;
  runIntervention(): Promise<void>;
  loadStoredSweep(): Promise<void>;
  selectCell(cell: CellKey): void;
  cancel(): void;
  setSweepPromptCount(count: number): void;
  setBranches(branches: 'cond' | 'both'): void;
  setFrameWindow(window: [number, number] | null): void;
  setClassifierSource(source: string): void;
  setMeasureLens(measure: boolean): void;
  setMethod(method: InterventionMethod): void;
  toggleSite(site: Site): void;
  setSites(sites: Site[]): void;
  setAlpha(alpha: number): void;
  dismiss(): void;
}

export type InterventionsStore = StoreApi<InterventionsState>;

export interface InterventionsDeps {
  engine: InterventionsEngine;
  lensEngine: LensBridge;
  classifier: ClassifierBridge;
  lab: LabStore;
  results: SweepResultsDatabase;
  conceptStorage: ConceptStorage | null;
  /** The classifier for a model: the bundled tiny one for the demo model, AST otherwise. */
  defaultClassifierSource(modelName: string | null): string;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Thrown to stop a multi-step action after a job was cancelled or failed (its message is already shown). */
class Stopped extends Error {}

export function createInterventionsStore(deps: InterventionsDeps): InterventionsStore {
  const { engine, lensEngine, classifier, lab, results } = deps;
  let loadedClassifier: string | null = null;

  return createStore<InterventionsState>()((set, get, api) => {
    /** Runs one worker job with progress and cancel. Cancel or failure: message shown, then Stopped. */
    async function runJob<T>(kind: InterventionsJobKind, title: string, start: (onProgress: (progress: RunProgress) => void) => RunningJob<T>): Promise<T> {
      const running = start((progress) => {
        const current = get().job;
        if (current?.jobId === running.jobId) set({ job: { ...current, progress } });
      });
      set({
        error: null,
        info: null,
        job: {
          jobId: running.jobId,
          kind,
          title,
          progress: null,
          cancelling: false,
          cancel: cancelJob(() => get().job, (job) => set({ job }), running),
        },
      });
      try {
        return await running.result;
      } catch (error) {
        if (isCancellation(error)) set({ info: `${title}: cancelled.` });
        else set({ error: `${title} failed: ${messageOf(error)}` });
        throw new Stopped();
      } finally {
        set({ job: null });
      }
    }

    function concepts(): { from: Concept; to: Concept } | null {
      const state = get();
      const problem = conceptChoiceProblem(state);
      if (problem) {
        set({ error: problem });
        return null;
      }
      return { from: conceptById(state, state.fromId)!, to: conceptById(state, state.toId)! };
    }

    function meansRequest(concept: Concept): MeansRequest {
      const { settings } = lab.getState();
      const { promptCount, seconds } = get();
      return {
        prompts: conceptPrompts(concept, promptCount),
        frames: framesForSeconds(seconds),
        seed: settings.seed,
        topK: settings.topK,
        temperature: settings.temperature,
        guidanceScale: settings.guidanceScale,
      };
    }

    function modelReady(): boolean {
      if (lab.getState().model.status === 'ready') return true;
      set({ error: 'The model is not loaded yet.' });
      return false;
    }

    /** How a clip of this feature was made, in the history's terms (shown by the players). */
    function runRecord(prompt: string, frames: number, sampleRate: number, elapsedMs: number): RunRecord {
      const { model, settings } = lab.getState();
      if (model.status !== 'ready') throw new Error('the model was unloaded during the run');
      const { info } = model;
      return {
        id: newRunId(Date.now()),
        createdAt: Date.now(),
        kind: 'generate',
        settings: { ...settings, prompt, seconds: get().seconds },
        depths: [info.numLayers],
        model: { name: info.name, numLayers: info.numLayers, bundleUrl: model.bundleUrl, dtype: info.dtype },
        backend: info.backend,
        backendDetail: info.backendDetail,
        sampleRate,
        frames,
        elapsedMs,
      };
    }

    function busy(): boolean {
      return get().job !== null;
    }

    async function ensureClassifier(): Promise<void> {
      const source = get().classifierSource.trim();
      if (source === '') {
        set({ error: 'Name a classifier (a folder URL or hf:owner/name).' });
        throw new Stopped();
      }
      if (loadedClassifier === source) return;
      await runJob('classifier', 'Loading the classifier', (onProgress) =>
        classifier.load({ source: new URL(source, globalThis.location?.href ?? 'http://localhost/').href, backend: 'auto' }, (p) =>
          onProgress({ done: p.loadedBytes, total: p.totalBytes, etaSeconds: null, label: `bytes of ${p.file}` }),
        ),
      );
      loadedClassifier = source;
    }

    /** Each clip's logits [527] and softmax probabilities [527]. */
    async function classify(title: string, clips: Float32Array[]): Promise<{ logits: Float32Array; probabilities: Float64Array }[]> {
      const started = performance.now();
      const response = await runJob('classify', title, (onProgress) =>
        classifier.classify({ clips, sampleRate: CLASSIFIER_INPUT_RATE }, (p) =>
          onProgress({ done: p.done, total: p.total, etaSeconds: estimateEta(p.done, p.total - p.done, (performance.now() - started) / 1000), label: 'clips classified' }),
        ),
      );
      return response.clips;
    }

    /**
     * The study's recognisability curve: each prompt generated at every depth 1..L in one batch,
     * classified, NDCG of the ranking against the concept's relevant labels, averaged over prompts.
     */
    async function measureRecognisability(concepts: readonly Concept[], promptsEach: number, numLayers: number): Promise<LensRow[]> {
      const { settings } = lab.getState();
      const depths = Array.from({ length: numLayers }, (_, i) => i + 1);
      const rows: LensRow[] = [];
      for (const concept of concepts) {
        const results = [];
        for (const [index, prompt] of conceptPrompts(concept, promptsEach).entries()) {
          const title = `DecoderLens, ${concept.name}${promptsEach > 1 ? ` (prompt ${index + 1}/${promptsEach})` : ''}`;
          const started = performance.now();
          const response = await runJob('lens', title, (onProgress) =>
            lensEngine.generate(
              { prompt, frames: framesForSeconds(get().seconds), seed: settings.seed, topK: settings.topK, temperature: settings.temperature, guidanceScale: settings.guidanceScale, depths },
              ({ step, steps }) => onProgress({ done: step, total: steps, etaSeconds: estimateEta(step, steps - step, (performance.now() - started) / 1000), label: 'steps' }),
            ),
          );
          const classified = await classify(`Classifying ${title}`, response.clips.map((clip) => clip.samples)); // depth 1 first
          const classes = classified[0].logits.length;
          const logits = new Float32Array(classified.length * classes); // [depths, classes]
          classified.forEach((clip, i) => logits.set(clip.logits, i * classes));
          results.push(lensPromptMetrics(concept.id, index, logits, classes, concept.relevantLabels));
        }
        rows.push(...summarizeLens(concept.id, numLayers, results));
      }
      return rows;
    }

    /** Shows an A/B pair, freeing the previous one's audio (the single intervention keeps its own). */
    function showAB(pair: ABPair | null): void {
      const previous = get().ab;
      if (previous && previous !== get().single) releaseClips([previous.original, previous.intervened]);
      set({ ab: pair });
    }

    return {
      ...createConceptsSlice<InterventionsState>(deps.conceptStorage)(set, get, api),
      meansStatus: {},
      job: null,
      error: null,
      info: null,
      sweepPromptCount: 1,
      branches: 'cond',
      frameWindow: null,
      classifierSource: deps.defaultClassifierSource(null),
      measureLens: true,
      sweep: null,
      selectedCell: null,
      ab: null,
      method: 'replace',
      sites: [],
      alpha: 1,
      single: null,

      async refreshMeans() {
        const state = get();
        if (lab.getState().model.status !== 'ready' || conceptChoiceProblem(state)) return;
        const pair = [conceptById(state, state.fromId)!, conceptById(state, state.toId)!];
        set({ meansStatus: Object.fromEntries(pair.map((concept) => [concept.id, null])) });
        try {
          const statuses = await Promise.all(pair.map((concept) => engine.meansStatus(meansRequest(concept))));
          // Apply only if the choice did not change meanwhile.
          if (get().fromId === pair[0].id && get().toId === pair[1].id) set({ meansStatus: Object.fromEntries(pair.map((concept, i) => [concept.id, statuses[i]])) });
        } catch (error) {
          set({ error: `Could not read the stored means: ${messageOf(error)}` });
        }
      },

      async computeMeans() {
        if (busy() || !modelReady()) return;
        const pair = concepts();
        if (!pair) return;
        try {
          for (const concept of [pair.from, pair.to]) {
            const status = await runJob('means', `${concept.name} means`, (onProgress) => engine.computeMeans(meansRequest(concept), onProgress));
            set({ meansStatus: { ...get().meansStatus, [concept.id]: status } });
          }
          set({ info: `Means of ${pair.from.name} and ${pair.to.name} are ready.` });
        } catch (error) {
          if (!(error instanceof Stopped)) set({ error: messageOf(error) });
        }
        // A cancelled run kept its finished batches: show how many.
        await get().refreshMeans();
        const kept = [pair.from, pair.to].map((c) => get().meansStatus[c.id]).find((s) => s?.state === 'partial');
        if (kept && get().info?.endsWith('cancelled.')) set({ info: `${get().info} ${kept.count} of ${kept.total} prompts are kept; Compute resumes from there.` });
      },

      async exportMeans(conceptId) {
        const status = get().meansStatus[conceptId];
        if (!status || status.state === 'none') {
          set({ error: 'Compute these means before exporting them.' });
          return null;
        }
        try {
          const bytes = await engine.exportMeans(status.keyId);
          const partial = status.state === 'partial' ? `-partial-${status.count}` : '';
          return { bytes, fileName: `${conceptId}-means-${status.total}p-${get().seconds}s-${status.keyId}${partial}.safetensors` };
        } catch (error) {
          set({ error: `Export failed: ${messageOf(error)}` });
          return null;
        }
      },

      async importMeans(file) {
        if (!modelReady()) return;
        try {
          const imported = await engine.importMeans(new Uint8Array(await file.arrayBuffer()), file.name);
          await get().refreshMeans();
          const matches = Object.entries(get().meansStatus).find(([, status]) => status?.keyId === imported.keyId);
          const what = `${imported.count} of ${imported.total} prompts, ${imported.settings.frames} frames, seed ${imported.settings.seed}`;
          set({
            error: null,
            info: matches
              ? `Imported ${file.name} (${what}): the means of "${conceptById(get(), matches[0])?.name}".`
              : `Imported ${file.name} (${what}). It matches neither chosen concept with these settings; choose the concept, prompt count and seconds it was made with.`,
          });
        } catch (error) {
          set({ error: `Cannot import ${file.name}: ${messageOf(error).replace(`${file.name}: `, '')}` });
        }
      },

      async runSweep() {
        if (busy() || !modelReady()) return;
        const pair = concepts();
        if (!pair) return;
        const { meansStatus, sweepPromptCount, promptCount, branches, frameWindow } = get();
        const from = meansStatus[pair.from.id];
        const to = meansStatus[pair.to.id];
        if (from?.state !== 'done' || to?.state !== 'done') {
          set({ error: `Compute the means of ${pair.from.name} and ${pair.to.name} first.` });
          return;
        }
        if (!Number.isInteger(sweepPromptCount) || sweepPromptCount < 1 || sweepPromptCount > promptCount) {
          set({ error: `Prompts to sweep must be a whole number in 1–${promptCount}.` });
          return;
        }
        const prompts = conceptPrompts(pair.from, sweepPromptCount);
        const model = lab.getState().model;
        const modelName = model.status === 'ready' ? model.info.name : '';
        const numLayers = model.status === 'ready' ? model.info.numLayers : 0;
        try {
          await ensureClassifier();
          const swept: PromptSweepLogits[] = [];
          let firstClips: Pick<StoredSweep, 'run' | 'sampleRate' | 'baseline' | 'cells'> | null = null;
          for (const [index, prompt] of prompts.entries()) {
            const tag = prompts.length > 1 ? ` (prompt ${index + 1}/${prompts.length})` : '';
            const response = await runJob('sweep', `Sweep${tag}`, (onProgress) =>
              engine.sweep({ prompt, fromKeyId: from.keyId, toKeyId: to.keyId, branches, ...(frameWindow ? { frameWindow } : {}) }, onProgress),
            );
            const classified = await classify(`Classifying the sweep${tag}`, [response.baseline.samples, ...response.cells.map((cell) => cell.samples)]);
            swept.push({ baseline: classified[0].logits, cells: response.cells.map((cell, i) => ({ method: cell.method, layer: cell.layer, module: cell.module, logits: classified[i + 1].logits })) });
            firstClips ??= {
              run: runRecord(prompt, response.frames, response.sampleRate, response.elapsedMs),
              sampleRate: response.sampleRate,
              baseline: response.baseline.samples,
              cells: response.cells.map(({ method, layer, module, samples }) => ({ method, layer, module, samples })),
            };
          }
          const table = sweepTable(swept, {
            fromId: pair.from.id,
            toId: pair.to.id,
            fromLabel: firstRelevantLabel(pair.from),
            toLabel: firstRelevantLabel(pair.to),
            numLayers,
            promptTexts: prompts,
          });
          const lens = get().measureLens ? await measureRecognisability([pair.from, pair.to], prompts.length, numLayers) : null;
          const record: StoredSweep = { pairId: pairIdOf(pair.from.id, pair.to.id), table, ...firstClips!, lens, modelName, savedAt: new Date().toISOString() };
          set({ sweep: record, selectedCell: null, info: `Sweep done: ${table.rows.length} interventions on ${prompts.length} prompt(s). Click a cell to hear it next to the original.` });
          showAB(null);
          try {
            await results.put(record);
          } catch (error) {
            set({ error: `The sweep is shown but could not be saved for the next visit: ${messageOf(error)}` });
          }
        } catch (error) {
          if (!(error instanceof Stopped)) set({ error: `Sweep failed: ${messageOf(error)}` });
        }
      },

      async runIntervention() {
        if (busy() || !modelReady()) return;
        const pair = concepts();
        if (!pair) return;
        const { meansStatus, method, sites, branches, frameWindow, alpha } = get();
        const from = meansStatus[pair.from.id];
        const to = meansStatus[pair.to.id];
        if (to?.state !== 'done' || (method !== 'replace' && from?.state !== 'done')) {
          set({ error: `Compute the means of ${method === 'replace' ? pair.to.name : `${pair.from.name} and ${pair.to.name}`} first.` });
          return;
        }
        if (sites.length === 0) {
          set({ error: 'Choose at least one site (layer × module) to intervene on.' });
          return;
        }
        if (method === 'steer' && !Number.isFinite(alpha)) {
          set({ error: 'α must be a number.' });
          return;
        }
        const prompt = conceptPrompts(pair.from, 1)[0];
        try {
          await ensureClassifier();
          const response = await runJob('intervene', `${method[0].toUpperCase()}${method.slice(1)}`, (onProgress) =>
            engine.intervene(
              { prompt, method, sites, branches, ...(frameWindow ? { frameWindow } : {}), ...(method === 'steer' ? { alpha } : {}), fromKeyId: method === 'replace' ? undefined : from!.keyId, toKeyId: to.keyId },
              onProgress,
            ),
          );
          const [before, after] = (await classify('Classifying', [response.original.samples, response.intervened.samples])).map((clip) => clip.probabilities);
          const siteText = sites.map((s) => `${s.layer}.${s.module}`).join(', ');
          const previous = get().single;
          if (previous) releaseClips([previous.original, previous.intervened]);
          const run = runRecord(prompt, response.frames, response.sampleRate, response.elapsedMs);
          const single: SingleResult = {
            title: `${method}${method === 'steer' ? ` α=${alpha}` : ''} at ${siteText}`,
            original: clipFromSamples(response.original.samples, run, 'original', `${pair.from.id}-original`),
            intervened: clipFromSamples(response.intervened.samples, run, `${method} ${pair.from.name} → ${pair.to.name}`, `${pair.from.id}-to-${pair.to.id}-${method}`),
            autoplay: false,
            effect: effect(before, after, firstRelevantLabel(pair.from), firstRelevantLabel(pair.to)),
            precision: precision(before, after),
          };
          showAB(single);
          set({ single, selectedCell: null });
        } catch (error) {
          if (!(error instanceof Stopped)) set({ error: `Intervention failed: ${messageOf(error)}` });
        }
      },

      async loadStoredSweep() {
        const { fromId, toId } = get();
        try {
          const stored = await results.get(pairIdOf(fromId, toId));
          const record = isCurrentRecord(stored) ? stored : undefined;
          if (get().fromId !== fromId || get().toId !== toId) return;
          if (get().sweep?.pairId !== record?.pairId || !record) {
            showAB(null);
            set({ sweep: record ?? null, selectedCell: null });
          }
        } catch (error) {
          set({ error: `Could not read saved sweeps: ${messageOf(error)}` });
        }
      },

      selectCell(cell) {
        const { sweep } = get();
        if (!sweep) return;
        const audio = sweep.cells.find((c) => c.method === cell.method && c.layer === cell.layer && c.module === cell.module);
        if (!audio) return;
        const from = conceptById(get(), sweep.table.fromId)?.name ?? sweep.table.fromId;
        const to = conceptById(get(), sweep.table.toId)?.name ?? sweep.table.toId;
        const where = `layer ${cell.layer} ${MODULE_NAMES[cell.module]}`;
        const stem = `${sweep.table.fromId}-to-${sweep.table.toId}-${cell.method}-L${cell.layer}-${cell.module}`;
        set({ selectedCell: cell });
        showAB(
          {
            title: `${cell.method} ${from} → ${to} at ${where}`,
            original: clipFromSamples(sweep.baseline, sweep.run, 'original', `${sweep.table.fromId}-original`),
            intervened: clipFromSamples(audio.samples, sweep.run, `${cell.method} at ${where}`, stem),
            autoplay: true,
          },
        );
      },

      cancel() {
        get().job?.cancel();
      },

      setSweepPromptCount: (sweepPromptCount) => set({ sweepPromptCount }),
      setBranches: (branches) => set({ branches }),
      setFrameWindow: (frameWindow) => set({ frameWindow }),
      setClassifierSource: (classifierSource) => set({ classifierSource }),
      setMeasureLens: (measureLens) => set({ measureLens }),
      setMethod: (method) => set({ method }),
      toggleSite(site) {
        const { sites } = get();
        const has = sites.some((s) => s.layer === site.layer && s.module === site.module);
        set({ sites: has ? sites.filter((s) => !(s.layer === site.layer && s.module === site.module)) : [...sites, site].sort((a, b) => a.layer - b.layer || a.module.localeCompare(b.module)) });
      },
      setSites: (sites) => set({ sites }),
      setAlpha: (alpha) => set({ alpha }),
      dismiss: () => set({ error: null, info: null }),
    };
  });
}

/** The running job's progress line, e.g. "guitar means: 3/10 prompts (batch 1/1) ETA 12 s". */
export function jobLine(job: InterventionsJob): string {
  return job.progress ? `${job.title}: ${formatProgress(job.progress)}` : `${job.title}: starting…`;
}
