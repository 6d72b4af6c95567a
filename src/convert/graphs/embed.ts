/**
 * embed.onnx: the sum of the K codebook embeddings plus sinusoidal positions that start at
 * `position_offset` (so one graph serves the whole prompt and every cached step).
 */
import { EmbedIO } from '../../bundle/graphContract';
import { hfNames, type MusicgenConfig } from '../../checkpoint/musicgenConfig';
import type { TensorReader } from '../../checkpoint/types';
import { GraphBuilder, type WeightStorage } from '../onnx/builder';
import { OnnxDataType } from '../onnx/proto';

/**
 * 1 / 10000^(i / (half - 1)) for i in [0, half), computed in float64 and then rounded once,
 * as audiocraft's `create_sin_embedding` and HF's `MusicgenSinusoidalPositionalEmbedding` define it.
 */
export function sinusoidInverseFrequencies(hiddenSize: number): Float32Array {
  if (!Number.isInteger(hiddenSize) || hiddenSize < 4 || hiddenSize % 2 !== 0) {
    throw new Error(`sinusoidal positions: hidden size must be an even integer >= 4, got ${hiddenSize}`);
  }
  const half = hiddenSize / 2;
  return Float32Array.from({ length: half }, (_, i) => Math.pow(10000, -i / (half - 1)));
}

export async function buildEmbedGraph(reader: TensorReader, config: MusicgenConfig, storage: WeightStorage): Promise<Uint8Array> {
  const { hiddenSize: d, numCodebooks, codebookSize } = config;
  const g = new GraphBuilder('embed', storage);
  const inputIds = g.input(EmbedIO.inputIds, 'INT64', ['batch', numCodebooks, 'new_positions']); // [b, K, t]
  const positionOffset = g.input(EmbedIO.positionOffset, 'INT64', [1]); // [1]

  // Sum of the codebook embeddings; each table has a row for the special (start) token too.
  let hidden: string | undefined;
  for (let k = 0; k < numCodebooks; k++) {
    const table = g.weight(`embed_tokens.${k}`, await reader.readFloat32(hfNames.embed(k), [codebookSize + 1, d]), [codebookSize + 1, d]); // [V+1, d]
    const codebookIndex = g.constInt64(`codebook_index_${k}`, [k], []); // scalar
    const ids = g.op('Gather', [inputIds, codebookIndex], { axis: 1 }); // [b, t]
    const embedded = g.op('Gather', [table, ids], { axis: 0 }); // [b, t, d]
    hidden = hidden === undefined ? embedded : g.add(hidden, embedded);
  }

  // Positions position_offset + [0, t) -> phase [t, half] -> cat(cos, sin) [t, d].
  const newPositions = g.op('Squeeze', [g.op('Shape', [inputIds], { start: 2, end: 3 })]); // scalar t
  const zero = g.constInt64('zero', [0], []);
  const one = g.constInt64('one', [1], []);
  const positions = g.add(g.op('Range', [zero, newPositions, one]), positionOffset); // [t]
  const positionsFloat = g.op('Cast', [positions], { to: OnnxDataType.FLOAT }); // [t]
  const column = g.op('Unsqueeze', [positionsFloat, g.constInt64('axis_last', [1])]); // [t, 1]
  const inverseFrequencies = g.constFloat('inverse_frequencies', sinusoidInverseFrequencies(d), [d / 2]); // [half]
  const phase = g.mul(column, inverseFrequencies); // [t, half]
  const sinusoid = g.concat([g.op('Cos', [phase]), g.op('Sin', [phase])], -1); // [t, d]

  const withPositions = g.add(hidden!, sinusoid); // [b, t, d]
  g.output(withPositions, EmbedIO.hidden, 'FLOAT', ['batch', 'new_positions', d]);
  return g.toBytes({ producer: 'musicgen-lab convert', doc: 'codebook embeddings + sinusoidal positions' });
}
