/**
 * Spectrogram pictures of toy renders, for eyes (the README's instrument check): a log-magnitude
 * short-time Fourier transform drawn as a grey-scale PNG. Pure: samples in, PNG bytes out
 * (uncompressed deflate blocks, so no compression library is needed).
 */

import { powerSpectrum } from '../audio/fft';

export interface SpectrogramOptions {
  sampleRate: number;
  window: number; // samples per FFT frame (power of two)
  hop: number;
  maxHz: number; // top of the picture
  floorDb: number; // black below this (relative to the loudest bin)
}

export const DEFAULT_SPECTROGRAM: SpectrogramOptions = { sampleRate: 32000, window: 1024, hop: 256, maxHz: 8000, floorDb: -60 };

/** Magnitudes in dB, [frames, bins] row-major, bins up to maxHz. */
export function spectrogramDb(samples: Float32Array, options: SpectrogramOptions = DEFAULT_SPECTROGRAM): { frames: number; bins: number; db: Float32Array } {
  const { window, hop, sampleRate, maxHz } = options;
  const bins = Math.min(window / 2, Math.floor((maxHz / sampleRate) * window));
  const frames = Math.max(1, Math.floor((samples.length - window) / hop) + 1);
  const db = new Float32Array(frames * bins); // [frames, bins]
  const frame = new Float64Array(window); // [window], Hann-windowed
  const power = new Float64Array(window / 2 + 1); // [window/2 + 1]
  const scratchRe = new Float64Array(window);
  const scratchIm = new Float64Array(window);
  for (let f = 0; f < frames; f++) {
    for (let n = 0; n < window; n++) {
      const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / window);
      frame[n] = (samples[f * hop + n] ?? 0) * hann;
    }
    powerSpectrum(frame, power, scratchRe, scratchIm);
    for (let b = 0; b < bins; b++) db[f * bins + b] = 10 * Math.log10(power[b] + 1e-12);
  }
  return { frames, bins, db };
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** zlib stream of stored (uncompressed) deflate blocks. */
function zlibStored(raw: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(raw.length / 65535));
  const out = new Uint8Array(2 + raw.length + blocks * 5 + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let at = 2;
  for (let i = 0; i < blocks; i++) {
    const part = raw.subarray(i * 65535, Math.min(raw.length, (i + 1) * 65535));
    out[at] = i === blocks - 1 ? 1 : 0;
    out[at + 1] = part.length & 0xff;
    out[at + 2] = part.length >> 8;
    out[at + 3] = ~part.length & 0xff;
    out[at + 4] = (~part.length >> 8) & 0xff;
    out.set(part, at + 5);
    at += 5 + part.length;
  }
  new DataView(out.buffer).setUint32(at, adler32(raw));
  return out;
}

/** An 8-bit grey PNG of `pixels` [height, width]. */
export function greyPng(pixels: Uint8Array, width: number, height: number): Uint8Array {
  const raw = new Uint8Array(height * (width + 1)); // each row: filter byte 0, then the row
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit, greyscale, deflate, no filter, no interlace
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlibStored(raw)), chunk('IEND', new Uint8Array())];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The spectrogram as a PNG: time left to right, frequency bottom to top, loud = white. */
export function spectrogramPng(samples: Float32Array, options: SpectrogramOptions = DEFAULT_SPECTROGRAM): Uint8Array {
  const { frames, bins, db } = spectrogramDb(samples, options);
  const peak = db.reduce((m, v) => Math.max(m, v), -Infinity);
  const pixels = new Uint8Array(frames * bins); // [height = bins, width = frames]
  for (let f = 0; f < frames; f++) {
    for (let b = 0; b < bins; b++) {
      const level = (db[f * bins + b] - peak - options.floorDb) / -options.floorDb;
      pixels[(bins - 1 - b) * frames + f] = Math.round(255 * Math.min(1, Math.max(0, level)));
    }
  }
  return greyPng(pixels, frames, bins);
}
