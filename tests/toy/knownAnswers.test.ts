/**
 * The toy model's known answers, found by the lab's own engine (DecoderLens depths, patches,
 * captures) and metric kernels, scored by the toy classifier: a method that works must find the
 * mechanism written in models/toy/manifest.json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effect, ndcg } from '../../src/analysis/metrics/kernel';
import { findStudyConcept } from '../../src/analysis/concepts/studyConcepts';
import { templatePrompts } from '../../src/analysis/concepts/promptTemplate';
import { resolveLabel } from '../../src/analysis/concepts/labelLookup';
import { runLayerSimilarity } from '../../src/analysis/similarity/run';
import type { PatchableHookName } from '../../src/engine/hooks';
import type { PatchSpec } from '../../src/engine/types';
import { FRAMES, loadToyHarness, type ToyHarness } from './toyHarness';

const GUITAR = resolveLabel('Guitar');
const PIANO = resolveLabel('Piano');
const INSTRUMENT_CONCEPTS = ['guitar', 'piano', 'trumpet', 'violin'].map((id) => findStudyConcept(id)!);

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Mean of captured activations [steps, 2, d] over rows. */
function meanCapture(captures: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(captures[0].length);
  for (const c of captures) for (let i = 0; i < out.length; i++) out[i] += c[i] / captures.length;
  return out;
}

const log = (message: string) => console.log(`[toy] ${message}`);

