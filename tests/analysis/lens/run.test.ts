import { beforeAll, describe, expect, it } from 'vitest';
import { distributionStats, samplesCode, teacherForcingInputs } from '../../../src/analysis/lens/kernel';
import { createLensHandler, lensDepths, runDecoderLens, runTeacherForcedLens } from '../../../src/analysis/lens/run';
import { stepInput } from '../../../src/engine/delayPattern';
import type { MusicgenEngine } from '../../../src/engine/engine';
import { applyGuidanceToPairs } from '../../../src/engine/guidance';
import type { GenerationHandler } from '../../../src/engine/handlers';
import { argmax } from '../../../src/engine/sampling';
import type { TextConditioning } from '../../../src/text/conditioning';
import { firstPromptOnly, goldenEngine } from '../../engine/goldenEngine';

let engine: MusicgenEngine;
let conditioning: TextConditioning;
let L: number, K: number, V: number;

beforeAll(async () => {
  const golden = await goldenEngine();
  engine = golden.engine;
  conditioning = firstPromptOnly(golden.conditioning);
  ({ numLayers: L, numCodebooks: K, codebookSize: V } = engine.manifest.config);
});

describe('lensDepths', () => {
  it('sorts, dedupes and always adds the full model', () => {
    expect(lensDepths([3, 1, 3], 4)).toEqual([1, 3, 4]);
    expect(lensDepths([], 4)).toEqual([4]);
    expect(() => lensDepths([0], 4)).toThrow(/out of range 1\.\.4/);
  });
});

describe('DecoderLens measurements streamed from the batched run', () => {
  it('equal the ones computed from logits captured in the same run', async () => {
    const depths = lensDepths([1, 2], L);
    const frames = 6;
    const lens = createLensHandler(depths, depths.length - 1, K, frames);
    const captured = new Map<string, Float32Array>(); // `${row}:${step}` -> guided [K, V]
    const tokensSeen = new Map<string, Int32Array>(); // `${row}:${step}` -> tokens [K]
    const recorder: GenerationHandler = {
      onStep(guided, tokens, { step, slotRows }) {
        slotRows.forEach((row, slot) => {
          captured.set(`${row}:${step}`, guided.slice(slot * K * V, (slot + 1) * K * V));
          tokensSeen.set(`${row}:${step}`, tokens.slice(slot * K, (slot + 1) * K));
        });
      },
    };
    const result = await engine.generate({ conditioning, frames, seed: 7, topK: 8, rows: depths.map((depth) => ({ prompt: 0, depth })), handlers: [lens, recorder] });
    const m = lens.measurements!;
    expect(m.depths).toEqual(depths);
    expect(m.steps).toBe(result.steps);
    expect(m.entropy.length).toBe(depths.length * K * result.steps);
    let sampledCells = 0;
    let disagreements = 0;
    depths.forEach((_, row) => {
      for (let step = 0; step < result.steps; step++) {
        const guided = captured.get(`${row}:${step}`)!;
        for (let k = 0; k < K; k++) {
          const at = (row * K + k) * m.steps + step;
          if (!samplesCode(k, step, frames)) {
            expect(m.entropy[at]).toBeNaN();
            continue;
          }
          sampledCells++;
          const expected = distributionStats(guided.subarray(k * V, (k + 1) * V));
          expect(m.entropy[at]).toBe(Math.fround(expected.entropy));
          expect(m.top1[at]).toBe(Math.fround(expected.top1));
          // The tokens the rows actually kept (their sequences) decide agreement.
          const column = step + 1;
          const columns = frames + K;
          const token = result.rows[row].sequence[k * columns + column];
          const fullToken = result.rows[depths.length - 1].sequence[k * columns + column];
          expect(token).toBe(tokensSeen.get(`${row}:${step}`)![k]);
          expect(m.agreement[at]).toBe(token === fullToken ? 1 : 0);
          if (token !== fullToken) disagreements++;
        }
      }
    });
    expect(sampledCells).toBe(depths.length * K * frames);
    expect(disagreements).toBeGreaterThan(0); // shallow depths sample other tokens
  });

  it('runDecoderLens: the full-depth row agrees with itself everywhere; rows are the depths', async () => {
    const frames = 5;
    const run = await runDecoderLens(engine, { conditioning, frames, depths: [1], seed: 3 });
    const { measurements: m, result } = run;
    expect(m.depths).toEqual([1, L]);
    expect(result.rows).toHaveLength(2);
    const fullRow = m.depths.length - 1;
    for (let k = 0; k < K; k++) {
      for (let step = 0; step < m.steps; step++) {
        const at = (fullRow * K + k) * m.steps + step;
        if (samplesCode(k, step, frames)) {
          expect(m.agreement[at]).toBe(1);
          expect(m.top1[at]).toBeGreaterThan(0);
          expect(m.entropy[at]).toBeGreaterThanOrEqual(0);
          expect(m.entropy[at]).toBeLessThanOrEqual(Math.log(V) + 1e-6);
        } else {
          expect(m.agreement[at]).toBeNaN();
        }
      }
    }
  });
});

