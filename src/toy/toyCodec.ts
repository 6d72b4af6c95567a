/**
 * The toy codec: an ONNX graph with the Xenova/musicgen-small `encodec_decode.onnx` contract
 * (`audio_codes` int64 [1, b, 4, T] -> `audio_values` float32 [b, 1, 640·T] at 32 kHz) that plays
 * the four codebooks as a small synth band:
 *   codebook 0  melody: phrase step (a new code = a new note, so onsets come from the codes)
 *   codebook 1  timbre: guitar, piano, trumpet, violin, flute, else a plain sine (read at each note's onset)
 *   codebook 2  loudness level
 *   codebook 3  genre: the phrase's scale and register, and a drum/bass/pad backing
 * Notes are additive synthesis (8 partials, envelope from the note's own onset, vibrato, breath
 * noise). Phases are wrapped to one cycle before Sin, so WebGPU's short-range sin is exact enough.
 */
import { AudioDecoderIO } from '../bundle/graphContract';
import { GraphBuilder, type Value } from '../convert/onnx/builder';
import { OnnxDataType } from '../convert/onnx/proto';
import { SeededRandom } from '../demo/seededRandom';
import { LEVELS, DEFAULT_LEVEL } from './concepts';
import { HARMONICS, LEVEL_GAINS, phraseHz, styleOf, voiceOf } from './synth';

/** The codec's fixed numbers (shared with referenceSynth.ts). */
export const CODEC = {
  sampleRate: 32000,
  samplesPerFrame: 640,
  noiseLength: 4096,
  nyquistGuardHz: 15000, // partials above this are muted (no aliasing)
  backingGain: 0.45,
  outputDrive: 1.2, // into tanh: a gentle limiter
} as const;
const { sampleRate: SAMPLE_RATE, samplesPerFrame: SAMPLES_PER_FRAME, noiseLength: NOISE_LENGTH, nyquistGuardHz: NYQUIST_GUARD_HZ, backingGain: BACKING_GAIN, outputDrive: OUTPUT_DRIVE } = CODEC;
const CODES = 64;
const CODEBOOKS = 4;

/** Per timbre code: [attack, decay, sustain, damping, vibratoDepth, vibratoRate, breath, octaveFactor, repeat]. */
const VOICE_PARAMS = 9;
function voiceTable(): Float32Array {
  const table = new Float32Array(CODES * VOICE_PARAMS); // [64, P]
  for (let c = 0; c < CODES; c++) {
    const v = voiceOf(c);
    table.set([v.attack, v.decay, v.sustain, v.damping, v.vibratoDepth, v.vibratoRate, v.breath, 2 ** v.octave, v.repeat], c * VOICE_PARAMS);
  }
  return table;
}

function harmonicTable(): Float32Array {
  const table = new Float32Array(CODES * HARMONICS); // [64, H]
  for (let c = 0; c < CODES; c++) table.set(voiceOf(c).harmonics, c * HARMONICS);
  return table;
}

/** Per texture code: [beat, kick, snare, hat, ride, pad, bass, rootHz]. */
const STYLE_PARAMS = 8;
function styleTable(): Float32Array {
  const table = new Float32Array(CODES * STYLE_PARAMS); // [64, P]
  for (let c = 0; c < CODES; c++) {
    const s = styleOf(c);
    table.set([s.beat, s.kick, s.snare, s.hat, s.ride, s.pad, s.bass, phraseHz(c, 0)], c * STYLE_PARAMS);
  }
  return table;
}

/** Hz of (texture code, pitch code), flattened [64·64]. */
function pitchTable(): Float32Array {
  const table = new Float32Array(CODES * CODES);
  for (let texture = 0; texture < CODES; texture++) for (let pitch = 0; pitch < CODES; pitch++) table[texture * CODES + pitch] = phraseHz(texture, pitch);
  return table;
}

function levelTable(): Float32Array {
  return Float32Array.from({ length: CODES }, (_, c) => LEVEL_GAINS[c < LEVELS ? c : DEFAULT_LEVEL]);
}

