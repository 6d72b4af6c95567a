import { describe, expect, it } from 'vitest';
import {
  depthByFrame,
  distributionStats,
  emptyLensMeasurements,
  emptyTeacherForcedLens,
  klDivergence,
  recordGenerationStep,
  recordTeacherForcedDepth,
  samplesCode,
  teacherForcingInputs,
} from '../../../src/analysis/lens/kernel';

const f32 = (...values: number[]) => Float32Array.from(values);

describe('distributionStats', () => {
  it('gives ln 2 nats and 0.5 for two equal logits', () => {
    const stats = distributionStats(f32(0, 0));
    expect(stats.entropy).toBeCloseTo(Math.LN2, 12);
    expect(stats.top1).toBeCloseTo(0.5, 12);
    expect(stats.argmax).toBe(0);
  });

  it('gives 1.5 ln 2 for probabilities (1/4, 1/2, 1/4), the same after a shift of every logit', () => {
    for (const shift of [0, 8, -8]) {
      const stats = distributionStats(f32(shift, shift + Math.log(2), shift));
      expect(stats.entropy).toBeCloseTo(1.5 * Math.LN2, 5);
      expect(stats.top1).toBeCloseTo(0.5, 6);
      expect(stats.argmax).toBe(1);
    }
  });

  it('treats -Infinity as probability 0 (a certain token has entropy 0)', () => {
    expect(distributionStats(f32(-Infinity, 3, -Infinity))).toEqual({ entropy: 0, top1: 1, argmax: 1 });
  });

  it('refuses empty or all -Infinity logits', () => {
    expect(() => distributionStats(f32())).toThrow(/empty/);
    expect(() => distributionStats(f32(-Infinity, -Infinity))).toThrow(/finite/);
  });
});

describe('klDivergence', () => {
  it('KL((1/2, 1/2) ‖ (1/4, 3/4)) = ½ ln(4/3)', () => {
    expect(klDivergence(f32(0, 0), f32(0, Math.log(3)))).toBeCloseTo(0.5 * Math.log(4 / 3), 7);
  });

  it('is 0 for the same distribution, whatever the logit offset, and not symmetric', () => {
    expect(klDivergence(f32(1, 2, 3), f32(11, 12, 13))).toBeCloseTo(0, 7);
    const p = f32(0, 0);
    const q = f32(0, Math.log(3));
    // KL((1/4, 3/4) ‖ (1/2, 1/2)) = ¼ ln ½ + ¾ ln (3/2)
    expect(klDivergence(q, p)).toBeCloseTo(0.25 * Math.log(0.5) + 0.75 * Math.log(1.5), 7);
  });

  it('is Infinity when q rules out a token p allows, finite the other way', () => {
    expect(klDivergence(f32(0, 0), f32(0, -Infinity))).toBe(Infinity);
    expect(klDivergence(f32(0, -Infinity), f32(0, 0))).toBeCloseTo(Math.LN2, 7);
  });
});

describe('delay-pattern cells', () => {
  it('codebook k samples frames at steps k .. k + frames - 1', () => {
    const frames = 3;
    const sampled = [0, 1].map((k) => Array.from({ length: 4 }, (_, step) => samplesCode(k, step, frames)));
    expect(sampled).toEqual([
      [true, true, true, false],
      [false, true, true, true],
    ]);
  });

  it('teacher forcing feeds the start column then each column the previous step produced', () => {
    const special = 9;
    const codes = Int32Array.from([1, 2, 3, 4, 5, 6]); // [K=2, frames=3]
    // delayed: k0 = [9, 1, 2, 3, 9], k1 = [9, 9, 4, 5, 6]; inputs are columns 0..3
    expect(Array.from(teacherForcingInputs(codes, 3, 2, special))).toEqual([9, 1, 2, 3, 9, 9, 4, 5]);
  });
});

