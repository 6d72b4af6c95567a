/** Generated audio as the UI keeps it: a WAV object URL (player + download) and the raw samples. */
import { encodeWav } from '../../audio/wav';
import type { GenerateResponse } from '../../lab/workerApi';

export interface Clip {
  depth: number;
  label: string;
  samples: Float32Array; // [samples] mono, for the waveform peaks
  sampleRate: number;
  durationSeconds: number;
  wavUrl: string; // object URL of a 16-bit PCM WAV
  fileName: string;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'clip';
}

/** One Clip per returned row; `numLayers` names the full-depth clip. */
export function clipsFromResponse(response: GenerateResponse, prompt: string, numLayers: number): Clip[] {
  return response.clips.map((clip) => {
    const wav = encodeWav(clip.samples, response.sampleRate);
    const label = clip.depth === numLayers ? `full model (${numLayers} layers)` : `depth ${clip.depth} of ${numLayers}`;
    return {
      depth: clip.depth,
      label,
      samples: clip.samples,
      sampleRate: response.sampleRate,
      durationSeconds: clip.samples.length / response.sampleRate,
      wavUrl: URL.createObjectURL(new Blob([wav as BlobPart], { type: 'audio/wav' })),
      fileName: `musicgen-${slug(prompt)}-depth${clip.depth}.wav`,
    };
  });
}

/** Frees the object URLs of clips that are no longer shown. */
export function releaseClips(clips: readonly Clip[]): void {
  for (const clip of clips) URL.revokeObjectURL(clip.wavUrl);
}
