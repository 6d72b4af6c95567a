/**
 * What the toy codec plays: per instrument a harmonic spectrum, envelope and vibrato; per genre a
 * phrase, a register and a backing pattern; per loudness level a gain. Pure tables, read by the
 * codec graph (toyCodec.ts), the classifier fit and the tests.
 */
import { GENRES, INSTRUMENTS, PHRASE_LENGTH, TIMBRE_NEUTRAL, type Genre, type Instrument } from './concepts';

export const HARMONICS = 8;

export interface Voice {
  harmonics: readonly number[]; // amplitude of partials 1..HARMONICS
  attack: number; // s, 1 − exp(−τ/attack)
  decay: number; // s, towards `sustain`
  sustain: number; // 0 = plucked/struck (dies away), 1 = held (bowed, blown)
  damping: number; // 1/s per partial above the first: bright attacks that mellow (strings, hammers)
  vibratoDepth: number; // fraction of the pitch
  vibratoRate: number; // Hz
  breath: number; // noise amount (bow, breath)
  octave: number; // octaves above the phrase's register
  repeat: number; // s: a held note is struck again this often (plucked and struck voices), so a long note stays that instrument
}

export const VOICES: Record<Instrument | 'neutral', Voice> = {
  guitar: { harmonics: [1, 0.7, 0.5, 0.35, 0.22, 0.14, 0.09, 0.05], attack: 0.002, decay: 0.28, sustain: 0, damping: 5, vibratoDepth: 0, vibratoRate: 5, breath: 0, octave: -1, repeat: 0.5 },
  piano: { harmonics: [1, 0.4, 0.22, 0.12, 0.07, 0.04, 0.02, 0.01], attack: 0.004, decay: 0.8, sustain: 0.05, damping: 1.5, vibratoDepth: 0, vibratoRate: 5, breath: 0, octave: 0, repeat: 0.5 },
  trumpet: { harmonics: [0.55, 0.85, 1, 0.9, 0.75, 0.55, 0.4, 0.28], attack: 0.035, decay: 0.3, sustain: 0.85, damping: 0, vibratoDepth: 0.004, vibratoRate: 5, breath: 0.01, octave: 0, repeat: 1000 },
  violin: { harmonics: [1, 0.5, 0.34, 0.25, 0.2, 0.16, 0.13, 0.11], attack: 0.09, decay: 0.5, sustain: 0.95, damping: 0, vibratoDepth: 0.012, vibratoRate: 5.5, breath: 0.02, octave: 0, repeat: 1000 },
  flute: { harmonics: [1, 0.22, 0.07, 0.025, 0.01, 0, 0, 0], attack: 0.06, decay: 0.5, sustain: 0.9, damping: 0, vibratoDepth: 0.006, vibratoRate: 4.5, breath: 0.06, octave: 1, repeat: 1000 },
  neutral: { harmonics: [1, 0, 0, 0, 0, 0, 0, 0], attack: 0.02, decay: 0.5, sustain: 1, damping: 0, vibratoDepth: 0, vibratoRate: 5, breath: 0, octave: 0, repeat: 1000 },
};

/** The voice of a timbre code (codes past the instruments play the neutral sine). */
export function voiceOf(code: number): Voice {
  return code < TIMBRE_NEUTRAL ? VOICES[INSTRUMENTS[code]] : VOICES.neutral;
}

export interface Style {
  root: number; // MIDI note of phrase step 0
  phrase: readonly number[]; // semitones above the root, one per phrase step
  beat: number; // s between kicks
  kick: number;
  snare: number; // on beats 2 and 4 (every second half-second)
  hat: number; // every quarter second
  ride: number; // swung: on the beat and two thirds into it
  pad: number; // a soft held fifth under the root
  bass: number; // eighth-note bass on the root
}

export const STYLES: Record<Genre | 'none', Style> = {
  none: { root: 60, phrase: [0, 2, 4, 5, 7, 5, 4, 2], beat: 1, kick: 0, snare: 0, hat: 0, ride: 0, pad: 0, bass: 0 },
  rock: { root: 52, phrase: [0, 3, 5, 7, 10, 7, 5, 3], beat: 1, kick: 1, snare: 0.8, hat: 0.4, ride: 0, pad: 0, bass: 0.5 },
  pop: { root: 67, phrase: [0, 4, 7, 9, 7, 4, 2, 4], beat: 1, kick: 0.7, snare: 0.6, hat: 0.25, ride: 0, pad: 0.25, bass: 0.25 },
  electronic: { root: 57, phrase: [0, 12, 3, 12, 7, 12, 3, 10], beat: 0.5, kick: 1.2, snare: 0.3, hat: 0.7, ride: 0, pad: 0, bass: 0.8 },
  jazz: { root: 62, phrase: [0, 3, 7, 10, 14, 10, 9, 5], beat: 2, kick: 0.25, snare: 0, hat: 0, ride: 0.8, pad: 0, bass: 0.6 },
  classical: { root: 72, phrase: [0, 2, 4, 5, 7, 9, 11, 12], beat: 1, kick: 0, snare: 0, hat: 0, ride: 0, pad: 0.7, bass: 0 },
};

/** The style of a texture code: 0 = none, 1 + g = GENRES[g], anything else none. */
export function styleOf(code: number): Style {
  return code >= 1 && code <= GENRES.length ? STYLES[GENRES[code - 1]] : STYLES.none;
}

/** Gain of each loudness level (codebook 2); codes past the levels play at the default. */
export const LEVEL_GAINS = [0.18, 0.28, 0.4, 0.55, 0.72] as const;

export function midiToHz(midi: number): number {
  return 440 * Math.pow(2, (midi - 69) / 12);
}

/** Frequency (Hz) of phrase step `pitchCode` under texture code `textureCode`, before the voice's octave. */
export function phraseHz(textureCode: number, pitchCode: number): number {
  const style = styleOf(textureCode);
  return midiToHz(style.root + style.phrase[pitchCode % PHRASE_LENGTH]);
}
