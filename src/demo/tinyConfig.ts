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

/** The sizes a lab-made MusicGen config is written from (the tiny demo's and the toy's). */
export interface MusicgenSizes {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  ffnDim: number;
  codebookSize: number;
  numCodebooks: number;
  maxPositions: number;
  textHiddenSize: number;
  sampleRate: number;
  upsamplingRatios: readonly number[];
}

/** Bits per second of the codes (frames/s · codebooks · bits per code), the EnCodec bandwidth field. */
function bandwidthKbps(sizes: MusicgenSizes): number {
  const samplesPerFrame = sizes.upsamplingRatios.reduce((a, b) => a * b, 1);
  const frameRate = sizes.sampleRate / samplesPerFrame;
  return (frameRate * sizes.numCodebooks * Math.log2(sizes.codebookSize)) / 1000;
}

/** A Hugging Face-style MusicGen config.json object at `sizes`; `text_encoder.vocab_size` is the tiny tokenizer's size. */
export function musicgenConfigJson(sizes: MusicgenSizes): Record<string, unknown> {
  const special = sizes.codebookSize; // the delay-pattern start token id equals the codebook size
  return {
    model_type: 'musicgen',
    architectures: ['MusicgenForConditionalGeneration'],
    decoder: {
      model_type: 'musicgen_decoder',
      hidden_size: sizes.hiddenSize,
      num_hidden_layers: sizes.numLayers,
      num_attention_heads: sizes.numHeads,
      ffn_dim: sizes.ffnDim,
      vocab_size: sizes.codebookSize,
      num_codebooks: sizes.numCodebooks,
      max_position_embeddings: sizes.maxPositions,
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
      d_model: sizes.textHiddenSize,
      vocab_size: tinyTokenizerVocabSize(),
    },
    audio_encoder: {
      model_type: 'encodec',
      sampling_rate: sizes.sampleRate,
      codebook_size: sizes.codebookSize,
      upsampling_ratios: [...sizes.upsamplingRatios],
      audio_channels: 1,
      target_bandwidths: [bandwidthKbps(sizes)],
    },
    decoder_start_token_id: special,
    pad_token_id: special,
  };
}

/** The tiny demo model's config.json object. */
export function tinyMusicgenConfig(): Record<string, unknown> {
  return musicgenConfigJson(TINY_SIZES);
}
