/**
 * The codes the toy mechanism is built to produce for a prompt's concepts, written directly (no
 * network): the phrase advances one step per note of the tempo class, timbre/loudness/texture
 * codes are constant. Used to render the classifier's training clips and to test the codec.
 */
import { DEFAULT_LEVEL, MOOD_LEVEL, PHRASE_LENGTH, TEMPO_CLASS_VALUES, TEXTURE_NONE, TIMBRE_NEUTRAL, INSTRUMENTS, TEMPO_WORD_VALUES, textureCode, type Genre, type Instrument, type Mood, type Tempo } from './concepts';
import { FRAMES_PER_NOTE } from './residual';

export interface ToyScene {
  instrument?: Instrument; // none: the neutral sine
  genre?: Genre; // none: no backing, the default phrase
  mood?: Mood; // none: the default level
  tempo?: Tempo; // none: one held note
  /** Frames into the first note (varies the phrase's alignment). */
  phase?: number;
  /** Irregular rhythm instead of the tempo's: note lengths in frames, cycled. */
  noteLengths?: readonly number[];
}

/** Rate value of a tempo phrase: the mean of its words' values, as the tempo head averages them. */
export function tempoValue(tempo: Tempo): number {
  const values = tempo.split(' ').filter((w) => w in TEMPO_WORD_VALUES).map((w) => TEMPO_WORD_VALUES[w]);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Frames per note of a tempo phrase (its class's clock period). */
export function framesPerNote(tempo: Tempo): number {
  const k = TEMPO_CLASS_VALUES.indexOf(tempoValue(tempo) as (typeof TEMPO_CLASS_VALUES)[number]);
  if (k < 0) throw new Error(`tempo "${tempo}" has no tempo class`);
  return FRAMES_PER_NOTE[k];
}

/** Codes [4, frames], codebook-major like the engine's RowResult.codes. */
export function intendedCodes(scene: ToyScene, frames: number): Int32Array {
  const codes = new Int32Array(4 * frames);
  const perNote = scene.tempo ? framesPerNote(scene.tempo) : Infinity;
  const timbre = scene.instrument ? INSTRUMENTS.indexOf(scene.instrument) : TIMBRE_NEUTRAL;
  const level = scene.mood ? MOOD_LEVEL[scene.mood] : DEFAULT_LEVEL;
  const texture = scene.genre ? textureCode(scene.genre) : TEXTURE_NONE;
  let note = 0;
  let noteEnd = scene.noteLengths?.[0] ?? Infinity;
  for (let t = 0; t < frames; t++) {
    if (scene.noteLengths && t >= noteEnd) noteEnd += scene.noteLengths[++note % scene.noteLengths.length];
    codes[t] = (scene.noteLengths ? note : Math.floor((t + (scene.phase ?? 0)) / perNote)) % PHRASE_LENGTH;
    codes[frames + t] = timbre;
    codes[2 * frames + t] = level;
    codes[3 * frames + t] = texture;
  }
  return codes;
}
