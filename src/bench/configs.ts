/**
 * What the benchmark runs on: musicgen-small's exact shapes (Hugging Face config.json layout) or,
 * for `--smoke`, the tiny demo model's shapes, plus the workload sizes of each mode.
 */
import { tinyMusicgenConfig } from '../demo/tinyConfig';

/** facebook/musicgen-small's config.json, reduced to the fields the lab reads. */
export function musicgenSmallConfig(): Record<string, unknown> {
  return {
    model_type: 'musicgen',
    architectures: ['MusicgenForConditionalGeneration'],
    decoder: {
      model_type: 'musicgen_decoder',
      hidden_size: 1024,
      num_hidden_layers: 24,
      num_attention_heads: 16,
      ffn_dim: 4096,
      vocab_size: 2048,
      num_codebooks: 4,
      max_position_embeddings: 2048,
      activation_function: 'gelu',
      scale_embedding: false,
      tie_word_embeddings: false,
      audio_channels: 1,
      pad_token_id: 2048,
      bos_token_id: 2048,
      dropout: 0.1,
      layerdrop: 0.0,
    },
    text_encoder: { model_type: 't5', d_model: 768, vocab_size: 32128 },
    audio_encoder: {
      model_type: 'encodec',
      sampling_rate: 32000,
      codebook_size: 2048,
      upsampling_ratios: [8, 5, 4, 4],
      audio_channels: 1,
      target_bandwidths: [2.2],
    },
    decoder_start_token_id: 2048,
    pad_token_id: 2048,
  };
}

export interface BenchMode {
  name: 'musicgen-small' | 'smoke';
  config: Record<string, unknown>;
  /** EnCodec frames of the plain generation (4 s = 200 frames = 203 decoder steps). */
  frames: number;
  /**
   * Decoder steps of each timed block (the first steps of a generation) in the alternated
   * measurements. Few: the sweep in 1 GiB chunks runs every chunk over them, and ratios need ≥ 3
   * measurements each.
   */
  blockSteps: number;
  /** Text tokens of the random prompt conditioning (a typical T5 prompt length). */
  textTokens: number;
  seed: number;
}

export function benchMode(smoke: boolean): BenchMode {
  return smoke
    ? { name: 'smoke', config: tinyMusicgenConfig(), frames: 12, blockSteps: 4, textTokens: 6, seed: 7 }
    : { name: 'musicgen-small', config: musicgenSmallConfig(), frames: 200, blockSteps: 8, textTokens: 16, seed: 7 };
}