/** White noise and a brighter first difference of it (hats, cymbals). */
export function noiseTables(): { white: Float32Array; hiss: Float32Array } {
  const white = new SeededRandom(7, 'toy_codec.noise').uniformArray(NOISE_LENGTH, -1, 1);
  const hiss = Float32Array.from(white, (x, n) => 0.5 * (x - white[(n + NOISE_LENGTH - 1) % NOISE_LENGTH]));
  return { white, hiss };
}

export function buildToyCodec(): Uint8Array {
  const g = new GraphBuilder('toy_codec');
  const f = (name: string, value: number) => g.constFloat(name, [value], []);
  const sub = (a: Value, b: Value) => g.op('Sub', [a, b]);
  const div = (a: Value, b: Value) => g.op('Div', [a, b]);
  const exp = (x: Value) => g.op('Exp', [x]);
  const toFloat = (x: Value) => g.op('Cast', [x], { to: OnnxDataType.FLOAT });
  const unsqueeze = (x: Value, axes: number[], name: string) => g.op('Unsqueeze', [x, g.constInt64(name, axes)]);
  const one = f('one', 1);
  const twoPi = f('two_pi', 2 * Math.PI);
  const pi = f('pi', Math.PI);
  /** sin(2π·u) with the argument wrapped to [−π, π) first. */
  const sinCycles = (u: Value) => g.op('Neg', [g.op('Sin', [sub(g.mul(sub(u, g.op('Floor', [u])), twoPi), pi)])]);
  /** x mod period for x ≥ −period (float). */
  const modulo = (x: Value, period: Value) => sub(x, g.mul(g.op('Floor', [div(x, period)]), period));
  /** exp(−x / scale) */
  const decay = (x: Value, scale: Value) => exp(g.op('Neg', [div(x, scale)]));

  const audioCodes = g.input(AudioDecoderIO.audioCodes, 'INT64', [1, 'batch', CODEBOOKS, 'frames']); // [1, b, 4, T]
  const codes = g.op('Squeeze', [audioCodes, g.constInt64('axis_zero', [0])]); // [b, 4, T]
  const codebook = (k: number) => g.op('Gather', [codes, g.constInt64(`codebook_${k}`, [k], [])], { axis: 1 }); // [b, T]
  const [pitch, timbre, level, texture] = [0, 1, 2, 3].map(codebook);

  // Onsets: frame 0 and every frame whose phrase step differs from the previous frame's.
  const first = g.op('Slice', [pitch, g.constInt64('s0', [0]), g.constInt64('s1', [1]), g.constInt64('s_axis', [1])]); // [b, 1]
  const sentinel = sub(g.mul(first, g.constInt64('zero_i', [0], [])), g.constInt64('one_i', [1], [])); // [b, 1], −1
  const shifted = g.op('Slice', [pitch, g.constInt64('p0', [0]), g.constInt64('p_end', [-1]), g.constInt64('p_axis', [1])]); // [b, T−1]
  const previous = g.concat([sentinel, shifted], 1); // [b, T]
  const onset = toFloat(g.op('Not', [g.op('Equal', [pitch, previous])])); // [b, T]

  // Frames since the current note's onset: note index n = cumulative onsets (a triangular MatMul),
  // the onset frame = Σ onset·u over frames u of the same note.
  const frameCount = g.op('Squeeze', [g.op('Shape', [pitch], { start: 1, end: 2 })]); // scalar T
  const frames = toFloat(g.op('Range', [g.constInt64('r0', [0], []), frameCount, g.constInt64('r1', [1], [])])); // [T]
  const column = unsqueeze(frames, [1], 'axis_col'); // [T, 1]
  const row = unsqueeze(frames, [0], 'axis_row'); // [1, T]
  const upper = toFloat(g.op('LessOrEqual', [column, row])); // [T, T], u ≤ t
  const noteIndex = g.matmul(onset, upper); // [b, T]
  const sameNote = toFloat(g.op('Equal', [unsqueeze(noteIndex, [2], 'axis_n2'), unsqueeze(noteIndex, [1], 'axis_n1')])); // [b, T, T]
  const onsetFrame = g.matmul(sameNote, unsqueeze(g.mul(onset, frames), [2], 'axis_o2')); // [b, T, 1]
  const sinceOnset = sub(unsqueeze(column, [0], 'axis_c0'), onsetFrame); // [b, T, 1], frames

  // A note keeps the instrument chosen at its onset (a frame-by-frame timbre change never splits a note).
  const onsetTimbre = g.matmul(sameNote, unsqueeze(g.mul(onset, toFloat(timbre)), [2], 'axis_i2')); // [b, T, 1]
  const noteTimbre = g.op('Cast', [g.op('Squeeze', [onsetTimbre, g.constInt64('axis_i2s', [2])])], { to: OnnxDataType.INT64 }); // [b, T]

  const samples = toFloat(g.op('Range', [g.constInt64('q0', [0], []), g.constInt64('q1', [SAMPLES_PER_FRAME], []), g.constInt64('q2', [1], [])])); // [S]
  const sampleRow = g.reshape(samples, g.constInt64('shape_s', [1, 1, SAMPLES_PER_FRAME])); // [1, 1, S]
  const perFrame = f('per_frame', SAMPLES_PER_FRAME);
  const rate = f('rate', SAMPLE_RATE);
  const sinceNote = div(g.add(g.mul(sinceOnset, perFrame), sampleRow), rate); // [b, T, S], s since onset
  const absoluteSample = g.add(g.mul(unsqueeze(column, [0], 'axis_c1'), perFrame), sampleRow); // [1, T, S]
  const time = div(absoluteSample, rate); // [1, T, S], s since the clip's start

  // Voice parameters per frame.
  const lookup = (name: string, data: Float32Array, width: number, codesOf: Value) => g.op('Gather', [g.constFloat(name, data, [CODES, width]), codesOf], { axis: 0 }); // [b, T, width]
  const voice = lookup('voices', voiceTable(), VOICE_PARAMS, noteTimbre); // [b, T, P]
  const param = (table: Value, index: number, name: string) => g.op('Gather', [table, g.constInt64(name, [index], [1])], { axis: 2 }); // [b, T, 1]
  const [attack, decayTime, sustain, damping, vibratoDepth, vibratoRate, breath, octave, repeat] = Array.from({ length: VOICE_PARAMS }, (_, i) => param(voice, i, `voice_param_${i}`));
  const tau = modulo(sinceNote, repeat); // [b, T, S], s since the note was last struck
  const pitchIndex = g.add(g.mul(texture, g.constInt64('codes_i', [CODES], [])), pitch); // [b, T]
  const hz = g.mul(unsqueeze(g.op('Gather', [g.constFloat('pitch_hz', pitchTable(), [CODES * CODES]), pitchIndex], { axis: 0 }), [2], 'axis_hz'), octave); // [b, T, 1]

  // Phase in cycles with vibrato: f·τ + f·depth/(2π·rate)·(1 − cos 2π·rate·τ).
  const vibratoCycles = g.mul(div(g.mul(hz, vibratoDepth), g.mul(vibratoRate, twoPi)), sub(one, sinCycles(g.add(g.mul(vibratoRate, tau), f('quarter', 0.25))))); // [b, T, S]
  const cycles = g.add(g.mul(hz, tau), vibratoCycles); // [b, T, S]
  const harmonicNumbers = g.constFloat('harmonic_numbers', Float32Array.from({ length: HARMONICS }, (_, h) => h + 1), [1, 1, 1, HARMONICS]); // [1, 1, 1, H]
  const partialCycles = g.mul(unsqueeze(cycles, [3], 'axis_p3'), harmonicNumbers); // [b, T, S, H]
  const amplitudes = unsqueeze(lookup('harmonics', harmonicTable(), HARMONICS, noteTimbre), [2], 'axis_h2'); // [b, T, 1, H]
  const audible = toFloat(g.op('Less', [g.mul(unsqueeze(hz, [3], 'axis_hz3'), harmonicNumbers), f('nyquist_guard', NYQUIST_GUARD_HZ)])); // [b, T, 1, H]
  const partialDecay = exp(g.op('Neg', [g.mul(g.mul(unsqueeze(tau, [3], 'axis_t3'), unsqueeze(damping, [3], 'axis_d3')), sub(harmonicNumbers, one))])); // [b, T, S, H]
  const partials = g.mul(g.mul(sinCycles(partialCycles), g.mul(amplitudes, audible)), partialDecay); // [b, T, S, H]
  const tone = g.op('ReduceSum', [partials, g.constInt64('axis_h', [3])], { keepdims: 0 }); // [b, T, S]

  const envelope = g.mul(sub(one, decay(tau, attack)), g.add(sustain, g.mul(sub(one, sustain), decay(tau, decayTime)))); // [b, T, S]
  const { white, hiss } = noiseTables();
  const noiseIndex = g.op('Cast', [modulo(absoluteSample, f('noise_length', NOISE_LENGTH))], { to: OnnxDataType.INT64 }); // [1, T, S]
  const noise = (name: string, table: Float32Array) => g.op('Gather', [g.constFloat(name, table, [NOISE_LENGTH]), noiseIndex], { axis: 0 }); // [1, T, S]
  const whiteNoise = noise('white_noise', white);
  const hissNoise = noise('hiss_noise', hiss);
  const gain = unsqueeze(g.op('Gather', [g.constFloat('level_gains', levelTable(), [CODES]), level], { axis: 0 }), [2], 'axis_g2'); // [b, T, 1]
  const melody = g.mul(g.mul(g.add(tone, g.mul(whiteNoise, breath)), envelope), gain); // [b, T, S]

  // Backing from the genre code, on the clip's own clock.
  const style = lookup('styles', styleTable(), STYLE_PARAMS, texture); // [b, T, P]
  const [beat, kick, snare, hat, ride, pad, bass, rootHz] = Array.from({ length: STYLE_PARAMS }, (_, i) => param(style, i, `style_param_${i}`));
  const sinceKick = modulo(time, beat); // [b, T, S]
  const kickWave = g.mul(sinCycles(g.add(g.mul(sinceKick, f('kick_hz', 45)), g.mul(f('kick_sweep', 3), sub(one, decay(sinceKick, f('kick_sweep_time', 0.02)))))), decay(sinceKick, f('kick_time', 0.15)));
  const sinceSnare = modulo(sub(time, f('half', 0.5)), one); // [1, T, S]
  const snareWave = g.mul(whiteNoise, decay(sinceSnare, f('snare_time', 0.07)));
  const hatWave = g.mul(hissNoise, decay(modulo(time, f('quarter_s', 0.25)), f('hat_time', 0.025)));
  const swing = g.add(decay(modulo(time, f('ride_beat', 0.5)), f('ride_time', 0.25)), g.mul(f('ride_swing', 0.6), decay(modulo(sub(time, f('ride_offset', 1 / 3)), f('ride_beat2', 0.5)), f('ride_time2', 0.12))));
  const rideWave = g.mul(hissNoise, swing);
  const padWave = g.add(sinCycles(g.mul(time, g.mul(rootHz, f('pad_low', 0.5)))), g.mul(f('pad_fifth_gain', 0.6), sinCycles(g.mul(time, g.mul(rootHz, f('pad_fifth', 0.75))))));
  const bassCycles = g.mul(time, g.mul(rootHz, f('bass_octaves', 0.25)));
  let bassTone = sinCycles(bassCycles);
  for (const k of [2, 3, 4]) bassTone = g.add(bassTone, g.mul(f(`bass_h${k}`, 1 / k), sinCycles(g.mul(bassCycles, f(`bass_k${k}`, k)))));
  const bassWave = g.mul(bassTone, decay(modulo(time, f('eighth', 0.25)), f('bass_time', 0.18)));
  const backing = [g.mul(kick, kickWave), g.mul(snare, snareWave), g.mul(hat, hatWave), g.mul(ride, rideWave), g.mul(pad, padWave), g.mul(g.mul(bass, bassWave), f('bass_gain', 0.5))].reduce((a, b) => g.add(a, b)); // [b, T, S]

  const mixed = g.add(melody, g.mul(backing, f('backing_gain', BACKING_GAIN))); // [b, T, S]
  const audio = g.op('Tanh', [g.mul(mixed, f('drive', OUTPUT_DRIVE))]); // [b, T, S]
  g.output(g.reshape(audio, g.constInt64('mono_shape', [0, 1, -1])), AudioDecoderIO.audioValues, 'FLOAT', ['batch', 1, 'samples']);
  return g.toBytes({ producer: 'musicgen-lab make-toy', doc: 'Toy codec: a synth band playing the toy MusicGen codes (Xenova encodec_decode contract).' });
}
