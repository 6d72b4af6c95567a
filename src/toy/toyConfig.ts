/**
 * The toy model's Hugging Face-style `config.json`: MusicGen's structure at a size where every
 * weight can be written by hand (6 layers, d = 96, 6 heads of 16, 64 codes per codebook) with the
 * real audio framing (32 kHz, 640 samples per frame = 50 Hz).
 */
import { musicgenConfigJson } from '../demo/tinyConfig';
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

/** The toy's config.json object (its EnCodec bandwidth: 50 frames/s · 4 codebooks · 6 bits = 1.2 kbps). */
export function toyMusicgenConfig(): Record<string, unknown> {
  return musicgenConfigJson(TOY_SIZES);
}
