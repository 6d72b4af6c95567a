/** WAV (RIFF) encoding of mono float audio as 16-bit PCM: a pure function, no DOM. */

const HEADER_BYTES = 44;
const BYTES_PER_SAMPLE = 2;

/** Float sample in [-1, 1] to a 16-bit integer; clips out-of-range values, NaN becomes 0. */
function toInt16(sample: number): number {
  if (!(sample === sample)) return 0; // NaN
  const clipped = Math.max(-1, Math.min(1, sample));
  // Asymmetric scale so that -1 maps to -32768 and 1 to 32767.
  return clipped < 0 ? Math.round(clipped * 0x8000) : Math.round(clipped * 0x7fff);
}

/**
 * Encodes mono samples as a 16-bit PCM WAV file.
 * @param samples [n] floats in [-1, 1]
 * @returns [44 + 2n] bytes: RIFF header then little-endian int16 samples
 */
export function encodeWav(samples: Float32Array, sampleRate: number): Uint8Array {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new Error(`encodeWav: sample rate must be a positive integer, got ${sampleRate}`);
  const dataBytes = samples.length * BYTES_PER_SAMPLE;
  const bytes = new Uint8Array(HEADER_BYTES + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  const channels = 1;
  ascii(0, 'RIFF');
  view.setUint32(4, HEADER_BYTES - 8 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size for PCM
  view.setUint16(20, 1, true); // audio format 1 = integer PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * BYTES_PER_SAMPLE, true); // byte rate
  view.setUint16(32, channels * BYTES_PER_SAMPLE, true); // block align
  view.setUint16(34, 8 * BYTES_PER_SAMPLE, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(HEADER_BYTES + i * BYTES_PER_SAMPLE, toInt16(samples[i]), true);
  return bytes;
}
