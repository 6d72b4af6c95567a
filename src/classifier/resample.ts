/**
 * 32 kHz → 16 kHz: a Hann-windowed sinc low-pass (cut-off 0.99 × the new Nyquist, six zero
 * crossings each side, as torchaudio's default resample) evaluated at every other input sample.
 * Samples beyond the clip count as 0. Pure; float64 sums, float32 out.
 */

export const ROLLOFF = 0.99;
export const ZERO_CROSSINGS = 6;

/** Filter taps h[k], k = −half..half, in input samples, for halving the sample rate. */
function halfBandTaps(): { taps: Float64Array; half: number } {
  const cutoff = ROLLOFF * 0.5; // in cycles per input sample × 2 (1 = the input's Nyquist)
  const reach = ZERO_CROSSINGS / cutoff; // half-width of the window, in input samples
  const half = Math.floor(reach);
  const taps = new Float64Array(2 * half + 1);
  for (let k = -half; k <= half; k++) {
    const x = Math.PI * cutoff * k;
    const sinc = k === 0 ? 1 : Math.sin(x) / x;
    const window = Math.cos((Math.PI * k) / (2 * reach)) ** 2;
    taps[k + half] = cutoff * sinc * window;
  }
  return { taps, half };
}

const { taps: TAPS, half: HALF } = halfBandTaps();

/** Output length ⌈n / 2⌉: sample i of the output sits at input sample 2i. */
export function resample32kTo16k(samples: Float32Array): Float32Array {
  const out = new Float32Array(Math.ceil(samples.length / 2)); // [n / 2]
  for (let i = 0; i < out.length; i++) {
    const centre = 2 * i;
    const from = Math.max(-HALF, -centre);
    const to = Math.min(HALF, samples.length - 1 - centre);
    let sum = 0;
    for (let k = from; k <= to; k++) sum += TAPS[k + HALF] * samples[centre + k];
    out[i] = sum;
  }
  return out;
}
