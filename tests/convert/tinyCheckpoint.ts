/**
 * Test helpers: a tiny MusicGen config, seeded random weights under Hugging Face names, an
 * in-memory TensorReader over them, and a small onnxruntime-node runner.
 */
import { createRuntime } from '../../src/runtime/ort';
import { hfNames, type MusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import type { TensorInfo, TensorReader } from '../../src/checkpoint/types';

export const tinyConfig: MusicgenConfig = {
  hiddenSize: 16,
  numLayers: 3,
  numHeads: 4,
  headDim: 4,
  ffnDim: 40,
  codebookSize: 10,
  numCodebooks: 4,
  maxPositions: 2048,
  layerNormEps: 1e-5,
  textHiddenSize: 12,
  sampleRate: 32000,
  samplesPerFrame: 640,
};

/** mulberry32: a tiny seeded generator, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomArray(random: () => number, length: number, scale = 1, center = 0): Float32Array {
  return Float32Array.from({ length }, () => center + scale * (2 * random() - 1));
}

export interface Weight {
  shape: number[];
  data: Float32Array;
}
export type Weights = Map<string, Weight>;

/** Every decoder tensor of a MusicGen checkpoint for `config`, with seeded random values. */
export function randomWeights(config: MusicgenConfig, seed = 1): Weights {
  const random = seededRandom(seed);
  const { hiddenSize: d, ffnDim: f, codebookSize: V, numCodebooks: K, textHiddenSize: textD } = config;
  const weights: Weights = new Map();
  const put = (name: string, shape: number[], scale: number, center = 0) =>
    weights.set(name, { shape, data: randomArray(random, shape.reduce((a, b) => a * b, 1), scale, center) });
  for (let k = 0; k < K; k++) put(hfNames.embed(k), [V + 1, d], 1);
  for (let l = 0; l < config.numLayers; l++) {
    for (const module of ['self_attn', 'encoder_attn']) {
      for (const proj of ['q', 'k', 'v', 'out']) put(hfNames.layer(l, `${module}.${proj}_proj.weight`), [d, d], 1 / Math.sqrt(d));
    }
    for (const norm of ['self_attn_layer_norm', 'encoder_attn_layer_norm', 'final_layer_norm']) {
      put(hfNames.layer(l, `${norm}.weight`), [d], 0.3, 1);
      put(hfNames.layer(l, `${norm}.bias`), [d], 0.2);
    }
    put(hfNames.layer(l, 'fc1.weight'), [f, d], 1 / Math.sqrt(d));
    put(hfNames.layer(l, 'fc2.weight'), [d, f], 1 / Math.sqrt(f));
  }
  put(hfNames.finalNorm('weight'), [d], 0.3, 1);
  put(hfNames.finalNorm('bias'), [d], 0.2);
  for (let k = 0; k < K; k++) put(hfNames.lmHead(k), [V, d], 1 / Math.sqrt(d));
  put(hfNames.encToDec('weight'), [d, textD], 1 / Math.sqrt(textD));
  put(hfNames.encToDec('bias'), [d], 0.2);
  return weights;
}

/** A TensorReader over in-memory float32 weights (checks names and shapes like the real one). */
export function memoryReader(weights: Weights, name = 'memory'): TensorReader & { reads: string[] } {
  const reads: string[] = [];
  const get = (tensor: string): Weight => {
    const w = weights.get(tensor);
    if (!w) throw new Error(`${name}: no tensor ${tensor}`);
    return w;
  };
  return {
    name,
    reads,
    names: () => [...weights.keys()],
    has: (tensor) => weights.has(tensor),
    info: (tensor): TensorInfo => ({ name: tensor, dtype: 'F32', shape: get(tensor).shape, byteOffset: 0, byteLength: get(tensor).data.byteLength }),
    async readFloat32(tensor, expectShape) {
      const w = get(tensor);
      if (expectShape && JSON.stringify([...expectShape]) !== JSON.stringify(w.shape)) {
        throw new Error(`${name}: tensor ${tensor} has shape ${JSON.stringify(w.shape)}, expected ${JSON.stringify(expectShape)}`);
      }
      reads.push(tensor);
      return w.data.slice();
    },
    async readRaw(tensor) {
      return new Uint8Array(get(tensor).data.slice().buffer);
    },
  };
}

export type Feed = { type: 'float32'; data: Float32Array; dims: number[] } | { type: 'int64'; data: BigInt64Array; dims: number[] };

export function floatFeed(data: Float32Array, dims: number[]): Feed {
  return { type: 'float32', data, dims };
}
export function int64Feed(values: ArrayLike<number>, dims: number[]): Feed {
  return { type: 'int64', data: BigInt64Array.from(Array.from(values, (v) => BigInt(v))), dims };
}

/** Runs one ONNX graph in onnxruntime-node (through the project's one onnxruntime module). */
export async function runGraph(bytes: Uint8Array, feeds: Record<string, Feed>): Promise<Record<string, { data: Float32Array; dims: number[] }>> {
  const session = await (await createRuntime('node')).createSession('test graph', bytes);
  try {
    const results = await session.run(feeds);
    const out: Record<string, { data: Float32Array; dims: number[] }> = {};
    for (const [name, tensor] of Object.entries(results)) {
      if (tensor.type !== 'float32') throw new Error(`output ${name} is ${tensor.type}, expected float32`);
      out[name] = { data: tensor.data, dims: [...tensor.dims] };
    }
    return out;
  } finally {
    await session.release();
  }
}

/** Largest absolute difference; fails loudly on a length mismatch. */
export function maxAbsDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != expected ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    if (!(diff <= worst)) worst = Number.isNaN(diff) ? Infinity : diff;
  }
  return worst;
}
