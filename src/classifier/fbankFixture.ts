/**
 * The proof that the project's features are AST's: reproduce an ast-fbank fixture
 * (../shared/fixtures/ast-fbank: fbank.safetensors + fbank.json) from its 16 kHz waves, and
 * from its 32 kHz waves through the project's own resampler. Runs wherever bytes can be handed
 * in (Node CLI and tests, a browser).
 *
 * Tolerance: 1e-3 absolute on normalised features, except where the reference's log-mel energy is
 * within 1 nat of the log floor. There the reference carries its own float32 FFT rounding (a
 * float32 FFT of the same frames differs from our float64 one by up to 1.3e-3 after normalisation,
 * as much as the reference does: tests/classifier/fbankPrecision.test.ts), so those values get 2e-3.
 */
import { arrayBufferSource } from '../checkpoint/byteSources';
import { openSafetensors } from '../checkpoint/safetensors';
import { AST_FEATURES, astFeatures, audioFeatures } from './astFeatures';
import { AST_FBANK, fbankFrameCount, LOG_FLOOR } from './kaldiFbank';

export const FBANK_TOLERANCE = 1e-3;
export const NEAR_FLOOR_TOLERANCE = 2e-3;
/** Log-mel energies below this are "near the floor": ln(float32 eps) + 1. */
export const NEAR_FLOOR_LOG_ENERGY = Math.log(LOG_FLOOR) + 1;

export interface FbankComparison {
  maxDiff: number;
  /** The largest difference where the reference is more than 1 nat above the log floor. */
  maxDiffAwayFromFloor: number;
  /** Values beyond 1e-3 (all of them near the floor when the comparison passes). */
  beyondTolerance: number;
  passed: boolean;
}

export interface FbankCaseReport {
  name: string;
  fromWave16k: FbankComparison;
  fromWave32k: FbankComparison;
}

export interface FbankFixtureReport {
  passed: boolean;
  cases: FbankCaseReport[];
}

/** Compares normalised features [frames, bins] with the reference, under the tolerances above. */
export function compareFbankFeatures(actual: Float32Array, expected: Float32Array, spec = AST_FEATURES): FbankComparison {
  if (actual.length !== expected.length) return { maxDiff: Infinity, maxDiffAwayFromFloor: Infinity, beyondTolerance: expected.length, passed: false };
  let maxDiff = 0;
  let maxDiffAwayFromFloor = 0;
  let beyondTolerance = 0;
  let passed = true;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    const logEnergy = expected[i] * 2 * spec.std + spec.mean;
    const nearFloor = logEnergy < NEAR_FLOOR_LOG_ENERGY;
    if (!(diff <= (nearFloor ? NEAR_FLOOR_TOLERANCE : FBANK_TOLERANCE))) passed = false; // NaN fails too
    if (!(diff <= FBANK_TOLERANCE)) beyondTolerance++;
    maxDiff = Math.max(maxDiff, Number.isNaN(diff) ? Infinity : diff);
    if (!nearFloor) maxDiffAwayFromFloor = Math.max(maxDiffAwayFromFloor, Number.isNaN(diff) ? Infinity : diff);
  }
  return { maxDiff, maxDiffAwayFromFloor, beyondTolerance, passed };
}

interface FixtureMeta {
  fbank: Record<string, unknown>;
  pad_to_frames: number;
  cases: Record<string, { samples_32k: number; samples_16k: number; fbank_frames_before_pad: number }>;
}

/** The parameters our features use, as fbank.json spells them: a fixture for other settings is refused. */
const EXPECTED_PARAMETERS: Record<string, unknown> = {
  sample_frequency: AST_FBANK.sampleRate,
  window_type: 'hanning',
  num_mel_bins: AST_FEATURES.numMelBins,
  frame_length_ms: AST_FBANK.frameLengthMs,
  frame_shift_ms: AST_FBANK.frameShiftMs,
  preemphasis: AST_FBANK.preemphasis,
  remove_dc_offset: true,
  dither: 0,
  low_freq: AST_FBANK.lowFreq,
  high_freq: 'nyquist',
  round_to_power_of_two: true,
  snip_edges: true,
  use_power: true,
  use_log_fbank: true,
};

function parseMeta(jsonText: string): FixtureMeta {
  let meta: FixtureMeta;
  try {
    meta = JSON.parse(jsonText) as FixtureMeta;
  } catch (error) {
    throw new Error(`fbank.json is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof meta?.fbank !== 'object' || typeof meta.cases !== 'object' || meta.cases === null) throw new Error('fbank.json needs "fbank" parameters and "cases"');
  for (const [key, value] of Object.entries(EXPECTED_PARAMETERS)) {
    if (meta.fbank[key] !== value) throw new Error(`fbank.json: ${key} is ${JSON.stringify(meta.fbank[key])}; the project's AST features use ${JSON.stringify(value)}`);
  }
  if (meta.pad_to_frames !== AST_FEATURES.maxLength) throw new Error(`fbank.json: pad_to_frames is ${meta.pad_to_frames}; the project's AST features use ${AST_FEATURES.maxLength}`);
  return meta;
}

export async function checkAstFbankFixture(safetensors: Uint8Array, jsonText: string): Promise<FbankFixtureReport> {
  const meta = parseMeta(jsonText);
  const reader = await openSafetensors(arrayBufferSource(safetensors, 'fbank.safetensors'));
  const cases: FbankCaseReport[] = [];
  for (const [name, shape] of Object.entries(meta.cases)) {
    const wave16k = await reader.readFloat32(`${name}.wave_16k`, [shape.samples_16k]);
    const wave32k = await reader.readFloat32(`${name}.wave_32k`, [shape.samples_32k]);
    const expected = await reader.readFloat32(`${name}.features`, [AST_FEATURES.maxLength, AST_FEATURES.numMelBins]);
    const frames = fbankFrameCount(wave16k.length);
    if (frames !== shape.fbank_frames_before_pad) throw new Error(`${name}: ${wave16k.length} samples give ${frames} frames, fbank.json says ${shape.fbank_frames_before_pad}`);
    cases.push({
      name,
      fromWave16k: compareFbankFeatures(astFeatures(wave16k, AST_FEATURES, `${name}.wave_16k`), expected),
      fromWave32k: compareFbankFeatures(audioFeatures(wave32k, AST_FEATURES, `${name}.wave_32k`), expected),
    });
  }
  if (cases.length === 0) throw new Error('fbank.json lists no cases');
  return { passed: cases.every((c) => c.fromWave16k.passed && c.fromWave32k.passed), cases };
}
