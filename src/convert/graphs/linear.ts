/**
 * One Hugging Face linear layer (weight [out, in], no bias) applied to x, in the graph's weight
 * storage:
 *  - fp32 / fp16: MatMul with the transposed weight (graphParts.linearWeight), as before;
 *  - q8: int8 weights with one scale per output channel; x is quantised per call to uint8
 *    (DynamicQuantizeLinear) and multiplied by MatMulInteger, then rescaled. onnxruntime fuses the
 *    four nodes into DynamicQuantizeMatMul on the CPU/WASM EP, the fastest int8 path measured there
 *    (README "Quantised bundles"); WebGPU runs these nodes on its CPU fallback;
 *  - q4: MatMulNBits (com.microsoft), 4-bit asymmetric blocks of 32 along the input axis,
 *    accuracy_level 4 (int8 activations; MLAS's fast path on x86/ARM), native on WebGPU;
 *  - peer-q8: what onnxruntime's quantize_dynamic(per_channel, reduce_range, QInt8) writes, as in
 *    transformers.js's "quantized" files: the q8 pattern with 7-bit weights and an explicit zero point.
 */
import type { TensorReader } from '../../checkpoint/types';
import { MS_DOMAIN, type GraphBuilder, type Value } from '../onnx/builder';
import { OnnxDataType } from '../onnx/proto';
import { quantizeBlockwise } from '../quantize/blockwise';
import { quantizeInt8PerChannel } from '../quantize/perChannel';
import { linearWeight } from './graphParts';

export const Q4_BLOCK_SIZE = 32;
/** MatMulNBits accuracy_level 4: activations quantised to int8 inside the kernel (fastest measured). */
export const Q4_ACCURACY_LEVEL = 4;

/** Per graph: each value's DynamicQuantizeLinear, shared by the projections that read it (q, k, v). */
const dynamicallyQuantised = new WeakMap<GraphBuilder, Map<Value, Value[]>>();

function quantiseActivation(g: GraphBuilder, x: Value): Value[] {
  let perGraph = dynamicallyQuantised.get(g);
  if (!perGraph) dynamicallyQuantised.set(g, (perGraph = new Map()));
  let quantised = perGraph.get(x);
  if (!quantised) perGraph.set(x, (quantised = g.opMulti('DynamicQuantizeLinear', [x], 3))); // uint8 [..., in], scale [], zero point []
  return quantised;
}

/** x [..., in] -> [..., out] = x · W^T for the checkpoint's `tensorName` [out, in]. */
export async function linear(g: GraphBuilder, reader: TensorReader, x: Value, tensorName: string, outFeatures: number, inFeatures: number, graphName: string): Promise<Value> {
  const storage = g.weightStorage;
  if (storage === 'fp32' || storage === 'fp16') return g.matmul(x, await linearWeight(g, reader, tensorName, outFeatures, inFeatures, graphName)); // [..., out]
  const weight = await reader.readFloat32(tensorName, [outFeatures, inFeatures]); // [out, in]
  const base = graphName.replace(/_t$/, '');
  if (storage === 'q4') {
    const q = quantizeBlockwise(weight, outFeatures, inFeatures, 4, Q4_BLOCK_SIZE);
    return g.op('MatMulNBits', [
      x,
      g.constBytes(`${base}_q4`, 'UINT8', q.packed, [outFeatures, q.blocksPerColumn, Q4_BLOCK_SIZE / 2]), // [out, blocks, 16]
      g.constFloat(`${base}_scales`, q.scales, [q.scales.length]), // [out * blocks]
      g.constBytes(`${base}_zero_points`, 'UINT8', q.zeroPoints, [q.zeroPoints.length]), // [out * ceil(blocks / 2)]
    ], { K: inFeatures, N: outFeatures, bits: 4, block_size: Q4_BLOCK_SIZE, accuracy_level: Q4_ACCURACY_LEVEL }, undefined, MS_DOMAIN); // [..., out]
  }
  const peer = storage === 'peer-q8';
  const q = quantizeInt8PerChannel(weight, outFeatures, inFeatures, { reduceRange: peer });
  const [xq, xScale, xZero] = quantiseActivation(g, x);
  const inputs = [xq, g.constBytes(`${base}_q8`, 'INT8', q.values, [inFeatures, outFeatures]), xZero]; // B: int8 [in, out]
  if (peer) inputs.push(g.constBytes(`${base}_zero_point`, 'INT8', new Int8Array(outFeatures), [outFeatures])); // [out], all 0 (symmetric)
  const accumulated = g.op('MatMulInteger', inputs); // int32 [..., out]
  const scale = g.mul(xScale, g.constFloat(`${base}_scale`, q.scales, [outFeatures])); // [out]
  return g.mul(g.op('Cast', [accumulated], { to: OnnxDataType.FLOAT }), scale); // [..., out]
}
