/** Prompt text -> T5 token ids, through @huggingface/tokenizers (tokenizer.json of the bundle). */
import { Tokenizer } from '@huggingface/tokenizers';
import { messageOf } from '../errorMessage';

export interface TokenizedPrompts {
  count: number; // prompts
  length: number; // s: longest prompt in tokens (with </s>)
  ids: BigInt64Array; // [count, s], padded with `padId`
  mask: BigInt64Array; // [count, s], 1 = token, 0 = padding
}

export interface PromptTokenizer {
  encode(prompts: readonly string[]): TokenizedPrompts;
}

/** T5 pads with id 0. */
const T5_PAD_ID = 0;
/** A bound that keeps one absurd prompt from allocating huge buffers (T5 was trained on 512). */
export const MAX_PROMPT_TOKENS = 512;

export function loadPromptTokenizer(tokenizerJson: Uint8Array | string, source = 'tokenizer.json'): PromptTokenizer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof tokenizerJson === 'string' ? tokenizerJson : new TextDecoder().decode(tokenizerJson));
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${messageOf(error)})`);
  }
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(parsed as object, {});
  } catch (error) {
    throw new Error(`${source}: not a tokenizer.json that @huggingface/tokenizers can load (${messageOf(error)})`);
  }
  return {
    encode(prompts) {
      if (prompts.length === 0) throw new Error('no prompts to encode');
      const encoded = prompts.map((prompt, i) => {
        if (typeof prompt !== 'string') throw new Error(`prompt ${i} is not a string`);
        const ids = tokenizer.encode(prompt).ids;
        if (ids.length > MAX_PROMPT_TOKENS) throw new Error(`prompt ${i} is ${ids.length} tokens long; the limit is ${MAX_PROMPT_TOKENS}`);
        return ids;
      });
      const length = Math.max(...encoded.map((ids) => ids.length));
      const ids = new BigInt64Array(prompts.length * length).fill(BigInt(T5_PAD_ID)); // [count, s]
      const mask = new BigInt64Array(prompts.length * length); // [count, s]
      encoded.forEach((row, i) => {
        row.forEach((id, j) => {
          ids[i * length + j] = BigInt(id);
          mask[i * length + j] = 1n;
        });
      });
      return { count: prompts.length, length, ids, mask };
    },
  };
}
