/**
 * Kaldi-compatible log mel filterbank energies, the features torchaudio.compliance.kaldi.fbank
 * computes and AST's feature extractor feeds its model (see ../shared/fixtures/ast-fbank). Pure;
 * float64 inside, float32 out. Per frame: remove the DC offset, pre-emphasise, window, zero-pad to
 * a power of two, power spectrum, mel filterbank, natural log floored at float32 epsilon.
 */
import { powerSpectrum } from '../audio/fft';
import { melFilterbank, type MelFilter } from './melFilterbank';

export interface FbankOptions {
  sampleRate: number; // Hz
  frameLengthMs: number;
  frameShiftMs: number;
  numMelBins: number;
  preemphasis: number;
  lowFreq: number; // Hz
  highFreq: number; // Hz; ≤ 0: relative to Nyquist
}

/** The parameters of ../shared/fixtures/ast-fbank/fbank.json (AST's ASTFeatureExtractor). */
export const AST_FBANK: FbankOptions = {
  sampleRate: 16000,
  frameLengthMs: 25,
  frameShiftMs: 10,
  numMelBins: 128,
  preemphasis: 0.97,
  lowFreq: 20,
  highFreq: 0,
};

/** torch.finfo(torch.float32).eps: Kaldi's floor before the log. */
export const LOG_FLOOR = 1.1920928955078125e-7;

export interface Fbank {
  frames: number;
  numMelBins: number;
  features: Float32Array; // [frames, numMelBins]
}

/** Frames that fit whole (Kaldi's snip_edges): 1 + ⌊(n − length) / shift⌋, or 0 if n < length. */
export function fbankFrameCount(samples: number, options: FbankOptions = AST_FBANK): number {
  const { length, shift } = frameGeometry(options);
  return samples < length ? 0 : 1 + Math.floor((samples - length) / shift);
}

function frameGeometry(options: FbankOptions): { length: number; shift: number; fftSize: number } {
  const length = Math.round((options.sampleRate * options.frameLengthMs) / 1000);
  const shift = Math.round((options.sampleRate * options.frameShiftMs) / 1000);
  let fftSize = 1;
  while (fftSize < length) fftSize *= 2;
  return { length, shift, fftSize };
}

/** Kaldi's "hanning" window: symmetric Hann, 0.5 − 0.5 cos(2πi / (length − 1)). */
function hanningWindow(length: number): Float64Array {
  const window = new Float64Array(length);
  for (let i = 0; i < length; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (length - 1));
  return window;
}

const filterbankCache = new Map<string, MelFilter[]>();

function cachedFilterbank(options: FbankOptions, fftSize: number): MelFilter[] {
  const key = [options.numMelBins, fftSize, options.sampleRate, options.lowFreq, options.highFreq].join();
  let filters = filterbankCache.get(key);
  if (!filters) {
    filters = melFilterbank({ numBins: options.numMelBins, fftSize, sampleRate: options.sampleRate, lowFreq: options.lowFreq, highFreq: options.highFreq });
    filterbankCache.set(key, filters);
  }
  return filters;
}

/** powerSpectrum's contract: |X_k|² [n/2 + 1] of a real frame [n], into `out`. */
export type PowerSpectrumFn = (frame: Float64Array, out: Float64Array<ArrayBuffer>, scratchRe: Float64Array<ArrayBuffer>, scratchIm: Float64Array<ArrayBuffer>) => Float64Array;

/**
 * `spectrum` is the float64 FFT; tests pass a float32 one to measure how much of the reference's
 * difference near the log floor is its float32 FFT rounding (README, "Input features").
 */
export function kaldiFbank(wave: Float32Array, options: FbankOptions = AST_FBANK, spectrum: PowerSpectrumFn = powerSpectrum): Fbank {
  const { length, shift, fftSize } = frameGeometry(options);
  const frames = fbankFrameCount(wave.length, options);
  const bins = options.numMelBins;
  const features = new Float32Array(frames * bins); // [frames, bins]
  const window = hanningWindow(length);
  const filters = cachedFilterbank(options, fftSize);
  const frame = new Float64Array(fftSize); // [fftSize], zero beyond `length`
  const power = new Float64Array(fftSize / 2 + 1);
  const scratchRe = new Float64Array(fftSize);
  const scratchIm = new Float64Array(fftSize);
  for (let f = 0; f < frames; f++) {
    const offset = f * shift;
    let mean = 0;
    for (let i = 0; i < length; i++) mean += wave[offset + i];
    mean /= length;
    // Pre-emphasis runs backwards so each sample still sees its unmodified predecessor; the first
    // sample is its own predecessor (Kaldi's replicate padding).
    for (let i = length - 1; i >= 0; i--) {
      const current = wave[offset + i] - mean;
      const previous = (i === 0 ? wave[offset] : wave[offset + i - 1]) - mean;
      frame[i] = (current - options.preemphasis * previous) * window[i];
    }
    spectrum(frame, power, scratchRe, scratchIm);
    for (let b = 0; b < bins; b++) {
      const { start, weights } = filters[b];
      let energy = 0;
      for (let j = 0; j < weights.length; j++) energy += weights[j] * power[start + j];
      features[f * bins + b] = Math.log(Math.max(energy, LOG_FLOOR));
    }
  }
  return { frames, numMelBins: bins, features };
}
