import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { buildTinyTokenizerConfig, buildTinyTokenizerJson, EOS_ID, PAD_ID, tinyTokenizerBytes, tinyTokenizerVocab, tinyTokenizerVocabSize, UNK_ID } from '../../src/demo/tinyTokenizer';

const MOODS = ['emotional', 'passionate', 'groovy', 'energetic', 'happy'];
const GENRES = ['rock', 'pop', 'electronic', 'jazz', 'classical'];
const INSTRUMENTS = ['guitar', 'piano', 'trumpet', 'violin', 'flute'];
const TEMPOS = ['fast', 'medium', 'slow', 'slow to medium', 'medium to fast'];
const studyPrompt = (mood: string, genre: string, instrument: string, tempo: string) =>
  `Compose a ${mood} ${genre} piece, with a ${instrument} melody. Use a ${tempo} tempo.`;

/** Loaded from the serialised bytes, exactly as a bundle's tokenizer.json would be. */
const tokenizer = new Tokenizer(JSON.parse(new TextDecoder().decode(tinyTokenizerBytes())), buildTinyTokenizerConfig());

describe('tiny T5-style tokenizer', () => {
  it('follows T5 conventions: <pad> 0, </s> 1, <unk> 2, Unigram model', () => {
    const json = buildTinyTokenizerJson() as { model: { type: string; unk_id: number } };
    expect(json.model.type).toBe('Unigram');
    expect(json.model.unk_id).toBe(UNK_ID);
    expect([tokenizer.token_to_id('<pad>'), tokenizer.token_to_id('</s>'), tokenizer.token_to_id('<unk>')]).toEqual([PAD_ID, EOS_ID, UNK_ID]);
    expect(tinyTokenizerVocabSize()).toBe(tinyTokenizerVocab().length);
    expect(new Set(tinyTokenizerVocab().map(([piece]) => piece)).size).toBe(tinyTokenizerVocabSize()); // no duplicate pieces
  });

  it('encodes a study prompt into whole-word pieces, punctuation apart, ending with </s>', () => {
    const encoded = tokenizer.encode(studyPrompt('happy', 'rock', 'guitar', 'slow to medium'));
    expect(encoded.tokens).toEqual([
      '▁Compose', '▁a', '▁happy', '▁rock', '▁piece', ',', '▁with', '▁a', '▁guitar', '▁melody', '.',
      '▁Use', '▁a', '▁slow', '▁to', '▁medium', '▁tempo', '.', '</s>',
    ]);
    expect(encoded.ids.at(-1)).toBe(EOS_ID);
    expect(encoded.ids.filter((id) => id === EOS_ID)).toHaveLength(1);
    expect(encoded.attention_mask.every((m) => m === 1)).toBe(true);
  });

  it('covers every study prompt and concept name without <unk> or single characters for words', () => {
    for (const mood of MOODS) for (const genre of GENRES) for (const instrument of INSTRUMENTS) for (const tempo of TEMPOS) {
      const { tokens, ids } = tokenizer.encode(studyPrompt(mood, genre, instrument, tempo));
      expect(ids).not.toContain(UNK_ID);
      // Every piece is a whole word ("▁…") except the two punctuation marks and </s>.
      expect(tokens.filter((t) => !t.startsWith('▁'))).toEqual([',', '.', '.', '</s>']);
    }
    expect(tokenizer.encode('hip hop EDM').tokens).toEqual(['▁hip', '▁hop', '▁EDM', '</s>']);
  });

  it('spells out unknown ASCII words from characters, never <unk>', () => {
    const encoded = tokenizer.encode('Zyx  quartz-42 {ok}? ~`|\\');
    expect(encoded.ids).not.toContain(UNK_ID);
    expect(encoded.tokens.slice(0, 4)).toEqual(['▁', 'Z', 'y', 'x']);
    expect(tokenizer.decode(encoded.ids, { skip_special_tokens: true })).toBe('Zyx quartz-42 {ok}? ~`|\\');
  });

  it('does not crash on empty, whitespace-only or non-ASCII text', () => {
    expect(tokenizer.encode('').ids).toEqual([EOS_ID]);
    expect(tokenizer.encode('   \n\t ').ids).toEqual([EOS_ID]);
    const unicode = tokenizer.encode('café 日本 🎸');
    expect(unicode.ids.at(-1)).toBe(EOS_ID);
    expect(unicode.ids).toContain(UNK_ID);
    expect(unicode.ids.every((id) => id >= 0 && id < tinyTokenizerVocabSize())).toBe(true);
  });

  it('loads with an empty tokenizer_config too, and its bytes are deterministic', () => {
    const bare = new Tokenizer(buildTinyTokenizerJson(), {});
    expect(bare.encode('Use a fast tempo.').ids).toEqual(tokenizer.encode('Use a fast tempo.').ids);
    expect(tinyTokenizerBytes()).toEqual(tinyTokenizerBytes());
  });
});
