/** Codes -> waveform through the EnCodec decoder graph (encodec_decode contract). */
import { AudioDecoderIO } from '../bundle/graphContract';
import type { Session } from '../runtime/ort';

/** `codes`: one [K, frames] array per clip; returns one [samplesPerFrame·frames] waveform per clip. */
export async function decodeAudio(decoder: Session, codes: readonly Int32Array[], K: number, frames: number): Promise<Float32Array[]> {
  if (codes.length === 0) return [];
  const b = codes.length;
  const audioCodes = new BigInt64Array(b * K * frames); // [1, b, K, T]
  codes.forEach((clip, i) => {
    if (clip.length !== K * frames) throw new Error(`clip ${i} has ${clip.length} codes, expected ${K}×${frames}`);
    for (let j = 0; j < clip.length; j++) audioCodes[i * K * frames + j] = BigInt(clip[j]);
  });
  const out = await decoder.run({ [AudioDecoderIO.audioCodes]: { type: 'int64', data: audioCodes, dims: [1, b, K, frames] } });
  const audio = out[AudioDecoderIO.audioValues];
  if (audio?.type !== 'float32' || audio.dims.length !== 3 || audio.dims[0] !== b) {
    throw new Error(`${decoder.name}: expected ${AudioDecoderIO.audioValues} float32 [${b}, 1, samples]`);
  }
  const samples = audio.dims[2];
  return codes.map((_, i) => audio.data.slice(i * samples, (i + 1) * samples)); // [samples] each
}
