/**
 * What a hub model costs before anything big is fetched: the decoder's byte ranges (from the
 * safetensors header: only those are downloaded, never the text or audio encoder tensors), the side
 * files, and the converted bundle's size for a weight dtype.
 */
import type { WeightDtype } from '../bundle/manifest';
import { ALL_WEIGHT_DTYPES, isWeightDtype, WEIGHT_DTYPES } from '../bundle/weightDtypes';
import { decoderTensorSpecs } from '../checkpoint/openCheckpoint';
import { hfNames, type MusicgenConfig } from '../checkpoint/musicgenConfig';
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
  /** A linear layer's weight (the blocks' projections and fc1/fc2, the lm heads): what q8/q4 bundles store quantised. */
  linear: boolean;
}

/**
 * The weights the converter runs through `linear()` (src/convert/graphs/linear.ts), so quantises
 * in q8/q4; embeddings, enc_to_dec_proj and the norms stay float there.
 */
function linearWeightNames(config: MusicgenConfig): Set<string> {
  const names = new Set<string>();
  for (let layer = 0; layer < config.numLayers; layer++) {
    for (const module of ['self_attn', 'encoder_attn']) for (const proj of ['q', 'k', 'v', 'out']) names.add(hfNames.layer(layer, `${module}.${proj}_proj.weight`));
    names.add(hfNames.layer(layer, 'fc1.weight')).add(hfNames.layer(layer, 'fc2.weight'));
  }
  for (let k = 0; k < config.numCodebooks; k++) names.add(hfNames.lmHead(k));
  return names;
}

/** Every decoder tensor the converter reads, with its stored size. */
export function decoderTensors(reader: TensorReader, config: MusicgenConfig): DecoderTensor[] {
  const linear = linearWeightNames(config);
  return decoderTensorSpecs(config).map((spec) => {
    const info = reader.info(spec.name);
    return { name: spec.name, byteLength: info.byteLength, elements: info.shape.reduce((a, b) => a * b, 1), linear: linear.has(spec.name) };
  });
}

export function sumBytes(items: readonly { byteLength: number }[]): number {
  return items.reduce((total, item) => total + item.byteLength, 0);
}

/**
 * The bundle's size: decoder weights at the dtype's bytes per weight (for q8/q4 only the linear
 * layers, scales and zero points included; their other weights stay float32), the embedding
 * graph's float32 sinusoid table [maxPositions, d], and the side files (graph structure adds well
 * under 1% at real sizes).
 */
export function bundleBytesEstimate(tensors: readonly DecoderTensor[], config: MusicgenConfig, dtype: WeightDtype, sideFileBytes: number): number {
  const info = WEIGHT_DTYPES[dtype];
  const floatBytes = info.quantised ? 4 : info.bytesPerWeight;
  const weights = tensors.reduce((total, t) => total + t.elements * (t.linear ? info.bytesPerWeight : floatBytes), 0);
  return Math.round(weights) + config.maxPositions * config.hiddenSize * 4 + sideFileBytes;
}

/** The estimate for every dtype the lab offers, for the dtype choice. */
export function bundleBytesByDtype(tensors: readonly DecoderTensor[], config: MusicgenConfig, sideFileBytes: number): Record<WeightDtype, number> {
  return Object.fromEntries(ALL_WEIGHT_DTYPES.map((dtype) => [dtype, bundleBytesEstimate(tensors, config, dtype, sideFileBytes)])) as Record<WeightDtype, number>;
}

/** What a user asks for: a dtype, or auto (fp16 on shader-f16, else fp32). */
export type DtypeChoice = 'auto' | WeightDtype;

export const DTYPE_CHOICES: readonly DtypeChoice[] = ['auto', ...ALL_WEIGHT_DTYPES];

export function isDtypeChoice(value: unknown): value is DtypeChoice {
  return value === 'auto' || isWeightDtype(value);
}

/** Reads `?dtype=`: absent or empty is auto; an unknown value is auto with a sentence saying so. */
export function parseDtypeChoice(value: string | null | undefined): { choice: DtypeChoice; problem?: string } {
  const text = value?.trim().toLowerCase() ?? '';
  if (text === '') return { choice: 'auto' };
  if (isDtypeChoice(text)) return { choice: text };
  return { choice: 'auto', problem: `Weights "${value}" in the link is not one of ${DTYPE_CHOICES.join(', ')}: using auto.` };
}

/** Chooses fp16 weights where the GPU computes in half precision natively (`shader-f16`): half the download to storage, half the memory. */
export function chooseWeightDtype(preference: DtypeChoice, hasShaderF16: boolean): { dtype: WeightDtype; reason: string } {
  if (preference !== 'auto') {
    const info = WEIGHT_DTYPES[preference];
    return { dtype: preference, reason: info.quantised ? `${info.label} weights, as asked: every figure is computed on quantised weights` : `${preference} weights, as asked` };
  }
  return hasShaderF16
    ? { dtype: 'fp16', reason: 'fp16 weights: this GPU supports shader-f16 (half the size of fp32)' }
    : { dtype: 'fp32', reason: 'fp32 weights: no WebGPU adapter with shader-f16 here' };
}
