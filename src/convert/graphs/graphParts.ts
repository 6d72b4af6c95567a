/**
 * Pieces shared by the bundle's graph builders: reading Hugging Face weights into graph
 * initializers (transposed for a plain MatMul) and the head split/merge reshapes.
 */
import type { TensorReader } from '../../checkpoint/types';
import type { GraphBuilder, Value } from '../onnx/builder';

/** Row-major [rows, cols] -> [cols, rows]. */
export function transposeMatrix(data: Float32Array, rows: number, cols: number): Float32Array {
  if (data.length !== rows * cols) {
    throw new Error(`transposeMatrix: ${data.length} values do not form a [${rows}, ${cols}] matrix`);
  }
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    const rowStart = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[rowStart + c];
  }
  return out;
}

/**
 * A Hugging Face linear weight [out, in] stored as its transpose [in, out], so `x · W^T` is a
 * plain MatMul in the graph.
 */
export async function linearWeight(
  builder: GraphBuilder,
  reader: TensorReader,
  tensorName: string,
  outFeatures: number,
  inFeatures: number,
  graphName: string,
): Promise<Value> {
  const weight = await reader.readFloat32(tensorName, [outFeatures, inFeatures]); // [out, in]
  return builder.weight(graphName, transposeMatrix(weight, outFeatures, inFeatures), [inFeatures, outFeatures]); // [in, out]
}

/** A plain vector weight (layer-norm scale/bias, projection bias). */
export async function vectorWeight(builder: GraphBuilder, reader: TensorReader, tensorName: string, size: number, graphName: string): Promise<Value> {
  return builder.weight(graphName, await reader.readFloat32(tensorName, [size]), [size]); // [size]
}

/** LayerNormalization over the last axis with weights read from `{prefix}.weight` / `{prefix}.bias`. */
export async function layerNorm(builder: GraphBuilder, reader: TensorReader, x: Value, prefix: string, size: number, epsilon: number, graphName: string): Promise<Value> {
  const scale = await vectorWeight(builder, reader, `${prefix}.weight`, size, `${graphName}.weight`);
  const bias = await vectorWeight(builder, reader, `${prefix}.bias`, size, `${graphName}.bias`);
  return builder.layerNorm(x, scale, bias, epsilon);
}

/** Shape constants a graph needs for its head reshapes, declared once per graph. */
export interface HeadShapes {
  readonly split: Value; // int64 [4] = [0, 0, h, hd]: [b, t, d] -> [b, t, h, hd] (0 copies the input dim)
  readonly merge: Value; // int64 [3] = [0, 0, d]:      [b, t, h, hd] -> [b, t, d]
}

/** Declared on first use, so a graph that only splits carries no unused merge constant. */
export function headShapes(builder: GraphBuilder, numHeads: number, headDim: number): HeadShapes {
  let split: Value | undefined;
  let merge: Value | undefined;
  return {
    get split() {
      return (split ??= builder.constInt64('shape_split_heads', [0, 0, numHeads, headDim]));
    },
    get merge() {
      return (merge ??= builder.constInt64('shape_merge_heads', [0, 0, numHeads * headDim]));
    },
  };
}

/** [b, t, d] -> [b, h, t, hd] */
export function splitHeads(builder: GraphBuilder, x: Value, shapes: HeadShapes): Value {
  return builder.transpose(builder.reshape(x, shapes.split), [0, 2, 1, 3]);
}

/** [b, h, t, hd] -> [b, t, d] */
export function mergeHeads(builder: GraphBuilder, x: Value, shapes: HeadShapes): Value {
  return builder.reshape(builder.transpose(x, [0, 2, 1, 3]), shapes.merge);
}

/** Checks a layer index against the config with an error naming the caller. */
export function checkLayer(where: string, layer: number, numLayers: number): void {
  if (!Number.isInteger(layer) || layer < 0 || layer >= numLayers) {
    throw new Error(`${where}: layer ${layer} does not exist (model has ${numLayers} layers)`);
  }
}
