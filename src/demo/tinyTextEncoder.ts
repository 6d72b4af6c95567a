/**
 * The tiny demo model's text encoder: an ONNX graph with the Xenova/musicgen-small
 * `text_encoder.onnx` contract (`input_ids`, `attention_mask` int64 [b, s] -> `last_hidden_state`
 * float32 [b, s, dModel]). Not a T5: a token embedding, a per-token tanh(linear), plus a mixed-in
 * masked mean over the prompt so every state depends on the whole prompt; padding rows are zero.
 */
import { TextEncoderIO } from '../bundle/graphContract';
import { GraphBuilder } from '../convert/onnx/builder';
import { OnnxDataType } from '../convert/onnx/proto';
import { SeededRandom } from './seededRandom';

const EMBEDDING_STD = 1;
const PROMPT_MIX_GAIN = 1; // the prompt-wide mean enters each token's state at about the same scale

/** Builds the graph; the same (seed, vocabSize, dModel) always gives the same bytes. */
export function buildTinyTextEncoder(seed: number, vocabSize: number, dModel: number): Uint8Array {
  const random = (label: string) => new SeededRandom(seed, `text_encoder.${label}`);
  const g = new GraphBuilder('tiny_text_encoder');

  const inputIds = g.input(TextEncoderIO.inputIds, 'INT64', ['batch', 'sequence']); // [b, s]
  const attentionMask = g.input(TextEncoderIO.attentionMask, 'INT64', ['batch', 'sequence']); // [b, s]

  const table = g.weight('embed_tokens', random('embed_tokens').normalArray(vocabSize * dModel, EMBEDDING_STD), [vocabSize, dModel]); // [V, D]
  const tokenWeight = g.weight('token_proj.weight', random('token_proj.weight').normalArray(dModel * dModel, 1 / Math.sqrt(dModel)), [dModel, dModel]); // [D in, D out]
  const tokenBias = g.weight('token_proj.bias', random('token_proj.bias').normalArray(dModel, 0.1), [dModel]); // [D]
  const mixWeight = g.weight('prompt_mix.weight', random('prompt_mix.weight').normalArray(dModel * dModel, PROMPT_MIX_GAIN / Math.sqrt(dModel)), [dModel, dModel]); // [D, D]

  const embedded = g.op('Gather', [table, inputIds], { axis: 0 }); // [b, s, D]
  const perToken = g.op('Tanh', [g.add(g.matmul(embedded, tokenWeight), tokenBias)]); // [b, s, D]

  const maskFloat = g.op('Cast', [attentionMask], { to: OnnxDataType.FLOAT }); // [b, s]
  const mask = g.op('Unsqueeze', [maskFloat, g.constInt64('axis_last', [2])]); // [b, s, 1]
  const axisTokens = g.constInt64('axis_tokens', [1]);
  const maskedSum = g.op('ReduceSum', [g.mul(perToken, mask), axisTokens], { keepdims: 1 }); // [b, 1, D]
  const tokenCount = g.op('Max', [g.op('ReduceSum', [mask, axisTokens], { keepdims: 1 }), g.constFloat('one', [1], [1])]); // [b, 1, 1], ≥1 so empty prompts stay finite
  const promptMean = g.op('Div', [maskedSum, tokenCount]); // [b, 1, D]

  const mixed = g.add(perToken, g.matmul(promptMean, mixWeight)); // [b, s, D]
  const states = g.mul(mixed, mask); // [b, s, D], zero at padding
  g.output(states, TextEncoderIO.lastHiddenState, 'FLOAT', ['batch', 'sequence', dModel]);

  return g.toBytes({ producer: 'musicgen-lab make-tiny', doc: 'Tiny random text encoder with the Xenova/musicgen-small text_encoder contract.' });
}
