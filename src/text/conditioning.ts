/**
 * Text conditioning: T5 last_hidden_state for each prompt, before enc_to_dec_proj (the bundle's
 * cross_kv graphs apply the projection and the mask). Prompts are padded to a common length; the
 * mask keeps padding out of cross-attention, so a prompt's result does not depend on its batch.
 */
import { TextEncoderIO } from '../bundle/graphContract';
import type { Session } from '../runtime/ort';
import type { PromptTokenizer } from './promptTokenizer';

export interface TextConditioning {
  count: number; // prompts
  length: number; // s
  width: number; // textD
  states: Float32Array; // [count, s, textD]
  mask: Uint8Array; // [count, s], 1 = token
}

export async function encodePrompts(prompts: readonly string[], tokenizer: PromptTokenizer, encoder: Session): Promise<TextConditioning> {
  const tokens = tokenizer.encode(prompts);
  const dims = [tokens.count, tokens.length];
  const out = await encoder.run({
    [TextEncoderIO.inputIds]: { type: 'int64', data: tokens.ids, dims },
    [TextEncoderIO.attentionMask]: { type: 'int64', data: tokens.mask, dims },
  });
  const hidden = out[TextEncoderIO.lastHiddenState];
  if (!hidden || hidden.type !== 'float32' || hidden.dims.length !== 3) {
    throw new Error(`${encoder.name}: expected ${TextEncoderIO.lastHiddenState} float32 [b, s, d]`);
  }
  return {
    count: tokens.count,
    length: tokens.length,
    width: hidden.dims[2],
    states: hidden.data, // [count, s, textD]
    mask: Uint8Array.from(tokens.mask, (v) => Number(v)),
  };
}

/** Conditioning given directly as encoder states (fixtures, cached prompts). */
export function conditioningFromStates(states: Float32Array, count: number, length: number, width: number, mask?: Uint8Array): TextConditioning {
  if (states.length !== count * length * width) {
    throw new Error(`encoder states have ${states.length} values, expected ${count}×${length}×${width}`);
  }
  return { count, length, width, states, mask: mask ?? new Uint8Array(count * length).fill(1) };
}
