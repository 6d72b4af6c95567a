/** The study runner end to end on the tiny model and the tiny classifier, with an in-memory store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { listedConcept } from '../../../src/analysis/concepts/customConcept';
import { findStudyConcept } from '../../../src/analysis/concepts/studyConcepts';
import { allSites, siteHook } from '../../../src/analysis/interventions/kernel';
import { meansOf } from '../../../src/analysis/means/kernel';
import type { MeansSettings } from '../../../src/analysis/means/key';
import { computeMeans } from '../../../src/analysis/means/run';
import { runStudy, type StudyProgress, type StudyRequest, type StudyStore } from '../../../src/analysis/study/run';
import { nodeFolderLocation } from '../../../src/checkpoint/nodeFolderLocation';
import type { AudioClassifier } from '../../../src/classifier/audioClassifier';
import { loadClassifier } from '../../../src/classifier/loadClassifier';
import type { MusicgenEngine } from '../../../src/engine/engine';
import { tinyEngine, TINY_MODEL_DIR } from '../tinyEngine';

const settings: MeansSettings = { frames: 10, topK: 250, temperature: 1, guidanceScale: 3, greedy: false };

function memoryStore(): StudyStore & { data: Map<string, unknown>; puts: string[] } {
  const data = new Map<string, unknown>();
  const puts: string[] = [];
  return {
    data,
    puts,
    get: async (name) => structuredClone(data.get(name)),
    put: async (name, value) => {
      puts.push(name);
      data.set(name, structuredClone(value));
    },
  };
}

describe('runStudy on the tiny model', () => {
  let engine: MusicgenEngine;
  let classifier: AudioClassifier;
  const guitar = findStudyConcept('guitar')!;
  const piano = findStudyConcept('piano')!;

  beforeAll(async () => {
    engine = await tinyEngine();
    classifier = await loadClassifier(nodeFolderLocation(join(TINY_MODEL_DIR, '../classifiers/ast-tiny')), engine.runtime);
  });
  afterAll(async () => {
    await classifier.release();
    await engine.release();
  });

  const request = (store: StudyStore, extra: Partial<StudyRequest> = {}): StudyRequest => ({
    from: guitar, to: piano, prompts: 2, settings, seed: 42, modelId: 'tiny', classifierId: 'ast-tiny', budgetBytes: 2 ** 30, store,
    means: async (_concept, prompts) => meansOf(await computeMeans(engine, { prompts, hooks: allSites(engine.manifest.config.numLayers).map(siteHook), settings, seed: 42 })),
    ...extra,
  });

  it('gives layers × 3 × 2 finite sweep cells and NDCG per depth for both concepts', async () => {
    const L = engine.manifest.config.numLayers;
    const progress: StudyProgress[] = [];
    const result = await runStudy(engine, classifier, request(memoryStore(), { onProgress: (p) => progress.push(p) }));
    expect(result.sweep).toHaveLength(L * 3 * 2);
    for (const row of result.sweep) {
      expect(row).toMatchObject({ from: 'guitar', to: 'piano', n: 2 });
      for (const value of [row.effect, row.precision, row.effectStd, row.precisionStd]) expect(Number.isFinite(value)).toBe(true);
      expect(row.precision).toBeLessThanOrEqual(0);
    }
    expect(result.sweep.some((row) => row.effect !== 0)).toBe(true);
    expect(result.lens.map((r) => `${r.concept}:${r.depth}`)).toEqual([...[1, 2, 3, 4].map((d) => `guitar:${d}`), ...[1, 2, 3, 4].map((d) => `piano:${d}`)]);
    for (const row of result.lens) {
      expect(row.ndcg).toBeGreaterThan(0);
      expect(row.ndcg).toBeLessThanOrEqual(1);
    }
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(['means', 'lens', 'sweep']));
    expect(progress.at(-1)).toMatchObject({ done: progress.at(-1)!.total });
    expect(progress.some((p) => p.etaSeconds !== null)).toBe(true);
  });

  it('continues a killed run where it stopped and ends with the same numbers', async () => {
    const uninterrupted = await runStudy(engine, classifier, request(memoryStore()));
    const store = memoryStore();
    const controller = new AbortController();
    const killing: StudyStore = {
      get: store.get,
      put: async (name, value) => {
        await store.put(name, value);
        if (name === 'sweep/0') controller.abort(); // killed after the first sweep prompt
      },
    };
    await expect(runStudy(engine, classifier, request(killing, { signal: controller.signal }))).rejects.toThrow(/cancelled/);
    const before = store.puts.length;
    const resumed = await runStudy(engine, classifier, request(store));
    expect(store.puts.slice(before)).toEqual(['run', 'sweep/1']); // only what was missing
    expect(resumed.sweep).toEqual(uninterrupted.sweep);
    expect(resumed.lens).toEqual(uninterrupted.lens);
  });

  it('refuses a store that holds another run, and a pair of the same concept', async () => {
    const store = memoryStore();
    await store.put('run', { model: 'tiny', classifier: 'ast-tiny', from: { id: 'guitar', labels: [140], promptSet: 'other' }, to: { id: 'piano', labels: [153], promptSet: 'other' }, prompts: 3, settings, seed: 42 });
    await expect(runStudy(engine, classifier, request(store))).rejects.toThrow(/holds a study with other settings/);
    await expect(runStudy(engine, classifier, request(memoryStore(), { to: guitar }))).rejects.toThrow(/both "guitar"/);
  });

  it('keys a run by its concepts\' prompts and labels, so an edited custom concept of the same name is not resumed', async () => {
    const store = memoryStore();
    const mine = (prompts: string[], labels: number[]) => listedConcept({ name: 'mine', prompts, labels });
    const cancelled = new AbortController();
    cancelled.abort();
    // The key is stored before any work; the cancelled run stops right after it.
    await expect(runStudy(engine, classifier, request(store, { to: mine(['a rock piece', 'a pop song'], [137]), signal: cancelled.signal }))).rejects.toThrow(/cancelled/);
    expect(store.data.get('run')).toMatchObject({ to: { id: 'mine', labels: [137] } });
    await expect(runStudy(engine, classifier, request(store, { to: mine(['a rock piece', 'a jazz song'], [137]) }))).rejects.toThrow(/holds a study with other settings/);
    await expect(runStudy(engine, classifier, request(store, { to: mine(['a rock piece', 'a pop song'], [138]) }))).rejects.toThrow(/holds a study with other settings/);
  });
});
