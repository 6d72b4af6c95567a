/** Samples as a playable Clip (a WAV object URL), for the A/B players. */
import { encodeWav } from '../../../audio/wav';
import type { Clip } from '../../state/clips';

export function clipFromSamples(samples: Float32Array, sampleRate: number, label: string, fileStem: string): Clip {
  const wav = encodeWav(samples, sampleRate);
  return {
    depth: 0,
    label,
    samples,
    sampleRate,
    durationSeconds: samples.length / sampleRate,
    wavUrl: URL.createObjectURL(new Blob([wav as BlobPart], { type: 'audio/wav' })),
    fileName: `${fileStem.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.wav`,
  };
}
