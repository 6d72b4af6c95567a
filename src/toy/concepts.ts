/**
 * The toy model's vocabulary of concepts: the study's prompt slots (../shared/docs/STUDY.md) and
 * what each code of each codebook means. The weights (toyCheckpoint.ts), the text encoder, the
 * codec and the classifier all read these lists, so the order here is the order everywhere.
 */

export const INSTRUMENTS = ['guitar', 'piano', 'trumpet', 'violin', 'flute'] as const;
export const GENRES = ['rock', 'pop', 'electronic', 'jazz', 'classical'] as const;
export const MOODS = ['emotional', 'passionate', 'groovy', 'energetic', 'happy'] as const;
export const TEMPOS = ['fast', 'medium', 'slow', 'slow to medium', 'medium to fast'] as const;

export type Instrument = (typeof INSTRUMENTS)[number];
export type Genre = (typeof GENRES)[number];
export type Mood = (typeof MOODS)[number];
export type Tempo = (typeof TEMPOS)[number];
export type Slot = 'MOOD' | 'GENRE' | 'INSTRUMENTS' | 'TEMPO';

/** The study's template with its four slots filled. */
export function studyPrompt(mood: string, genre: string, instrument: string, tempo: string): string {
  return `Compose a ${mood} ${genre} piece, with a ${instrument} melody. Use a ${tempo} tempo.`;
}

/** Prompt words that carry a concept (lower-case); every other word carries none. */
export const GENRE_WORDS: Record<string, Genre> = { rock: 'rock', pop: 'pop', electronic: 'electronic', edm: 'electronic', jazz: 'jazz', classical: 'classical' };

/** Tempo words carry a rate value; "slow to medium" averages two words' values in cross-attention. */
export const TEMPO_WORD_VALUES: Record<string, number> = { slow: 1, medium: 2, fast: 3 };

/** Tempo classes the decoder tells apart, by the averaged value the tempo head reads. */
export const TEMPO_CLASS_VALUES = [1, 1.5, 2, 2.5, 3] as const; // slow, slow→medium, medium, medium→fast, fast

/** Codebook 0 (melody): code m is step m of the genre's 8-note phrase; codes ≥ 8 are never used. */
export const PHRASE_LENGTH = 8;

/** Codebook 1 (timbre): code i < 5 is INSTRUMENTS[i]; code 5 is the neutral sine heard when no instrument is decided. */
export const TIMBRE_NEUTRAL = INSTRUMENTS.length;

/** Codebook 2 (dynamics): code = loudness level 0 (soft) .. 4 (loud); mood sets it, no mood gives level 2. */
export const LEVELS = 5;
export const DEFAULT_LEVEL = 2;
export const MOOD_LEVEL: Record<Mood, number> = { emotional: 0, groovy: 1, happy: 2, passionate: 3, energetic: 4 };

/** Codebook 3 (genre texture): code 0 = none (no backing, default phrase), code 1 + g = GENRES[g]. */
export const TEXTURE_NONE = 0;
export const textureCode = (genre: Genre): number => 1 + GENRES.indexOf(genre);
