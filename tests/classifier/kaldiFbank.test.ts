import { describe, expect, it } from 'vitest';
import { AST_FBANK, fbankFrameCount, kaldiFbank, LOG_FLOOR } from '../../src/classifier/kaldiFbank';

describe('kaldiFbank', () => {
  it('cuts 25 ms frames every 10 ms, only whole ones (snip edges)', () => {
    expect(fbankFrameCount(399)).toBe(0);
    expect(fbankFrameCount(400)).toBe(1);
    expect(fbankFrameCount(559)).toBe(1);
    expect(fbankFrameCount(560)).toBe(2);
    expect(fbankFrameCount(64000)).toBe(398);
    expect(kaldiFbank(new Float32Array(16000)).frames).toBe(98);
  });

  it('floors silence and a constant (DC is removed per frame) at ln(float32 eps)', () => {
    for (const level of [0, 0.25]) {
      const { features, numMelBins } = kaldiFbank(new Float32Array(1000).fill(level));
      expect(numMelBins).toBe(128);
      expect(features.every((x) => x === Math.fround(Math.log(LOG_FLOOR)))).toBe(true);
    }
  });

  it('puts a 1 kHz tone\'s energy in the mel bins around 1 kHz', () => {
    const wave = Float32Array.from({ length: 4000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / AST_FBANK.sampleRate));
    const { features } = kaldiFbank(wave);
    const firstFrame = Array.from(features.subarray(0, 128));
    const loudest = firstFrame.indexOf(Math.max(...firstFrame));
    // 1 kHz is mel 1000.0; bin b is centred on mel(20) + (b + 1)·Δ with mel(20) ≈ 31.75 and
    // Δ = (mel(8000) − mel(20)) / 129 ≈ 21.77, so 1 kHz falls between the centres of bins 43 and 44.
    expect([43, 44]).toContain(loudest);
    expect(firstFrame[loudest] - firstFrame[120]).toBeGreaterThan(10);
  });
});
