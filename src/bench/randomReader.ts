/**
 * A TensorReader over a checkpoint that does not exist: every decoder tensor of a Hugging Face
 * MusicGen checkpoint, under its real name and shape, generated on demand from (seed, name). The
 * converter reads it like a safetensors file, so a 1.6 GB musicgen-small bundle is built one
 * tensor at a time without ever holding the checkpoint.
 */
import { hfNames, type MusicgenConfig } from '../checkpoint/musicgenConfig';
import type { TensorInfo, TensorReader } from '../checkpoint/types';
import { deriveSeed } from '../demo/seededRandom';

interface Spec {
  shape: number[];
  std: number;
  mean: number;
}

/** The decoder tensors (and enc_to_dec_proj) with weight scales that keep pre-LN activations sane. */
export function decoderTensorSpecs(config: MusicgenConfig): Map<string, Spec> {
  const { hiddenSize: d, numLayers, ffnDim: f, codebookSize: V, numCodebooks: K, textHiddenSize: textD } = config;
  const specs = new Map<string, Spec>();
  const add = (name: string, shape: number[], std: number, mean = 0) => specs.set(name, { shape, std, mean });
  for (let k = 0; k < K; k++) add(hfNames.embed(k), [V + 1, d], 0.4); // [V+1, d]
  for (let l = 0; l < numLayers; l++) {
    for (const attention of ['self_attn', 'encoder_attn']) {
      for (const proj of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) add(hfNames.layer(l, `${attention}.${proj}.weight`), [d, d], proj === 'out_proj' ? 0.1 : 1 / Math.sqrt(d));
    }
    for (const norm of ['self_attn_layer_norm', 'encoder_attn_layer_norm', 'final_layer_norm']) {
      add(hfNames.layer(l, `${norm}.weight`), [d], 0.1, 1); // [d]
      add(hfNames.layer(l, `${norm}.bias`), [d], 0.05); // [d]
    }
    add(hfNames.layer(l, 'fc1.weight'), [f, d], 1 / Math.sqrt(d)); // [f, d]
    add(hfNames.layer(l, 'fc2.weight'), [d, f], 1 / Math.sqrt(f)); // [d, f]
  }
  add(hfNames.finalNorm('weight'), [d], 0.1, 1);
  add(hfNames.finalNorm('bias'), [d], 0.05);
  for (let k = 0; k < K; k++) add(hfNames.lmHead(k), [V, d], 0.3); // [V, d]
  add(hfNames.encToDec('weight'), [d, textD], 1 / Math.sqrt(textD)); // [d, textD]
  add(hfNames.encToDec('bias'), [d], 0.02);
  return specs;
}

/**
 * Uniform values with the given mean and standard deviation (xorshift32: fast enough for 400M
 * values; the distribution does not matter for timing, only that values stay finite and normal).
 */
export function randomUniform(seed: number, count: number, std: number, mean: number): Float32Array {
  const out = new Float32Array(count);
  const scale = (std * Math.sqrt(12)) / 4294967296; // uniform over [-std·√3, std·√3]
  let state = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = mean + ((state >>> 0) - 2147483648) * scale;
  }
  return out;
}

export function randomCheckpointReader(config: MusicgenConfig, seed: number): TensorReader {
  const specs = decoderTensorSpecs(config);
  const info = (name: string): TensorInfo => {
    const spec = specs.get(name);
    if (!spec) throw new Error(`random checkpoint: no tensor ${name}`);
    const count = spec.shape.reduce((a, b) => a * b, 1);
    return { name, dtype: 'F32', shape: [...spec.shape], byteOffset: 0, byteLength: count * 4 };
  };
  const read = (name: string, expectShape?: readonly number[]): Float32Array => {
    const { shape, std, mean } = specs.get(name) ?? (info(name), undefined)!;
    if (expectShape && (expectShape.length !== shape.length || expectShape.some((dim, i) => dim !== shape[i]))) {
      throw new Error(`random checkpoint: ${name} is [${shape}], expected [${expectShape}]`);
    }
    return randomUniform(deriveSeed(seed, name), shape.reduce((a, b) => a * b, 1), std, mean);
  };
  return {
    name: `random checkpoint (seed ${seed})`,
    names: () => [...specs.keys()],
    has: (name) => specs.has(name),
    info,
    readFloat32: async (name, expectShape) => read(name, expectShape),
    readRaw: async (name) => {
      const data = read(name);
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    },
  };
}
