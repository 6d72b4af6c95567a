/**
 * The AST AudioSet model's input: Kaldi fbank of 16 kHz audio, zero-padded or truncated to
 * `maxLength` frames (padding happens in the log-mel domain, before normalisation), then
 * normalised as (x − mean) / (2 · std). Defaults are those of
 * MIT/ast-finetuned-audioset-10-10-0.4593's preprocessor_config.json.
 */
import { AST_FBANK, kaldiFbank } from './kaldiFbank';
import { resample32kTo16k } from './resample';

export interface AstFeatureSpec {
  numMelBins: number;
  maxLength: number; // frames
  mean: number;
  std: number;
}

export const AST_FEATURES: AstFeatureSpec = { numMelBins: 128, maxLength: 1024, mean: -4.2677393, std: 4.5689974 };

export class AudioInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AudioInputError';
  }
}

function checkSamples(samples: Float32Array, sampleRate: number, label: string): void {
  const frameSamples = Math.round((AST_FBANK.frameLengthMs * sampleRate) / 1000); // one analysis frame
  if (samples.length < frameSamples) throw new AudioInputError(`${label} has ${samples.length} samples; at least ${frameSamples} (${AST_FBANK.frameLengthMs} ms at ${sampleRate / 1000} kHz) are needed`);
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i])) throw new AudioInputError(`${label} has a non-finite sample (${samples[i]}) at index ${i}`);
  }
}

/** Features of 16 kHz mono audio: [maxLength, numMelBins]. */
export function astFeatures(wave16k: Float32Array, spec: AstFeatureSpec = AST_FEATURES, label = 'audio clip'): Float32Array {
  checkSamples(wave16k, AST_FBANK.sampleRate, label);
  const { frames, features } = kaldiFbank(wave16k, { ...AST_FBANK, numMelBins: spec.numMelBins });
  const bins = spec.numMelBins;
  const out = new Float32Array(spec.maxLength * bins); // [maxLength, bins]
  const kept = Math.min(frames, spec.maxLength);
  const scale = 1 / (2 * spec.std);
  for (let i = 0; i < kept * bins; i++) out[i] = (features[i] - spec.mean) * scale;
  out.fill((0 - spec.mean) * scale, kept * bins); // padded frames are log-mel 0
  return out;
}

/** Features of a 32 kHz clip (MusicGen's output rate): resampled to 16 kHz first. [maxLength, numMelBins]. */
export function audioFeatures(samples32k: Float32Array, spec: AstFeatureSpec = AST_FEATURES, label = 'audio clip'): Float32Array {
  checkSamples(samples32k, 32000, label);
  return astFeatures(resample32kTo16k(samples32k), spec, label);
}
