/**
 * Why the fixture's chirp_long case sits at 1.5e-3 from the reference near the log floor, not
 * within 1e-3: the reference (torchaudio 0.13.1, torch.fft.rfft on float32 frames) carries its
 * FFT's float32 rounding, about eps × the frame's spectrum. In bands ~1e-11 below the frame's
 * power that is ~1 % of the band, 0.01 nats, 1e-3 after normalisation. Our FFT is float64. A
 * float32 FFT of the same frames (every butterfly rounded) deviates from our float64 features as
 * much as the reference does, and is no closer to it: no precision choice of ours reproduces
 * another library's float32 rounding.
 */
import { describe, expect, it } from 'vitest';
import { arrayBufferSource } from '../../src/checkpoint/byteSources';
import { openSafetensors } from '../../src/checkpoint/safetensors';
import { AST_FEATURES } from '../../src/classifier/astFeatures';
import { AST_FBANK, kaldiFbank, LOG_FLOOR } from '../../src/classifier/kaldiFbank';
import { loadAstFbankFixture } from './fixtureFiles';
import { float32PowerSpectrum } from './float32PowerSpectrum';

interface Deviation {
  rms: number;
  max: number;
}

/** rms and max |a − b| (nats) over the values where `where` holds. */
function deviation(a: Float32Array, b: Float32Array, where: (i: number) => boolean): Deviation {
  let count = 0;
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    if (!where(i)) continue;
    const d = a[i] - b[i];
    count++;
    sum += d * d;
    max = Math.max(max, Math.abs(d));
  }
  return { rms: Math.sqrt(sum / count), max };
}

describe('fbank precision against the reference (chirp_long)', () => {
  it('the reference differs from float64 near the log floor as much as a float32 FFT does, and computing in float32 does not close the gap', async () => {
    const { safetensors } = loadAstFbankFixture();
    const reader = await openSafetensors(arrayBufferSource(safetensors, 'fbank.safetensors'));
    const wave = await reader.readFloat32('chirp_long.wave_16k', [192000]);
    const normalised = await reader.readFloat32('chirp_long.features', [AST_FEATURES.maxLength, AST_FEATURES.numMelBins]);
    const ours = kaldiFbank(wave); // float64 FFT, [1198, 128] log-mel
    const float32Fft = kaldiFbank(wave, AST_FBANK, float32PowerSpectrum);
    const kept = AST_FEATURES.maxLength * AST_FEATURES.numMelBins; // the reference is truncated to 1024 frames
    const reference = Float32Array.from(normalised, (x) => x * 2 * AST_FEATURES.std + AST_FEATURES.mean); // [1024, 128] log-mel
    const f64 = ours.features.subarray(0, kept);
    const f32 = float32Fft.features.subarray(0, kept);

    const floor = Math.log(LOG_FLOOR);
    const nearFloor = (i: number) => f64[i] > floor && f64[i] <= floor + 1;
    const loud = (i: number) => f64[i] > -8;
    const referenceNear = deviation(reference, f64, nearFloor);
    const float32Near = deviation(f32, f64, nearFloor);
    const referenceLoud = deviation(reference, f64, loud);
    const maxNormalised = (a: Float32Array) => deviation(a, reference, () => true).max / (2 * AST_FEATURES.std);
    console.log(
      `chirp_long, log-mel within 1 nat of the floor: reference − float64 rms ${referenceNear.rms.toExponential(1)}, max ${referenceNear.max.toExponential(1)} nats; ` +
        `float32 FFT − float64 rms ${float32Near.rms.toExponential(1)}, max ${float32Near.max.toExponential(1)}; above −8: reference − float64 max ${referenceLoud.max.toExponential(1)}; ` +
        `max normalised |diff| to the reference: float64 ${maxNormalised(f64).toExponential(2)}, float32 FFT ${maxNormalised(f32).toExponential(2)}`,
    );
    // Measured: reference 5.8e-4 rms, 1.4e-2 max; float32 FFT 5.0e-4 rms, 1.2e-2 max (nats).
    expect(referenceNear.rms / float32Near.rms).toBeGreaterThan(0.5);
    expect(referenceNear.rms / float32Near.rms).toBeLessThan(2);
    expect(referenceNear.max / float32Near.max).toBeGreaterThan(0.5);
    expect(referenceNear.max / float32Near.max).toBeLessThan(2);
    // Far from the floor the same rounding is negligible (measured 1.1e-3 nats, 1.2e-4 normalised).
    expect(referenceLoud.max).toBeLessThan(2e-3);
    // Going float32 ourselves does not close the gap (measured 1.50e-3 vs float64's 1.51e-3).
    expect(maxNormalised(f64)).toBeGreaterThan(1e-3);
    expect(maxNormalised(f32)).toBeGreaterThan(1e-3);
  });
});
