import { describe, expect, it } from 'vitest';
import { parseMusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import { TINY_SAMPLES_PER_FRAME, tinyMusicgenConfig } from '../../src/demo/tinyConfig';
import { tinyTokenizerVocabSize } from '../../src/demo/tinyTokenizer';

describe('tinyMusicgenConfig', () => {
  it('parses with the lab config parser into the tiny sizes', () => {
    expect(parseMusicgenConfig(tinyMusicgenConfig(), 'tiny')).toEqual({
      hiddenSize: 64,
      numLayers: 4,
      numHeads: 4,
      headDim: 16,
      ffnDim: 256,
      codebookSize: 64,
      numCodebooks: 4,
      maxPositions: 2048,
      layerNormEps: 1e-5,
      textHiddenSize: 32,
      sampleRate: 32000,
      samplesPerFrame: 640,
    });
  });

  it('keeps the real model types, framing and special-token conventions', () => {
    const config = tinyMusicgenConfig() as {
      model_type: string;
      decoder: Record<string, unknown>;
      text_encoder: Record<string, unknown>;
      audio_encoder: Record<string, unknown>;
      decoder_start_token_id: number;
    };
    expect(config.model_type).toBe('musicgen');
    expect(config.decoder.model_type).toBe('musicgen_decoder');
    expect(config.decoder.activation_function).toBe('gelu');
    expect(config.decoder.audio_channels).toBe(1);
    expect(config.text_encoder).toMatchObject({ model_type: 't5', d_model: 32, vocab_size: tinyTokenizerVocabSize() });
    expect(config.audio_encoder).toMatchObject({ model_type: 'encodec', sampling_rate: 32000, codebook_size: 64, upsampling_ratios: [8, 5, 4, 4] });
    expect(config.audio_encoder.target_bandwidths).toEqual([1.2]); // 50 Hz · 4 codebooks · 6 bits
    expect(config.decoder_start_token_id).toBe(64); // = codebook size, as in MusicGen (2048)
    expect(TINY_SAMPLES_PER_FRAME).toBe(640);
    expect(32000 / TINY_SAMPLES_PER_FRAME).toBe(50);
  });

  it('is the same object every call (deterministic JSON)', () => {
    expect(JSON.stringify(tinyMusicgenConfig())).toBe(JSON.stringify(tinyMusicgenConfig()));
  });
});
