import { describe, expect, it } from 'vitest';
import { AST_FEATURES, astFeatures, audioFeatures } from '../../src/classifier/astFeatures';
import { kaldiFbank } from '../../src/classifier/kaldiFbank';

const noise = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.3);
const PAD = (0 - AST_FEATURES.mean) / (2 * AST_FEATURES.std);

describe('astFeatures', () => {
  it('normalises fbank frames as (x − mean) / (2 std) and pads to 1024 frames with log-mel 0', () => {
    const wave = noise(16000);
    const features = astFeatures(wave);
    const { frames, features: raw } = kaldiFbank(wave);
    expect(features.length).toBe(1024 * 128);
    expect(features[5]).toBeCloseTo((raw[5] - AST_FEATURES.mean) / (2 * AST_FEATURES.std), 6);
    expect(features[frames * 128 - 1]).toBeCloseTo((raw[frames * 128 - 1] - AST_FEATURES.mean) / (2 * AST_FEATURES.std), 6);
    expect(features.subarray(frames * 128).every((x) => x === Math.fround(PAD))).toBe(true);
    expect(PAD).toBeCloseTo(0.4670324, 6);
  });

  it('truncates long clips to the first 1024 frames', () => {
    const wave = noise(16000 * 12);
    const features = astFeatures(wave);
    expect(features.length).toBe(1024 * 128);
    expect(Array.from(features.subarray(0, 128))).toEqual(Array.from(astFeatures(wave.subarray(0, 16000)).subarray(0, 128)));
    expect(features.subarray(1023 * 128).some((x) => x !== Math.fround(PAD))).toBe(true);
  });

  it('takes 32 kHz clips through the resampler (audioFeatures)', () => {
    const features = audioFeatures(noise(64000));
    expect(features.length).toBe(1024 * 128);
    expect(features.subarray(0, 398 * 128).some((x) => x !== Math.fround(PAD))).toBe(true);
  });

  it('refuses clips shorter than one frame or holding non-finite samples, naming the clip', () => {
    expect(() => audioFeatures(new Float32Array(799), AST_FEATURES, 'clip 3')).toThrow('clip 3 has 799 samples; at least 800 (25 ms at 32 kHz) are needed');
    const bad = noise(2000);
    bad[7] = NaN;
    expect(() => astFeatures(bad)).toThrow('audio clip has a non-finite sample (NaN) at index 7');
  });
});