describe('lens arrays', () => {
  const grid = { depths: [1, 2], numCodebooks: 2, steps: 3, frames: 2 }; // steps = frames + K - 1

  it('record entropy, top-1 and agreement per depth, codebook and step; NaN where nothing is sampled', () => {
    const measurements = emptyLensMeasurements(grid);
    const uniform = f32(0, 0, 0, 0); // ln 4, 1/4
    const peaked = f32(0, 0, 0, Math.log(5)); // p = (1/8, 1/8, 1/8, 5/8)
    const guided = new Float32Array([...uniform, ...peaked]); // [K=2, V=4]
    recordGenerationStep(measurements, 1, 1, guided, Int32Array.of(2, 3), Int32Array.of(2, 1));
    recordGenerationStep(measurements, 0, 0, guided, Int32Array.of(0, 4), Int32Array.of(1, 4));
    const at = (depth: number, k: number, step: number) => (depth * 2 + k) * 3 + step;
    expect(measurements.entropy[at(1, 0, 1)]).toBeCloseTo(Math.log(4), 6);
    expect(measurements.top1[at(1, 0, 1)]).toBeCloseTo(0.25, 6);
    const hPeaked = -(3 * (1 / 8) * Math.log(1 / 8) + (5 / 8) * Math.log(5 / 8));
    expect(measurements.entropy[at(1, 1, 1)]).toBeCloseTo(hPeaked, 6);
    expect(measurements.top1[at(1, 1, 1)]).toBeCloseTo(5 / 8, 6);
    expect(measurements.agreement[at(1, 0, 1)]).toBe(1); // 2 == 2
    expect(measurements.agreement[at(1, 1, 1)]).toBe(0); // 3 != 1
    expect(measurements.agreement[at(0, 0, 0)]).toBe(0); // 0 != 1
    // Codebook 1 samples nothing at step 0 (delay pattern): its cell stays empty.
    expect(measurements.entropy[at(0, 1, 0)]).toBeNaN();
    expect(measurements.agreement[at(0, 1, 0)]).toBeNaN();
    // Unrecorded cells stay NaN too.
    expect(measurements.entropy[at(0, 0, 2)]).toBeNaN();
  });

  it('teacher-forced KL and top-1 agreement against the final layer; 0 and 1 for the final layer itself', () => {
    const lens = emptyTeacherForcedLens(grid);
    const V = 2;
    const final = new Float32Array(2 * 3 * V); // [K, steps, V]
    const depth = new Float32Array(2 * 3 * V);
    // codebook 0, step 0: final (1/2, 1/2), depth (1/4, 3/4); codebook 1, step 2: final prefers 0, depth 1
    depth.set([0, Math.log(3)], 0);
    final.set([2, 0], (1 * 3 + 2) * V);
    depth.set([0, 2], (1 * 3 + 2) * V);
    recordTeacherForcedDepth(lens, 0, depth, final);
    recordTeacherForcedDepth(lens, 1, final, final);
    const at = (row: number, k: number, step: number) => (row * 2 + k) * 3 + step;
    expect(lens.kl[at(0, 0, 0)]).toBeCloseTo(0.5 * Math.log(4 / 3), 6);
    expect(lens.agreement[at(0, 0, 0)]).toBe(0); // final argmax 0 (first of a tie), depth argmax 1
    expect(lens.agreement[at(0, 1, 2)]).toBe(0);
    expect(lens.kl[at(0, 1, 2)]).toBeGreaterThan(0);
    for (let k = 0; k < 2; k++) {
      for (let step = 0; step < 3; step++) {
        if (samplesCode(k, step, 2)) {
          expect(lens.kl[at(1, k, step)]).toBe(0);
          expect(lens.agreement[at(1, k, step)]).toBe(1);
        } else {
          expect(lens.kl[at(1, k, step)]).toBeNaN();
        }
      }
    }
  });

  it('read as depth × frame: codebook k frame f is step f + k; mean averages the codebooks', () => {
    const values = Float32Array.from([
      // depth 1: k0 steps 0..2, k1 steps 0..2
      10, 11, NaN, NaN, 21, 22,
      // depth 2
      30, 31, NaN, NaN, 41, 42,
    ]);
    expect(Array.from(depthByFrame(values, grid, 0))).toEqual([10, 11, 30, 31]);
    expect(Array.from(depthByFrame(values, grid, 1))).toEqual([21, 22, 41, 42]);
    expect(Array.from(depthByFrame(values, grid, 'mean'))).toEqual([15.5, 16.5, 35.5, 36.5]);
    expect(() => depthByFrame(values, grid, 2)).toThrow(/codebook/);
    expect(() => depthByFrame(values.subarray(1), grid, 0)).toThrow(/expected/);
  });
});
