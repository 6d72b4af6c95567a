/**
 * Input/output names of the lab bundle's ONNX graphs: the one contract between the converter
 * (which writes the graphs) and the engine (which feeds them). Shapes use
 *   b = batch rows, t = new positions this call, p = cached positions, s = text tokens,
 *   K = codebooks, d = hidden size, h = heads, hd = head dim, V = codebook size.
 */

/** embed.onnx: sum of K codebook embeddings + sinusoidal positions starting at `position_offset`. */
export const EmbedIO = {
  inputIds: 'input_ids', // int64 [b, K, t]
  positionOffset: 'position_offset', // int64 [1]
  hidden: 'hidden_states', // float32 [b, t, d]
} as const;

/** The three patchable module outputs of a block, in execution order. */
export const BLOCK_MODULES = ['attn', 'cross_attn', 'mlp'] as const;
export type BlockModule = (typeof BLOCK_MODULES)[number];

/**
 * block_{l}.onnx: one pre-LN decoder layer.
 *   x += SA(LN1 x); x += CA(LN2 x); x += fc2(gelu(fc1(LN3 x)))
 * Each module output is patched per row as `out * keep + add` before it joins the residual.
 * The self-attention cache is position-major and stays with the caller: in host memory, the block
 * reads the cached prefix as a view and the caller fetches only the new positions' key/value; on a
 * GPU, the caller keeps the present key/value on the device and feeds them back (bundle version 2;
 * version 1 blocks took [b, h, p, hd] and always returned the whole present cache).
 */
export const BlockIO = {
  residPre: 'resid_pre', // float32 [b, t, d]
  pastKey: 'past_key', // float32 [p, b, h, hd], position-major
  pastValue: 'past_value', // float32 [p, b, h, hd], position-major
  selfAttnBias: 'self_attn_bias', // float32 [b, 1, t, p+t], additive (0 or -1e9)
  crossKey: 'cross_key', // float32 [b, h, s, hd]
  crossValue: 'cross_value', // float32 [b, h, s, hd]
  crossAttnBias: 'cross_attn_bias', // float32 [b, 1, 1, s], additive (0 or -1e9)
  keep: (module: BlockModule) => `${module}_keep` as const, // float32 [b, t, d]
  add: (module: BlockModule) => `${module}_add` as const, // float32 [b, t, d]
  residPost: 'resid_post', // float32 [b, t, d]
  newKey: 'new_key', // float32 [t, b, h, hd], position-major: appended to a host cache by the caller
  newValue: 'new_value', // float32 [t, b, h, hd]
  presentKey: 'present_key', // float32 [p+t, b, h, hd], position-major: fed back as past_key by a device cache
  presentValue: 'present_value', // float32 [p+t, b, h, hd]
  moduleOut: (module: BlockModule) => `${module}_out` as const, // float32 [b, t, d], after the patch
} as const;

/**
 * cross_kv_{i}.onnx: enc_to_dec_proj(T5 states) × mask, then each covered layer's
 * cross-attention key/value projections, split into heads.
 */
export const CrossKvIO = {
  encoderHiddenStates: 'encoder_hidden_states', // float32 [b, s, textD]
  encoderAttentionMask: 'encoder_attention_mask', // float32 [b, s], 1 = token, 0 = padding
  key: (layer: number) => `cross_key_${layer}`, // float32 [b, h, s, hd]
  value: (layer: number) => `cross_value_${layer}`, // float32 [b, h, s, hd]
} as const;

/** head.onnx: final layer norm and the K lm heads. */
export const HeadIO = {
  resid: 'resid', // float32 [b, t, d]
  normalized: 'normalized', // float32 [b, t, d]
  logits: 'logits', // float32 [b, K, t, V]
} as const;

/** Xenova/musicgen-small text_encoder.onnx contract. */
export const TextEncoderIO = {
  inputIds: 'input_ids', // int64 [b, s]
  attentionMask: 'attention_mask', // int64 [b, s]
  lastHiddenState: 'last_hidden_state', // float32 [b, s, textD]
} as const;

/** Xenova/musicgen-small encodec_decode.onnx contract. */
export const AudioDecoderIO = {
  audioCodes: 'audio_codes', // int64 [1, b, K, T]
  audioValues: 'audio_values', // float32 [b, 1, samplesPerFrame·T]
} as const;

/** Value used for masked attention logits (large negative, finite so fully masked rows stay finite). */
export const MASKED = -1e9;
