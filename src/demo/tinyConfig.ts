/**
 * The tiny demo model's Hugging Face-style `config.json`: MusicGen's real structure at toy sizes,
 * with the real audio framing (32 kHz, 640 samples per frame = 50 Hz) so durations mean the same.
 */
import { tinyTokenizerVocabSize } from './tinyTokenizer';

export const TINY_SIZES = {
  hiddenSize: 64,
  numLayers: 4,
  numHeads: 4,
  ffnDim: 256,
  codebookSize: 64,
  numCodebooks: 4,
  maxPositions: 2048,
  textHiddenSize: 32,
  sampleRate: 32000,
  upsamplingRatios: [8, 5, 4, 4],
} as const;

/** Samples per EnCodec frame: the product of the upsampling ratios (640). */
export const TINY_SAMPLES_PER_FRAME = TINY_SIZES.upsamplingRatios.reduce((a, b) => a * b, 1);

/** Bits per second of the codes (frames/s · codebooks · bits per code), the EnCodec bandwidth field. */
function bandwidthKbps(): number {
  const frameRate = TINY_SIZES.sampleRate / TINY_SAMPLES_PER_FRAME;
  return (frameRate * TINY_SIZES.numCodebooks * Math.log2(TINY_SIZES.codebookSize)) / 1000;
}

/** The config.json object; `text_encoder.vocab_size` is the tiny tokenizer's size. */
export function tinyMusicgenConfig(): Record<string, unknown> {
  const special = TINY_SIZES.codebookSize; // the delay-pattern start token id equals the codebook size
  return {
    model_type: 'musicgen',
    architectures: ['MusicgenForConditionalGeneration'],
    decoder: {
      model_type: 'musicgen_decoder',
      hidden_size: TINY_SIZES.hiddenSize,
      num_hidden_layers: TINY_SIZES.numLayers,
      num_attention_heads: TINY_SIZES.numHeads,
      ffn_dim: TINY_SIZES.ffnDim,
      vocab_size: TINY_SIZES.codebookSize,
      num_codebooks: TINY_SIZES.numCodebooks,
      max_position_embeddings: TINY_SIZES.maxPositions,
      activation_function: 'gelu',
      scale_embedding: false,
      tie_word_embeddings: false,
      audio_channels: 1,
      pad_token_id: special,
      bos_token_id: special,
      dropout: 0.0,
      layerdrop: 0.0,
    },
    text_encoder: {
      model_type: 't5',
      d_model: TINY_SIZES.textHiddenSize,
      vocab_size: tinyTokenizerVocabSize(),
    },
    audio_encoder: {
      model_type: 'encodec',
      sampling_rate: TINY_SIZES.sampleRate,
      codebook_size: TINY_SIZES.codebookSize,
      upsampling_ratios: [...TINY_SIZES.upsamplingRatios],
      audio_channels: 1,
      target_bandwidths: [bandwidthKbps()],
    },
    decoder_start_token_id: special,
    pad_token_id: special,
  };
}
