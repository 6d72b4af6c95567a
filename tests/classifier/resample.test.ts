import { describe, expect, it } from 'vitest';
import { resample32kTo16k } from '../../src/classifier/resample';
import { arrayBufferSource } from '../../src/checkpoint/byteSources';
import { openSafetensors } from '../../src/checkpoint/safetensors';
import { loadAstFbankFixture } from './fixtureFiles';

const sine = (hz: number, n: number, rate = 32000) => Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate));
const rms = (x: Float32Array, from: number, to: number) => Math.sqrt(x.subarray(from, to).reduce((s, v) => s + v * v, 0) / (to - from));

describe('resample32kTo16k', () => {
  it('halves the length (rounding up) and keeps DC away from the edges', () => {
    expect(resample32kTo16k(new Float32Array(7)).length).toBe(4);
    const out = resample32kTo16k(new Float32Array(1000).fill(1));
    expect(out.length).toBe(500);
    for (let i = 10; i < 490; i++) expect(out[i]).toBeCloseTo(1, 3);
  });

  it('passes 1 kHz, attenuates 12 kHz (above the new Nyquist) by more than 50 dB', () => {
    expect(rms(resample32kTo16k(sine(1000, 8000)), 100, 3900)).toBeCloseTo(Math.SQRT1_2, 3);
    expect(rms(resample32kTo16k(sine(12000, 8000)), 100, 3900)).toBeLessThan(Math.SQRT1_2 * 10 ** (-50 / 20));
  });

  it('matches torchaudio\'s default resampling on every fixture case within 1e-6', async () => {
    const { safetensors, json } = loadAstFbankFixture();
    const reader = await openSafetensors(arrayBufferSource(safetensors, 'fbank.safetensors'));
    for (const name of Object.keys(JSON.parse(json).cases as object)) {
      const ours = resample32kTo16k(await reader.readFloat32(`${name}.wave_32k`));
      const theirs = await reader.readFloat32(`${name}.wave_16k`);
      expect(ours.length).toBe(theirs.length);
      let worst = 0;
      for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
      expect(worst, name).toBeLessThan(1e-6);
    }
  });
});
