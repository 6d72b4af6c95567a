/**
 * embed.onnx: the sum of the K codebook embeddings plus sinusoidal positions that start at
 * `position_offset` (so one graph serves the whole prompt and every cached step).
 */
import { EmbedIO } from '../../bundle/graphContract';
import { hfNames, type MusicgenConfig } from '../../checkpoint/musicgenConfig';
import type { TensorReader } from '../../checkpoint/types';
import { GraphBuilder, type WeightStorage } from '../onnx/builder';

/**
 * The sinusoid of every position, [positions, d] = cat(cos(phase), sin(phase)), with audiocraft's
 * float32 arithmetic (`create_sin_embedding`): period_i = 10000^(i / (half - 1)), phase = p / period_i,
 * each rounded to float32; cos and sin then rounded once. A table rather than Sin/Cos ops in the
 * graph: WGSL only promises sin/cos to 2^-11 absolute, and only on [-π, π], while phases reach
 * thousands of radians (measured on WebGPU: 2.7e-4 off at position 13, where WASM and the reference
 * agree to 1e-6).
 */
export function sinusoidTable(positions: number, hiddenSize: number): Float32Array {
  if (!Number.isInteger(hiddenSize) || hiddenSize < 4 || hiddenSize % 2 !== 0) {
    throw new Error(`sinusoidal positions: hidden size must be an even integer >= 4, got ${hiddenSize}`);
  }
  const half = hiddenSize / 2;
  const periods = Float32Array.from({ length: half }, (_, i) => Math.pow(10000, Math.fround(i / (half - 1)))); // [half]
  const table = new Float32Array(positions * hiddenSize); // [positions, d]
  for (let p = 0; p < positions; p++) {
    for (let i = 0; i < half; i++) {
      const phase = Math.fround(p / periods[i]);
      table[p * hiddenSize + i] = Math.cos(phase);
      table[p * hiddenSize + half + i] = Math.sin(phase);
    }
  }
  return table;
}

export async function buildEmbedGraph(reader: TensorReader, config: MusicgenConfig, storage: WeightStorage): Promise<Uint8Array> {
  const g = new GraphBuilder('embed', storage);
  const inputIds = g.input(EmbedIO.inputIds, 'INT64', ['batch', config.numCodebooks, 'new_positions']); // [b, K, t]
  const positionOffset = g.input(EmbedIO.positionOffset, 'INT64', [1]); // [1]
  g.output(await addEmbedding(g, reader, config, inputIds, positionOffset), EmbedIO.hidden, 'FLOAT', ['batch', 'new_positions', config.hiddenSize]);
  return g.toBytes({ producer: 'musicgen-lab convert', doc: 'codebook embeddings + sinusoidal positions' });
}

/** Adds the embedding computation to `g` (also used by the merged decoder graph): -> [b, t, d]. */
export async function addEmbedding(g: GraphBuilder, reader: TensorReader, config: MusicgenConfig, inputIds: string, positionOffset: string): Promise<string> {
  const { hiddenSize: d, numCodebooks, codebookSize } = config;

  // Sum of the codebook embeddings; each table has a row for the special (start) token too.
  let hidden: string | undefined;
  for (let k = 0; k < numCodebooks; k++) {
    const table = g.weight(`embed_tokens.${k}`, await reader.readFloat32(hfNames.embed(k), [codebookSize + 1, d]), [codebookSize + 1, d]); // [V+1, d]
    const codebookIndex = g.constInt64(`codebook_index_${k}`, [k], []); // scalar
    const ids = g.op('Gather', [inputIds, codebookIndex], { axis: 1 }); // [b, t]
    const embedded = g.op('Gather', [table, ids], { axis: 0 }); // [b, t, d]
    hidden = hidden === undefined ? embedded : g.add(hidden, embedded);
  }

  // Positions position_offset + [0, t) -> rows of the precomputed sinusoid table -> [t, d].
  const newPositions = g.op('Squeeze', [g.op('Shape', [inputIds], { start: 2, end: 3 })]); // scalar t
  const zero = g.constInt64('zero', [0], []);
  const one = g.constInt64('one', [1], []);
  const positions = g.add(g.op('Range', [zero, newPositions, one]), positionOffset); // [t]
  const table = g.constFloat('sinusoid_table', sinusoidTable(config.maxPositions, d), [config.maxPositions, d]); // [maxPositions, d]
  const sinusoid = g.op('Gather', [table, positions], { axis: 0 }); // [t, d]

  return g.add(hidden!, sinusoid); // [b, t, d]
}
