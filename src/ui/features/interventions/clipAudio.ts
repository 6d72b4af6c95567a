/** Samples as a playable Clip (a WAV object URL), for the A/B players. */
import { encodeWav } from '../../../audio/wav';
import type { Clip } from '../../state/clips';
import type { RunRecord } from '../history/runRecord';

/** `run` says how the clip was made (prompt, settings, model); the label says which intervention. */
export function clipFromSamples(samples: Float32Array, run: RunRecord, label: string, fileStem: string): Clip {
  const wav = encodeWav(samples, run.sampleRate);
  return {
    runId: run.id,
    depth: run.model.numLayers,
    label,
    samples,
    sampleRate: run.sampleRate,
    durationSeconds: samples.length / run.sampleRate,
    wavUrl: URL.createObjectURL(new Blob([wav as BlobPart], { type: 'audio/wav' })),
    fileName: `${fileStem.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.wav`,
    run,
  };
}