describe('teacher-forced lens', () => {
  it('feeds what generation fed, and the final layer through the head predicts the greedy tokens', async () => {
    const frames = 5;
    const result = await engine.generate({ conditioning, frames, greedy: true, rows: [{ prompt: 0 }] });
    const inputs = teacherForcingInputs(result.rows[0].codes, frames, K, V); // [K, steps]
    for (let step = 0; step < result.steps; step++) {
      const column = stepInput(result.rows[0].sequence, step, K, frames);
      for (let k = 0; k < K; k++) expect(inputs[k * result.steps + step]).toBe(column[k]);
    }
    const residuals = await engine.teacherForcedResiduals(conditioning, inputs, result.steps);
    expect(residuals).toHaveLength(L);
    const guided = applyGuidanceToPairs(await engine.headLogits(residuals[L - 1], 2, result.steps), 1, K * result.steps * V, 3); // [K, steps, V]
    const columns = frames + K;
    for (let k = 0; k < K; k++) {
      for (let step = 0; step < result.steps; step++) {
        if (!samplesCode(k, step, frames)) continue;
        const predicted = argmax(guided.subarray((k * result.steps + step) * V, (k * result.steps + step + 1) * V));
        expect(predicted).toBe(result.rows[0].sequence[k * columns + step + 1]);
      }
    }
    // The cond branch of the new pass is the existing teacher-forced pass's.
    const plain = await engine.teacherForced(conditioning, inputs, result.steps);
    const d = engine.manifest.config.hiddenSize;
    expect(Array.from(residuals[1].subarray(0, result.steps * d))).toEqual(Array.from(plain.residPost[1]));
  });

  it('KL(final ‖ final) is 0 and its agreement 1; earlier depths differ; progress per depth', async () => {
    const frames = 6;
    const result = await engine.generate({ conditioning, frames, seed: 11, rows: [{ prompt: 0 }] });
    const progress: string[] = [];
    const lens = await runTeacherForcedLens(engine, { conditioning, codes: result.rows[0].codes, frames, onProgress: ({ step, steps }) => progress.push(`${step}/${steps}`) });
    expect(progress).toEqual(Array.from({ length: L }, (_, i) => `${i + 1}/${L}`));
    expect(lens.depths).toEqual(Array.from({ length: L }, (_, i) => i + 1));
    let earlierKl = 0;
    lens.depths.forEach((_, row) => {
      for (let k = 0; k < K; k++) {
        for (let step = 0; step < lens.steps; step++) {
          const at = (row * K + k) * lens.steps + step;
          if (!samplesCode(k, step, frames)) {
            expect(lens.kl[at]).toBeNaN();
            continue;
          }
          expect(lens.kl[at]).toBeGreaterThanOrEqual(0);
          if (row === L - 1) {
            expect(lens.kl[at]).toBe(0);
            expect(lens.agreement[at]).toBe(1);
          } else {
            earlierKl += lens.kl[at];
          }
        }
      }
    });
    expect(earlierKl).toBeGreaterThan(0);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runTeacherForcedLens(engine, { conditioning, codes: new Int32Array(K * 2), frames: 2, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
