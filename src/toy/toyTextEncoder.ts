/**
 * The toy text encoder: an ONNX graph with the Xenova/musicgen-small `text_encoder.onnx` contract
 * (`input_ids`, `attention_mask` int64 [b, s] -> `last_hidden_state` float32 [b, s, 32]). Each
 * token's state is a fixed row of concept features (no context): a key saying which slot the word
 * fills (or that it is the closing `</s>`) and its value in that slot. The decoder's
 * cross-attention heads query these keys.
 */
import { TextEncoderIO } from '../bundle/graphContract';
import { GraphBuilder } from '../convert/onnx/builder';
import { OnnxDataType } from '../convert/onnx/proto';
import { EOS_ID, tinyTokenizerVocab } from '../demo/tinyTokenizer';
import { GENRES, GENRE_WORDS, INSTRUMENTS, MOODS, TEMPO_WORD_VALUES, type Genre, type Instrument, type Mood } from './concepts';

export const TEXT_WIDTH = 32;

/** Text feature dims. */
export const TEXT = {
  keyGenre: 0,
  keyTempo: 1,
  keyMood: 2,
  keyInstrument: 3,
  keyEos: 4,
  genre: 5, // 5 one-hot dims, GENRES order
  mood: 10, // 5, MOODS order
  instrument: 15, // 5, INSTRUMENTS order
  tempoValue: 20, // slow 1, medium 2, fast 3
} as const;

/** The concept features of one vocabulary piece ("▁Guitar" → instrument guitar), or null. */
export function pieceFeatures(piece: string, id: number): Float32Array | null {
  const row = new Float32Array(TEXT_WIDTH); // [textD]
  if (id === EOS_ID) {
    row[TEXT.keyEos] = 1;
    return row;
  }
  const word = piece.replace(/^\u2581/, '').toLowerCase();
  if (word in GENRE_WORDS) {
    row[TEXT.keyGenre] = 1;
    row[TEXT.genre + GENRES.indexOf(GENRE_WORDS[word] as Genre)] = 1;
  } else if ((MOODS as readonly string[]).includes(word)) {
    row[TEXT.keyMood] = 1;
    row[TEXT.mood + MOODS.indexOf(word as Mood)] = 1;
  } else if ((INSTRUMENTS as readonly string[]).includes(word)) {
    row[TEXT.keyInstrument] = 1;
    row[TEXT.instrument + INSTRUMENTS.indexOf(word as Instrument)] = 1;
  } else if (word in TEMPO_WORD_VALUES) {
    row[TEXT.keyTempo] = 1;
    row[TEXT.tempoValue] = TEMPO_WORD_VALUES[word];
  } else {
    return null;
  }
  return row;
}

/** The embedding table [V, 32]: concept rows for concept words, zeros for every other piece. */
export function toyTextTable(): Float32Array {
  const vocab = tinyTokenizerVocab();
  const table = new Float32Array(vocab.length * TEXT_WIDTH); // [V, textD]
  vocab.forEach(([piece], id) => {
    const features = pieceFeatures(piece, id);
    if (features) table.set(features, id * TEXT_WIDTH);
  });
  return table;
}

export function buildToyTextEncoder(): Uint8Array {
  const g = new GraphBuilder('toy_text_encoder');
  const inputIds = g.input(TextEncoderIO.inputIds, 'INT64', ['batch', 'sequence']); // [b, s]
  const attentionMask = g.input(TextEncoderIO.attentionMask, 'INT64', ['batch', 'sequence']); // [b, s]
  const vocabSize = tinyTokenizerVocab().length;
  const table = g.weight('concept_features', toyTextTable(), [vocabSize, TEXT_WIDTH]); // [V, textD]
  const states = g.op('Gather', [table, inputIds], { axis: 0 }); // [b, s, textD]
  const mask = g.op('Unsqueeze', [g.op('Cast', [attentionMask], { to: OnnxDataType.FLOAT }), g.constInt64('axis_last', [2])]); // [b, s, 1], float
  g.output(g.mul(states, mask), TextEncoderIO.lastHiddenState, 'FLOAT', ['batch', 'sequence', TEXT_WIDTH]);
  return g.toBytes({ producer: 'musicgen-lab make-toy', doc: 'Toy text encoder: each study word gives its concept features (Xenova text_encoder contract).' });
}