describe('toy model known answers', () => {
  let toy: ToyHarness;
  let moduleSites: PatchableHookName[];

  beforeAll(async () => {
    toy = await loadToyHarness();
    const L = toy.engine.manifest.config.numLayers;
    moduleSites = Array.from({ length: L }, (_, l) => (['attn', 'cross_attn', 'mlp'] as const).map((m) => `blocks.${l}.hook_${m}_out` as PatchableHookName)).flat();
  }, 60_000);
  afterAll(async () => {
    await toy?.release();
  });

  it('DecoderLens: the instrument (and the genre) is unrecognisable before its documented depth and clear from it on', async () => {
    const { numLayers } = toy.engine.manifest.config;
    const from = toy.engine.manifest.mechanism!.INSTRUMENTS.audibleFromDepth;
    const prompts = INSTRUMENT_CONCEPTS.flatMap((concept) => templatePrompts('INSTRUMENTS', concept.name, 13).filter((_, i) => i % 6 === 0)); // 3 each, varied tempo and mood
    const depths = Array.from({ length: numLayers }, (_, i) => i + 1);
    const rows = prompts.flatMap((_, prompt) => depths.map((depth) => ({ prompt, depth })));
    const { probs } = await toy.run(prompts, rows);
    const perConcept = 3;
    for (const depth of depths) {
      // Recognisability of a concept: mean NDCG of its labels on its own clips minus on the other instruments' clips (chance).
      const rowsAt = rows.map((row, r) => ({ ...row, r })).filter((row) => row.depth === depth);
      const gaps = INSTRUMENT_CONCEPTS.map((concept, c) => {
        const score = (own: boolean) => mean(rowsAt.filter((row) => (Math.floor(row.prompt / perConcept) === c) === own).map((row) => ndcg(probs[row.r], concept.relevantLabels)));
        return score(true) - score(false);
      });
      log(`depth ${depth}: recognisability over chance ${INSTRUMENT_CONCEPTS.map((c, i) => `${c.name} ${gaps[i].toFixed(3)}`).join(', ')}`);
      for (const gap of gaps) {
        if (depth < from) expect(Math.abs(gap), `depth ${depth} < ${from}`).toBeLessThan(0.02);
        else expect(gap, `depth ${depth} ≥ ${from}`).toBeGreaterThan(0.1);
      }
    }
    // GENRE (these prompts are all rock) is heard from its own documented depth: before it every clip is the same drone.
    const rock = findStudyConcept('rock')!;
    const genreFrom = toy.engine.manifest.mechanism!.GENRE.audibleFromDepth;
    const rockScore = depths.map((depth) => mean(rows.flatMap((row, r) => (row.depth === depth ? [ndcg(probs[r], rock.relevantLabels)] : []))));
    log(`rock NDCG by depth: ${rockScore.map((v) => v.toFixed(3)).join(', ')}`);
    depths.forEach((depth, i) => {
      if (depth < genreFrom) expect(Math.abs(rockScore[i] - rockScore[0]), `depth ${depth}`).toBeLessThan(1e-6);
      else expect(rockScore[i], `depth ${depth}`).toBeGreaterThan(rockScore[0] + 0.1);
    });
  }, 600_000);

  describe('guitar -> piano interventions', () => {
    const guitarPrompts = templatePrompts('INSTRUMENTS', 'guitar', 25).filter((_, i) => i % 6 === 0); // 5 prompts over moods and tempos
    const pianoPrompts = templatePrompts('INSTRUMENTS', 'piano', 25).filter((_, i) => i % 3 === 0); // 9 prompts
    let pianoMeans: Map<PatchableHookName, Float32Array>;
    let guitarMeans: Map<PatchableHookName, Float32Array>;
    let before: Float64Array[];

    beforeAll(async () => {
      const capture = async (prompts: string[]) => {
        const { result } = await toy.run(prompts, prompts.map((_, prompt) => ({ prompt })), moduleSites);
        return new Map(moduleSites.map((site) => [site, meanCapture(result.rows.map((row) => row.captures[site]!))]));
      };
      pianoMeans = await capture(pianoPrompts);
      guitarMeans = await capture(guitarPrompts);
      before = (await toy.run(guitarPrompts, guitarPrompts.map((_, prompt) => ({ prompt })))).probs;
    }, 600_000);

    async function patchedProbs(patches: (site: PatchableHookName) => PatchSpec[], sites: readonly PatchableHookName[]): Promise<Float64Array[][]> {
      const rows = sites.flatMap((site) => guitarPrompts.map((_, prompt) => ({ prompt, patches: patches(site) })));
      const { probs } = await toy.run(guitarPrompts, rows);
      return sites.map((_, s) => probs.slice(s * guitarPrompts.length, (s + 1) * guitarPrompts.length));
    }

    it('replace sweep: the largest effect is at a documented instrument site, every other site under 10 % of it', async () => {
      const documented = new Set(toy.engine.manifest.mechanism!.INSTRUMENTS.sites);
      const after = await patchedProbs((site) => [{ hook: site, kind: 'replace', values: pianoMeans.get(site)! }], moduleSites);
      const effects = moduleSites.map((site, s) => mean(after[s].map((probs, p) => effect(before[p], probs, GUITAR, PIANO))));
      moduleSites.forEach((site, s) => log(`replace ${site}: effect ${effects[s].toFixed(3)}${documented.has(site) ? '  (documented)' : ''}`));
      const best = effects.indexOf(Math.max(...effects));
      expect(documented.has(moduleSites[best]), `largest effect at ${moduleSites[best]}`).toBe(true);
      moduleSites.forEach((site, s) => {
        if (!documented.has(site)) expect(Math.abs(effects[s]), site).toBeLessThan(0.1 * effects[best]);
      });
      // Replacing at a documented site makes piano the classifier's top instrument.
      for (const site of documented) {
        const s = moduleSites.indexOf(site as PatchableHookName);
        for (const probs of after[s]) {
          const instruments = INSTRUMENT_CONCEPTS.map((c) => probs[c.relevantLabels[0]]);
          expect(instruments.indexOf(Math.max(...instruments)), `${site}: top instrument`).toBe(1);
        }
      }
    }, 600_000);

    it('steering the documented MLP site with alpha from 0 to 1 moves the piano probability monotonically', async () => {
      const site = toy.engine.manifest.mechanism!.INSTRUMENTS.sites.find((s) => s.endsWith('hook_mlp_out')) as PatchableHookName;
      const direction = pianoMeans.get(site)!.map((v, i) => v - guitarMeans.get(site)![i]);
      const alphas = [0, 0.25, 0.5, 0.75, 1];
      const rows = alphas.flatMap((scale) => guitarPrompts.map((_, prompt) => ({ prompt, patches: [{ hook: site, kind: 'add' as const, values: direction, scale }] })));
      const { probs } = await toy.run(guitarPrompts, rows);
      const piano = alphas.map((_, a) => mean(probs.slice(a * guitarPrompts.length, (a + 1) * guitarPrompts.length).map((p) => p[PIANO])));
      log(`steering ${site}: p(Piano) ${alphas.map((a, i) => `α=${a}: ${piano[i].toFixed(4)}`).join(', ')}`);
      for (let i = 1; i < alphas.length; i++) expect(piano[i], `α=${alphas[i]}`).toBeGreaterThanOrEqual(piano[i - 1]);
      expect(piano[alphas.length - 1]).toBeGreaterThan(piano[0] + 0.1);
    }, 600_000);

    it('a no-op patch changes nothing', async () => {
      const zeros = new Float32Array(toy.engine.manifest.config.hiddenSize);
      const rows = [{ prompt: 0 }, ...moduleSites.map((hook) => ({ prompt: 0, patches: [{ hook, kind: 'add' as const, values: zeros }] }))];
      const result = await toy.engine.generate({ prompts: guitarPrompts.slice(0, 1), frames: FRAMES, rows });
      for (const row of result.rows.slice(1)) expect(row.codes).toEqual(result.rows[0].codes);
    }, 600_000);
  });

  it('layer self-similarity (the lab\'s runner) shows the stages: every mechanism layer moves the residual, the pass-through layer does not', async () => {
    const { numLayers: L } = toy.engine.manifest.config;
    const prompts = templatePrompts('INSTRUMENTS', 'violin', 25).filter((_, i) => i % 5 === 0);
    const { distances } = await runLayerSimilarity(toy.engine, { prompts, frames: FRAMES });
    for (let l = 0; l < L; l++) log(`self-similarity L${l}: ${Array.from(distances.subarray(l * L, (l + 1) * L), (v) => v.toFixed(2).padStart(6)).join(' ')}`);
    const writers = new Set(Object.values(toy.engine.manifest.mechanism!).flatMap((slot) => slot.sites.map((site) => Number(site.split('.')[1]))));
    for (let l = 1; l < L; l++) {
      if (writers.has(l)) expect(distances[(l - 1) * L + l], `layer ${l} writes a mechanism`).toBeGreaterThan(1);
      else expect(distances[(l - 1) * L + l], `layer ${l} is a pass-through`).toBe(0);
    }
  }, 600_000);
});
