import { describe, expect, it } from 'vitest';
import { checkAstFbankFixture, compareFbankFeatures } from '../../src/classifier/fbankFixture';
import { loadAstFbankFixture } from './fixtureFiles';

describe('ast-fbank fixture', () => {
  /**
   * Measured max |diff| of the normalised features per case (2026-11-25; the README's table):
   * [from wave_16k, from wave_32k through our resampler]. Every value above 1e-3 lies within 1 nat
   * of the log floor, where the reference carries its float32 FFT's rounding
   * (fbankPrecision.test.ts); chirp_long's 1.5e-3 is that rounding, not a difference of method.
   */
  const MEASURED: Record<string, [number, number]> = {
    tone: [3.2e-4, 1.3e-3], // 32k: 7 values above 1e-3, our resampler's 3.6e-7 per sample amplified near the floor
    noise: [1.7e-5, 1.7e-5],
    chirp_long: [1.5e-3, 1.5e-3], // 2 values above 1e-3, both within 1 nat of the floor
    silence: [1.2e-7, 1.2e-7],
    clip_4s: [1.1e-4, 1.1e-4],
  };

  it('is reproduced for all five cases, from wave_16k and through our resampler from wave_32k, as measured', async () => {
    const { safetensors, json } = loadAstFbankFixture();
    const report = await checkAstFbankFixture(safetensors, json);
    expect(report.cases.map((c) => c.name)).toEqual(Object.keys(MEASURED));
    for (const { name, fromWave16k, fromWave32k } of report.cases) {
      console.log(`${name}: max |diff| ${fromWave16k.maxDiff.toExponential(2)} from wave_16k, ${fromWave32k.maxDiff.toExponential(2)} from wave_32k`);
      for (const [path, comparison, measured] of [['16k', fromWave16k, MEASURED[name][0]], ['32k', fromWave32k, MEASURED[name][1]]] as const) {
        expect(comparison.passed, `${name} from ${path}`).toBe(true);
        expect(comparison.maxDiffAwayFromFloor, `${name} from ${path}`).toBeLessThan(1e-3);
        // The figure stated above, to its two significant digits: a change in either direction is news.
        expect(comparison.maxDiff, `${name} from ${path}`).toBeGreaterThanOrEqual(measured * 0.95);
        expect(comparison.maxDiff, `${name} from ${path}`).toBeLessThan(measured * 1.05);
        // At most 0.01 % of values pass 1e-3, all within 1 nat of the log floor.
        expect(comparison.beyondTolerance, `${name} from ${path}`).toBeLessThanOrEqual(13);
      }
    }
    expect(report.passed).toBe(true);
  });

  it('fails a comparison beyond tolerance, a NaN and a length mismatch', () => {
    const expected = new Float32Array([0.5, 0.5]); // log-mel ≈ 0.3: far above the floor
    expect(compareFbankFeatures(new Float32Array([0.5, 0.5011]), expected).passed).toBe(false);
    expect(compareFbankFeatures(new Float32Array([0.5, 0.5009]), expected).passed).toBe(true);
    expect(compareFbankFeatures(new Float32Array([0.5, NaN]), expected)).toMatchObject({ passed: false, maxDiff: Infinity });
    expect(compareFbankFeatures(new Float32Array(3), expected).passed).toBe(false);
  });

  it('refuses a fixture computed with other parameters', async () => {
    const { safetensors, json } = loadAstFbankFixture();
    const other = JSON.parse(json);
    other.fbank.num_mel_bins = 64;
    await expect(checkAstFbankFixture(safetensors, JSON.stringify(other))).rejects.toThrow('fbank.json: num_mel_bins is 64; the project\'s AST features use 128');
    await expect(checkAstFbankFixture(safetensors, '{')).rejects.toThrow(/not valid JSON/);
  });
});
