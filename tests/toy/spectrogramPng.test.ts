import { describe, expect, it } from 'vitest';
import { DEFAULT_SPECTROGRAM, spectrogramDb, spectrogramPng } from '../../src/toy/spectrogramPng';

describe('spectrogramPng', () => {
  it('finds a tone in its frequency bin', () => {
    const tone = Float32Array.from({ length: 8192 }, (_, n) => Math.sin((2 * Math.PI * 1000 * n) / 32000));
    const { frames, bins, db } = spectrogramDb(tone);
    const loudest = Array.from(db.subarray(2 * bins, 3 * bins)).reduce((best, v, b, row) => (v > row[best] ? b : best), 0);
    expect(loudest).toBe(Math.round((1000 / 32000) * DEFAULT_SPECTROGRAM.window));
    expect(frames).toBe(Math.floor((8192 - 1024) / 256) + 1);
  });

  it('writes a valid grey PNG of frames × bins pixels', () => {
    const png = spectrogramPng(new Float32Array(4096).map((_, n) => Math.sin(n / 5)));
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
    expect(view.getUint32(16)).toBe(Math.floor((4096 - 1024) / 256) + 1); // width = frames
    expect(view.getUint32(20)).toBe(256); // height = bins up to 8 kHz
    expect(new TextDecoder().decode(png.subarray(png.length - 8, png.length - 4))).toBe('IEND');
  });
});
