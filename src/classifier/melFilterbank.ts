/**
 * Kaldi's triangular mel filterbank (as torchaudio.compliance.kaldi.fbank builds it, no VTLN):
 * mel(f) = 1127 ln(1 + f / 700); bin b spans mel points b, b+1, b+2 of num_bins + 2 equally spaced
 * points from low_freq to high_freq; a triangle's weights are evaluated at the mel of each FFT bin
 * centre k · sr / fftSize. The Nyquist bin always gets weight 0 (Kaldi builds fftSize / 2 columns).
 */

export function melScale(hz: number): number {
  return 1127 * Math.log(1 + hz / 700);
}

export interface MelFilter {
  /** First FFT bin with a non-zero weight. */
  start: number;
  weights: Float64Array; // [bins covered]
}

export interface MelFilterbankSpec {
  numBins: number;
  fftSize: number; // padded window length (power of two)
  sampleRate: number;
  lowFreq: number; // Hz
  /** Hz; ≤ 0 means Nyquist + highFreq (Kaldi's convention), so 0 is Nyquist. */
  highFreq: number;
}

export function melFilterbank({ numBins, fftSize, sampleRate, lowFreq, highFreq }: MelFilterbankSpec): MelFilter[] {
  const nyquist = sampleRate / 2;
  const high = highFreq <= 0 ? nyquist + highFreq : highFreq;
  if (!(lowFreq >= 0 && lowFreq < high && high <= nyquist)) throw new Error(`mel filterbank: need 0 ≤ low_freq (${lowFreq}) < high_freq (${high}) ≤ Nyquist (${nyquist})`);
  if (!Number.isInteger(numBins) || numBins < 1) throw new Error(`mel filterbank: num_mel_bins must be a whole number ≥ 1, got ${numBins}`);
  const columns = fftSize / 2; // the Nyquist bin (index fftSize/2) stays 0
  const binWidth = sampleRate / fftSize;
  const melLow = melScale(lowFreq);
  const melDelta = (melScale(high) - melLow) / (numBins + 1);
  const filters: MelFilter[] = [];
  for (let b = 0; b < numBins; b++) {
    const left = melLow + b * melDelta;
    const centre = left + melDelta;
    const right = centre + melDelta;
    const weights: number[] = [];
    let start = -1;
    for (let k = 0; k < columns; k++) {
      const mel = melScale(k * binWidth);
      const weight = Math.max(0, Math.min((mel - left) / (centre - left), (right - mel) / (right - centre)));
      if (weight > 0) {
        if (start === -1) start = k;
        weights.push(weight);
      } else if (start !== -1) break; // a triangle is contiguous
    }
    filters.push({ start: Math.max(start, 0), weights: Float64Array.from(weights) });
  }
  return filters;
}
