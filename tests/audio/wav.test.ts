import { describe, expect, it } from 'vitest';
import { encodeWav } from '../../src/audio/wav';

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

describe('encodeWav', () => {
  it('writes a canonical 44-byte RIFF/WAVE PCM header', () => {
    const samples = new Float32Array(32000); // [32000] one second at 32 kHz
    const wav = encodeWav(samples, 32000);
    const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
    expect(wav.byteLength).toBe(44 + 2 * 32000);
    expect(ascii(wav, 0, 4)).toBe('RIFF');
    expect(view.getUint32(4, true)).toBe(wav.byteLength - 8);
    expect(ascii(wav, 8, 4)).toBe('WAVE');
    expect(ascii(wav, 12, 4)).toBe('fmt ');
    expect(view.getUint32(16, true)).toBe(16);
    expect(view.getUint16(20, true)).toBe(1); // PCM
    expect(view.getUint16(22, true)).toBe(1); // mono
    expect(view.getUint32(24, true)).toBe(32000);
    expect(view.getUint32(28, true)).toBe(64000); // byte rate
    expect(view.getUint16(32, true)).toBe(2); // block align
    expect(view.getUint16(34, true)).toBe(16);
    expect(ascii(wav, 36, 4)).toBe('data');
    expect(view.getUint32(40, true)).toBe(64000);
  });

  it('quantises samples to little-endian int16, clipping out-of-range values', () => {
    const samples = Float32Array.from([0, 1, -1, 0.5, -0.5, 2, -3, Number.NaN]); // [8]
    const wav = encodeWav(samples, 8000);
    const pcm = new Int16Array(wav.buffer.slice(44)); // [8]
    expect(Array.from(pcm)).toEqual([0, 32767, -32768, 16384, -16384, 32767, -32768, 0]);
  });

  it('round-trips within half a quantisation step (rounding, not truncation)', () => {
    const samples = new Float32Array(1000).map((_, i) => Math.sin(i / 7) * 0.9); // [1000]
    const pcm = new Int16Array(encodeWav(samples, 32000).buffer.slice(44)); // [1000]
    const decode = (value: number) => (value < 0 ? value / 0x8000 : value / 0x7fff);
    for (let i = 0; i < samples.length; i++) expect(Math.abs(decode(pcm[i]) - samples[i])).toBeLessThanOrEqual(0.5 / 0x7fff + 1e-9);
  });

  it('encodes empty audio as a header only and rejects a bad sample rate', () => {
    expect(encodeWav(new Float32Array(0), 32000).byteLength).toBe(44);
    expect(() => encodeWav(new Float32Array(1), 0)).toThrow(/sample rate/);
    expect(() => encodeWav(new Float32Array(1), 44100.5)).toThrow(/sample rate/);
  });
});
