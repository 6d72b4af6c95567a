/**
 * The headless study (the paper's two experiments for one concept pair): concept means of both
 * concepts, DecoderLens recognisability per depth for both, and the replace/adjust sweep over
 * every site for each of the original concept's prompts, scored by an audio classifier. Every
 * prompt's result goes to the store as soon as it exists, so a killed run continues where it
 * stopped; results are averaged over prompts at the end (and whenever asked).
 */
import type { Concept } from '../concepts/concept';
import { conceptPrompts, firstRelevantLabel } from '../concepts/concept';
import { promptSetHash } from '../concepts/promptSetHash';
import { throwIfAborted } from '../../engine/loadedModel';
import { chunkRanges } from '../interventions/rowMemory';
import type { MeansByHook } from '../interventions/kernel';
import { runSweep, sweepRowsPerChunk } from '../interventions/run';
import { sweepCells } from '../interventions/sweep';
import { canonicalJson, type MeansSettings } from '../means/key';
import { estimateEta, type RunProgress } from '../means/progress';
import type { GeneratingEngine } from '../means/run';
import { lensPromptMetrics, summarizeLens, summarizeSweep, sweepPromptMetrics, type LensPromptResult, type LensRow, type SweepPromptResult, type SweepRow } from './kernel';

/** What the study needs of the engine: generation and EnCodec decoding. */
export interface StudyEngine extends GeneratingEngine {
  decodeAudio(codes: readonly Int32Array[], frames: number): Promise<Float32Array[]>;
}

/** What it needs of the classifier (AudioClassifier): logits [clips, classes] of 32 kHz clips. */
export interface StudyClassifier {
  readonly classes: number;
  classify(clips32k: readonly Float32Array[], options?: { signal?: AbortSignal }): Promise<Float32Array>;
}

/** Where per-prompt results live between runs (the CLI: JSON files in --out). */
export interface StudyStore {
  get(name: string): Promise<unknown>;
  put(name: string, value: unknown): Promise<void>;
}

export type StudyPhase = 'means' | 'lens' | 'sweep';

export interface StudyProgress extends RunProgress {
  phase: StudyPhase;
}

export interface StudyRequest {
  from: Concept; // the original concept (its prompts are intervened on)
  to: Concept; // the desired concept
  prompts: number; // per concept
  settings: MeansSettings;
  seed: number;
  /** Identities that make stored results reusable: the bundle digest and the classifier's. */
  modelId: string;
  classifierId: string;
  budgetBytes: number;
  /** Means of a concept's prompts, at every module output; reports prompts done. */
  means(concept: Concept, prompts: readonly string[], onProgress: (done: number) => void): Promise<MeansByHook>;
  store: StudyStore;
  signal?: AbortSignal;
  onProgress?: (progress: StudyProgress) => void;
}

export interface StudyResult {
  run: StudyRunKey;
  lens: LensRow[];
  sweep: SweepRow[];
  lensPrompts: LensPromptResult[];
  sweepPrompts: SweepPromptResult[];
}

/** A concept as far as results depend on it: a custom concept can keep its name and change. */
export interface ConceptKey {
  id: string;
  labels: readonly number[];
  promptSet: string; // promptSetHash of the prompts used
}

export interface StudyRunKey {
  model: string;
  classifier: string;
  from: ConceptKey;
  to: ConceptKey;
  prompts: number;
  settings: MeansSettings;
  seed: number;
}

/** Clips decoded and classified per group: bounds the audio held at once. */
const CLIPS_PER_GROUP = 8;

async function classifyCodes(engine: StudyEngine, classifier: StudyClassifier, codes: readonly Int32Array[], frames: number, signal?: AbortSignal): Promise<Float32Array> {
  const logits = new Float32Array(codes.length * classifier.classes); // [clips, classes]
  for (const [start, end] of chunkRanges(codes.length, CLIPS_PER_GROUP)) {
    throwIfAborted(signal, 'study');
    const audio = await engine.decodeAudio(codes.slice(start, end), frames); // per clip [samples]
    logits.set(await classifier.classify(audio, { signal }), start * classifier.classes);
  }
  return logits;
}

/** DecoderLens of one prompt: every depth (in chunks that fit the budget), codes per depth 1..L. */
async function lensCodes(engine: StudyEngine, prompt: string, request: StudyRequest): Promise<Int32Array[]> {
  const L = engine.manifest.config.numLayers;
  const codes: Int32Array[] = [];
  for (const [start, end] of chunkRanges(L, sweepRowsPerChunk(engine, request.settings.frames, request.budgetBytes))) {
    const { settings } = request;
    const result = await engine.generate({
      prompts: [prompt],
      rows: Array.from({ length: end - start }, (_, i) => ({ prompt: 0, depth: start + i + 1 })),
      frames: settings.frames, seed: request.seed, topK: settings.topK, temperature: settings.temperature, guidanceScale: settings.guidanceScale, greedy: settings.greedy,
      signal: request.signal,
    });
    codes.push(...result.rows.map((row) => row.codes));
  }
  return codes;
}

