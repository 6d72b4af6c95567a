import { describe, expect, it } from 'vitest';
import { melFilterbank, melScale } from '../../src/classifier/melFilterbank';

const spec = { numBins: 128, fftSize: 512, sampleRate: 16000, lowFreq: 20, highFreq: 0 };

describe('Kaldi mel filterbank', () => {
  it('uses mel(f) = 1127 ln(1 + f/700)', () => {
    expect(melScale(0)).toBe(0);
    expect(melScale(700)).toBeCloseTo(1127 * Math.LN2, 10);
  });

  it('builds 128 contiguous triangles with weights in (0, 1] and never touches the Nyquist bin', () => {
    const filters = melFilterbank(spec);
    expect(filters).toHaveLength(128);
    // Low triangles (43.5 mel wide) are narrower than an FFT bin there (31.25 Hz ≈ 50 mel), so
    // a few catch no bin centre at all and always read the log floor, as in Kaldi.
    const empty = filters.flatMap((f, b) => (f.weights.length === 0 ? [b] : []));
    expect(empty.length).toBeGreaterThan(0);
    expect(Math.max(...empty)).toBeLessThan(20);
    for (const { start, weights } of filters) {
      expect(start + weights.length).toBeLessThanOrEqual(256);
      for (const w of weights) expect(w > 0 && w <= 1).toBe(true);
    }
    // Centres climb with the bin; the first starts above 20 Hz (bin 1 = 31.25 Hz).
    const peaks = filters.filter((f) => f.weights.length > 0).map(({ start, weights }) => start + weights.indexOf(Math.max(...weights)));
    for (let b = 1; b < peaks.length; b++) expect(peaks[b]).toBeGreaterThanOrEqual(peaks[b - 1]);
    expect(filters[0].start).toBe(1);
  });

  it('evaluates a triangle by hand: the weight of FFT bin k is min(up, down) on the mel axis', () => {
    const filters = melFilterbank({ numBins: 2, fftSize: 8, sampleRate: 8, lowFreq: 0, highFreq: 0 });
    // FFT bins at 0, 1, 2, 3 Hz; mel points 0, m(4)/3, 2m(4)/3, m(4).
    const delta = melScale(4) / 3;
    const weight = (b: number, hz: number) => Math.max(0, Math.min((melScale(hz) - b * delta) / delta, ((b + 2) * delta - melScale(hz)) / delta));
    const dense = (b: number) => Array.from({ length: 4 }, (_, k) => (k >= filters[b].start && k < filters[b].start + filters[b].weights.length ? filters[b].weights[k - filters[b].start] : 0));
    for (const b of [0, 1]) {
      const expected = [0, 1, 2, 3].map((hz) => weight(b, hz));
      dense(b).forEach((w, k) => expect(w, `bin ${b}, FFT bin ${k}`).toBeCloseTo(expected[k], 12));
      expect(expected.some((w) => w > 0)).toBe(true);
    }
  });

  it('refuses impossible frequency ranges', () => {
    expect(() => melFilterbank({ ...spec, lowFreq: 9000 })).toThrow(/low_freq/);
    expect(() => melFilterbank({ ...spec, numBins: 0 })).toThrow(/num_mel_bins/);
  });
});
