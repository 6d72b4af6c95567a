/**
 * The toy model's Hugging Face-style `config.json`: MusicGen's structure at a size where every
 * weight can be written by hand (6 layers, d = 96, 6 heads of 16, 64 codes per codebook) with the
 * real audio framing (32 kHz, 640 samples per frame = 50 Hz).
 */
import { tinyTokenizerVocabSize } from '../demo/tinyTokenizer';
import { D } from './residual';
import { TEXT_WIDTH } from './toyTextEncoder';

export const TOY_SIZES = {
  hiddenSize: D,
  numLayers: 6,
  numHeads: 6,
  ffnDim: 64,
  codebookSize: 64,
  numCodebooks: 4,
  maxPositions: 1024, // 20 s; the quiet vote dims are tuned for clips up to ~10 s
  textHiddenSize: TEXT_WIDTH,
  sampleRate: 32000,
  upsamplingRatios: [8, 5, 4, 4],
} as const;

export const TOY_HEAD_DIM = TOY_SIZES.hiddenSize / TOY_SIZES.numHeads;

export function toyMusicgenConfig(): Record<string, unknown> {
  const special = TOY_SIZES.codebookSize;
  return {
    model_type: 'musicgen',
    architectures: ['MusicgenForConditionalGeneration'],
    decoder: {
      model_type: 'musicgen_decoder',
      hidden_size: TOY_SIZES.hiddenSize,
      num_hidden_layers: TOY_SIZES.numLayers,
      num_attention_heads: TOY_SIZES.numHeads,
      ffn_dim: TOY_SIZES.ffnDim,
      vocab_size: TOY_SIZES.codebookSize,
      num_codebooks: TOY_SIZES.numCodebooks,
      max_position_embeddings: TOY_SIZES.maxPositions,
      activation_function: 'gelu',
      scale_embedding: false,
      tie_word_embeddings: false,
      audio_channels: 1,
      pad_token_id: special,
      bos_token_id: special,
      dropout: 0.0,
      layerdrop: 0.0,
    },
    text_encoder: { model_type: 't5', d_model: TOY_SIZES.textHiddenSize, vocab_size: tinyTokenizerVocabSize() },
    audio_encoder: {
      model_type: 'encodec',
      sampling_rate: TOY_SIZES.sampleRate,
      codebook_size: TOY_SIZES.codebookSize,
      upsampling_ratios: [...TOY_SIZES.upsamplingRatios],
      audio_channels: 1,
      target_bandwidths: [1.2],
    },
    decoder_start_token_id: special,
    pad_token_id: special,
  };
}
