/**
 * Generated audio as the UI keeps it: a WAV object URL (player + download), the raw samples (for
 * waveform and spectrogram) and how it was made (the run's record), shown next to every clip.
 */
import { encodeWav } from '../../audio/wav';
import { clipFileName, depthLabel, type RunAudio, type RunRecord } from '../features/history/runRecord';

export interface Clip {
  runId: string;
  depth: number;
  label: string;
  samples: Float32Array; // [samples] mono, for the waveform peaks and the spectrogram
  sampleRate: number;
  durationSeconds: number;
  wavUrl: string; // object URL of a 16-bit PCM WAV
  fileName: string;
  /** The run that made the clip: prompt, settings, model, backend. */
  run: RunRecord;
}

/** One Clip per stored clip of a run, in the run's order. */
export function clipsFromRun(record: RunRecord, audio: RunAudio): Clip[] {
  return audio.clips.map(({ depth, samples }) => {
    const wav = encodeWav(samples, record.sampleRate);
    return {
      runId: record.id,
      depth,
      label: depthLabel(depth, record.model.numLayers),
      samples,
      sampleRate: record.sampleRate,
      durationSeconds: samples.length / record.sampleRate,
      wavUrl: URL.createObjectURL(new Blob([wav as BlobPart], { type: 'audio/wav' })),
      fileName: clipFileName(record, depth),
      run: record,
    };
  });
}

/** Frees the object URLs of clips that are no longer shown. */
export function releaseClips(clips: readonly Clip[]): void {
  for (const clip of clips) URL.revokeObjectURL(clip.wavUrl);
}
