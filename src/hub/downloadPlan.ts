/**
 * What a hub model costs before anything big is fetched: the decoder's byte ranges (from the
 * safetensors header: only those are downloaded, never the text or audio encoder tensors), the side
 * files, and the converted bundle's size for a weight dtype.
 */
import type { WeightDtype } from '../bundle/manifest';
import { decoderTensorSpecs } from '../checkpoint/openCheckpoint';
import type { MusicgenConfig } from '../checkpoint/musicgenConfig';
import type { TensorReader } from '../checkpoint/types';

/** Files of `Xenova/musicgen-small` the bundle copies as they are (the same for every MusicGen size). */
export const SIDE_FILES = [
  { path: 'tokenizer.json', bundlePath: 'tokenizer.json' },
  { path: 'onnx/text_encoder.onnx', bundlePath: 'text_encoder.onnx' },
  { path: 'onnx/encodec_decode.onnx', bundlePath: 'encodec_decode.onnx' },
] as const;

export type SideFile = (typeof SIDE_FILES)[number];

export interface DecoderTensor {
  name: string;
  byteLength: number; // as stored in the checkpoint
  elements: number;
}

/** Every decoder tensor the converter reads, with its stored size. */
export function decoderTensors(reader: TensorReader, config: MusicgenConfig): DecoderTensor[] {
  return decoderTensorSpecs(config).map((spec) => {
    const info = reader.info(spec.name);
    return { name: spec.name, byteLength: info.byteLength, elements: info.shape.reduce((a, b) => a * b, 1) };
  });
}

export function sumBytes(items: readonly { byteLength: number }[]): number {
  return items.reduce((total, item) => total + item.byteLength, 0);
}

/**
 * The bundle's size: decoder weights at `dtype`, the embedding graph's float32 sinusoid table
 * [maxPositions, d], and the side files (graph structure adds well under 1%).
 */
export function bundleBytesEstimate(tensors: readonly DecoderTensor[], config: MusicgenConfig, dtype: WeightDtype, sideFileBytes: number): number {
  const elements = tensors.reduce((total, t) => total + t.elements, 0);
  return elements * (dtype === 'fp16' ? 2 : 4) + config.maxPositions * config.hiddenSize * 4 + sideFileBytes;
}

/** Chooses fp16 weights where the GPU computes in half precision natively (`shader-f16`): half the download to storage, half the memory. */
export function chooseWeightDtype(preference: 'auto' | WeightDtype, hasShaderF16: boolean): { dtype: WeightDtype; reason: string } {
  if (preference !== 'auto') return { dtype: preference, reason: `${preference} weights, as asked` };
  return hasShaderF16
    ? { dtype: 'fp16', reason: 'fp16 weights: this GPU supports shader-f16 (half the size of fp32)' }
    : { dtype: 'fp32', reason: 'fp32 weights: no WebGPU adapter with shader-f16 here' };
}
