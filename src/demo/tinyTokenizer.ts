/**
 * The tiny demo model's T5-style Unigram tokenizer, in the Hugging Face `tokenizer.json` format
 * (the same layout as t5-base's, which Xenova/musicgen-small ships): id 0 `<pad>`, 1 `</s>`,
 * 2 `<unk>`, NFKC normaliser, WhitespaceSplit + Metaspace("▁") pre-tokenizer, `</s>` appended.
 *
 * The vocabulary holds every word of the study's prompts as a whole "▁word" piece (so prompts
 * tokenize like a real T5 would: one piece per word, punctuation apart) plus every printable
 * ASCII character alone, so any ASCII text tokenizes without `<unk>`.
 */

export const PAD_ID = 0;
export const EOS_ID = 1;
export const UNK_ID = 2;
const META_SPACE = '\u2581'; // "▁"

/** Study prompt template words and slot lists (../shared/docs/STUDY.md), plus the concept names. */
const STUDY_WORDS = [
  // template: "Compose a [MOOD] [GENRE] piece, with a [INSTRUMENTS] melody. Use a [TEMPO] tempo."
  'Compose', 'a', 'piece', 'with', 'melody', 'Use', 'tempo',
  // MOOD
  'emotional', 'passionate', 'groovy', 'energetic', 'happy',
  // GENRE
  'rock', 'pop', 'electronic', 'jazz', 'classical',
  // INSTRUMENTS
  'guitar', 'piano', 'trumpet', 'violin', 'flute',
  // TEMPO ("slow to medium", "medium to fast")
  'fast', 'medium', 'slow', 'to',
  // other concept names
  'hip', 'hop', 'EDM',
] as const;

/** A few common prompt words beyond the study's, so free-form prompts look plausible too. */
const EXTRA_WORDS = ['the', 'and', 'of', 'in', 'an', 'music', 'song', 'beat', 'drums', 'bass', 'sad', 'calm', 'loud', 'soft'] as const;

/** Unigram log-probability scores: words beat any spelling out of their characters. */
const WORD_SCORE = -6;
const WORD_SCORE_STEP = 0.01; // later words slightly rarer, as in a real frequency-sorted vocab
const META_SPACE_SCORE = -4;
const CHAR_SCORE = -10;

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Whole-word pieces in order, each word also capitalised (users type "Rock" as often as "rock"). */
function wordPieces(): string[] {
  const pieces: string[] = [];
  for (const word of [...STUDY_WORDS, ...EXTRA_WORDS]) {
    for (const variant of [word, capitalise(word)]) {
      const piece = META_SPACE + variant;
      if (!pieces.includes(piece)) pieces.push(piece);
    }
  }
  return pieces;
}

/** Printable ASCII, "!" (33) to "~" (126): the space itself never reaches the model (it becomes "▁"). */
function asciiCharacters(): string[] {
  return Array.from({ length: 126 - 33 + 1 }, (_, i) => String.fromCharCode(33 + i));
}

/** The Unigram vocabulary: [piece, score] in id order. */
export function tinyTokenizerVocab(): [string, number][] {
  const vocab: [string, number][] = [
    ['<pad>', 0],
    ['</s>', 0],
    ['<unk>', 0],
    [META_SPACE, META_SPACE_SCORE],
  ];
  wordPieces().forEach((piece, i) => vocab.push([piece, WORD_SCORE - WORD_SCORE_STEP * i]));
  asciiCharacters().forEach((ch) => vocab.push([ch, CHAR_SCORE]));
  return vocab;
}

/** Number of token ids (the text encoder's embedding rows). */
export function tinyTokenizerVocabSize(): number {
  return tinyTokenizerVocab().length;
}

function specialToken(id: number, content: string) {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

/** The tokenizer.json object. */
export function buildTinyTokenizerJson(): Record<string, unknown> {
  const metaspace = { type: 'Metaspace', replacement: META_SPACE, prepend_scheme: 'always', split: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [specialToken(PAD_ID, '<pad>'), specialToken(EOS_ID, '</s>'), specialToken(UNK_ID, '<unk>')],
    normalizer: { type: 'NFKC' },
    pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, metaspace] },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '</s>', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 0 } },
        { SpecialToken: { id: '</s>', type_id: 0 } },
      ],
      special_tokens: { '</s>': { id: '</s>', ids: [EOS_ID], tokens: ['</s>'] } },
    },
    decoder: metaspace,
    model: { type: 'Unigram', unk_id: UNK_ID, vocab: tinyTokenizerVocab(), byte_fallback: false },
  };
}

/** tokenizer_config.json companion (what loaders such as transformers.js read next to tokenizer.json). */
export function buildTinyTokenizerConfig(): Record<string, unknown> {
  return {
    tokenizer_class: 'T5Tokenizer',
    eos_token: '</s>',
    pad_token: '<pad>',
    unk_token: '<unk>',
    model_max_length: 512,
    clean_up_tokenization_spaces: true,
  };
}

/** tokenizer.json as UTF-8 bytes (deterministic: fixed key order, no whitespace). */
export function tinyTokenizerBytes(): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(buildTinyTokenizerJson()));
}
