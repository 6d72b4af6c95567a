import { describe, expect, it } from 'vitest';
import { checkAstFbankFixture, compareFbankFeatures } from '../../src/classifier/fbankFixture';
import { loadAstFbankFixture } from './fixtureFiles';

describe('ast-fbank fixture', () => {
  it('is reproduced for all five cases, from wave_16k and through our resampler from wave_32k', async () => {
    const { safetensors, json } = loadAstFbankFixture();
    const report = await checkAstFbankFixture(safetensors, json);
    expect(report.cases.map((c) => c.name)).toEqual(['tone', 'noise', 'chirp_long', 'silence', 'clip_4s']);
    for (const { name, fromWave16k, fromWave32k } of report.cases) {
      for (const [path, comparison] of [['16k', fromWave16k], ['32k', fromWave32k]] as const) {
        expect(comparison.passed, `${name} from ${path}`).toBe(true);
        expect(comparison.maxDiffAwayFromFloor, `${name} from ${path}`).toBeLessThan(1e-3);
        expect(comparison.maxDiff, `${name} from ${path}`).toBeLessThan(2e-3);
        // At most 0.01 % of values pass 1e-3, all within 1 nat of the log floor.
        expect(comparison.beyondTolerance, `${name} from ${path}`).toBeLessThanOrEqual(13);
      }
    }
    expect(report.passed).toBe(true);
    // The cases that exercise nothing near the floor match far tighter.
    const byName = Object.fromEntries(report.cases.map((c) => [c.name, c.fromWave16k.maxDiff]));
    expect(byName.noise).toBeLessThan(1e-4);
    expect(byName.clip_4s).toBeLessThan(2e-4);
    expect(byName.silence).toBeLessThan(1e-6);
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