export async function runStudy(engine: StudyEngine, classifier: StudyClassifier, request: StudyRequest): Promise<StudyResult> {
  const { from, to, store, settings, seed } = request;
  if (from.id === to.id) throw new Error(`--from and --to are both "${from.id}": pick two different concepts`);
  const L = engine.manifest.config.numLayers;
  const N = request.prompts;
  const fromPrompts = conceptPrompts(from, N);
  const toPrompts = conceptPrompts(to, N);
  const conceptKey = async (concept: Concept, prompts: readonly string[]): Promise<ConceptKey> => ({ id: concept.id, labels: concept.relevantLabels, promptSet: await promptSetHash(prompts) });
  const run: StudyRunKey = { model: request.modelId, classifier: request.classifierId, from: await conceptKey(from, fromPrompts), to: await conceptKey(to, toPrompts), prompts: N, settings, seed };
  const saved = await store.get('run');
  if (saved !== undefined && canonicalJson(saved) !== canonicalJson(run)) {
    throw new Error('this output folder holds a study with other settings (model, classifier, concepts and their prompts or labels, prompts, seconds or sampling); use another --out or empty it');
  }
  await store.put('run', run);

  const cells = sweepCells(L);
  // Progress in generated rows: means 1 per prompt, lens L per prompt, sweep 6L + 1 per prompt.
  const total = 2 * N + 2 * N * L + N * (cells.length + 1);
  let done = 0;
  let doneThisRun = 0;
  const started = performance.now();
  const report = (phase: StudyPhase, label: string, extra = 0) =>
    request.onProgress?.({ phase, done: Math.floor(done + extra), total, label, etaSeconds: estimateEta(doneThisRun + extra, total - done - extra, (performance.now() - started) / 1000) });
  const advance = (rows: number, ranNow: boolean) => {
    done += rows;
    if (ranNow) doneThisRun += rows;
  };

  // 1. Means of both concepts (resumable by the provider).
  const means = new Map<string, MeansByHook>();
  for (const [concept, prompts] of [[from, fromPrompts], [to, toPrompts]] as const) {
    throwIfAborted(request.signal, 'study');
    const before = done;
    means.set(concept.id, await request.means(concept, prompts, (prompt) => report('means', `means of ${concept.name}`, prompt)));
    done = before + N;
    doneThisRun += N; // resumed means finish at once; counting them keeps the ETA cautious
    report('means', `means of ${concept.name} done`);
  }

  // 2. DecoderLens recognisability of both concepts.
  const lensPrompts: LensPromptResult[] = [];
  for (const [concept, prompts] of [[from, fromPrompts], [to, toPrompts]] as const) {
    for (let p = 0; p < N; p++) {
      throwIfAborted(request.signal, 'study');
      const name = `lens/${concept.id}/${p}`;
      let result = (await store.get(name)) as LensPromptResult | undefined;
      if (!result) {
        report('lens', `DecoderLens of ${concept.name}, prompt ${p + 1}/${N}`);
        const codes = await lensCodes(engine, prompts[p], request);
        const logits = await classifyCodes(engine, classifier, codes, settings.frames, request.signal);
        result = lensPromptMetrics(concept.id, p, logits, classifier.classes, concept.relevantLabels);
        await store.put(name, result);
        advance(L, true);
      } else advance(L, false);
      lensPrompts.push(result);
    }
  }

  // 3. The sweep over every site × {replace, adjust}, for each of the original concept's prompts.
  const sweepPrompts: SweepPromptResult[] = [];
  for (let p = 0; p < N; p++) {
    throwIfAborted(request.signal, 'study');
    const name = `sweep/${p}`;
    let result = (await store.get(name)) as SweepPromptResult | undefined;
    if (!result) {
      const sweep = await runSweep(engine, {
        prompt: fromPrompts[p], settings, seed, from: means.get(from.id)!, to: means.get(to.id)!, budgetBytes: request.budgetBytes, signal: request.signal,
        onProgress: (progress) => report('sweep', `sweep, prompt ${p + 1}/${N}: ${progress.label}`, progress.done),
      });
      const logits = await classifyCodes(engine, classifier, [sweep.baseline, ...sweep.cells.map((c) => c.codes)], settings.frames, request.signal); // [1 + cells, classes]
      const classes = classifier.classes;
      result = sweepPromptMetrics(p, logits.subarray(0, classes), logits.subarray(classes), classes, firstRelevantLabel(from), firstRelevantLabel(to));
      await store.put(name, result);
      advance(cells.length + 1, true);
    } else advance(cells.length + 1, false);
    sweepPrompts.push(result);
    report('sweep', `sweep, prompt ${p + 1}/${N} done`);
  }

  return {
    run,
    lens: [...summarizeLens(from.id, L, lensPrompts.filter((r) => r.concept === from.id)), ...summarizeLens(to.id, L, lensPrompts.filter((r) => r.concept === to.id))],
    sweep: summarizeSweep(from.id, to.id, cells, sweepPrompts),
    lensPrompts,
    sweepPrompts,
  };
}
