import { describe, expect, it } from 'vitest';
import { powerSpectrum } from '../../src/audio/fft';
import { SeededRandom } from '../../src/demo/seededRandom';

function naivePower(frame: Float64Array): Float64Array {
  const n = frame.length;
  const out = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      re += frame[t] * Math.cos((2 * Math.PI * k * t) / n);
      im -= frame[t] * Math.sin((2 * Math.PI * k * t) / n);
    }
    out[k] = re * re + im * im;
  }
  return out;
}

describe('powerSpectrum', () => {
  it('equals a plain DFT for sizes 2 to 512', () => {
    for (const n of [2, 8, 64, 512]) {
      const frame = Float64Array.from(new SeededRandom(n, 'fft').normalArray(n, 1));
      const fast = powerSpectrum(frame);
      const slow = naivePower(frame);
      for (let k = 0; k < slow.length; k++) expect(fast[k]).toBeCloseTo(slow[k], 8);
    }
  });

  it('puts a cosine at bin k into bins k (and only k): power (n/2)²', () => {
    const n = 32;
    const frame = Float64Array.from({ length: n }, (_, t) => Math.cos((2 * Math.PI * 5 * t) / n));
    const power = powerSpectrum(frame);
    expect(power[5]).toBeCloseTo((n / 2) ** 2, 9);
    expect(power.reduce((a, b) => a + b, 0)).toBeCloseTo((n / 2) ** 2, 9);
  });

  it('refuses sizes that are not powers of two', () => {
    expect(() => powerSpectrum(new Float64Array(400))).toThrow('fft: size 400 is not a power of two ≥ 2');
  });
});
