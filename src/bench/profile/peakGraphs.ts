/**
 * Graphs that measure what this machine's onnxruntime sustains, for the profile to compare with:
 * one large matrix product (many rows: compute bound) in fp32 and in the q8 bundles' int8 form, and
 * a batch-2 product over weights far larger than any cache (memory bound: weight bytes per second).
 */
import { GraphBuilder } from '../../convert/onnx/builder';

/** '… at few rows': the same product at the row counts a plain step (2) or a lens block (2–48) has. */
export type PeakKind = 'fp32 GEMM' | 'int8 GEMM' | 'fp32 weight stream' | 'fp32 GEMM at few rows' | 'int8 GEMM at few rows';

export interface PeakGraph {
  kind: PeakKind;
  label: string;
  bytes: Uint8Array;
  inputDims: number[];
  flops: number; // per run
  weightBytes: number; // per run
}

/** Deterministic weights in ±0.03 (the values do not matter, only that they are not all zero). */
function weights(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 2 ** 32 - 0.5) * 0.06;
  }
  return out;
}

function int8Weights(count: number, seed: number): Int8Array {
  return Int8Array.from(weights(count, seed), (w) => Math.round(w * 4000));
}

/** [rows, k] · [k, n] in fp32 (MatMul) or as DynamicQuantizeLinear + MatMulInteger + rescale, like a q8 projection. */
export function gemmGraph(kind: 'fp32 GEMM' | 'int8 GEMM' | 'fp32 GEMM at few rows' | 'int8 GEMM at few rows', rows: number, k: number, n: number): PeakGraph {
  const g = new GraphBuilder(`peak ${kind}`);
  const x = g.input('x', 'FLOAT', [rows, k]); // [rows, k]
  let y: string;
  const int8 = kind.startsWith('int8');
  if (!int8) y = g.matmul(x, g.weight('w', weights(k * n, 1), [k, n])); // [rows, n]
  else {
    const [xq, xScale, xZero] = g.opMulti('DynamicQuantizeLinear', [x], 3); // uint8 [rows, k], scalar, scalar
    const acc = g.op('MatMulInteger', [xq, g.constBytes('w', 'INT8', int8Weights(k * n, 1), [k, n]), xZero, g.constBytes('w_zero', 'INT8', new Int8Array(n), [n])]); // int32 [rows, n]
    y = g.mul(g.op('Cast', [acc], { to: 1 }), g.mul(xScale, g.constFloat('w_scale', new Float32Array(n).fill(1 / 4000), [n]))); // [rows, n]
  }
  g.output(y, 'y', 'FLOAT', [rows, n]);
  const label = `${int8 ? 'int8' : 'fp32'} GEMM, ${rows} rows`;
  return { kind, label, bytes: g.toBytes({ producer: 'bench-profile' }), inputDims: [rows, k], flops: 2 * rows * k * n, weightBytes: k * n * (int8 ? 1 : 4) };
}

/** Two chained [d, d] fp32 products at batch 2: 2·d²·4 bytes of weights read per run. */
export function weightStreamGraph(d: number): PeakGraph {
  const g = new GraphBuilder('peak weight stream');
  const x = g.input('x', 'FLOAT', [2, d]); // [b, d]
  const h = g.matmul(x, g.weight('w0', weights(d * d, 2), [d, d])); // [b, d]
  g.output(g.matmul(h, g.weight('w1', weights(d * d, 3), [d, d])), 'y', 'FLOAT', [2, d]); // [b, d]
  return { kind: 'fp32 weight stream', label: `fp32 weight stream, 2 × ${d}²`, bytes: g.toBytes({ producer: 'bench-profile' }), inputDims: [2, d], flops: 2 * 2 * 2 * d * d, weightBytes: 2 * d * d * 4 };
}

/**
 * The peaks at the sizes the profile uses: 256 rows × 1024 → 4096 (a decoder fc1 at sweep-like
 * batch), d 4096 streamed; and fc1 at the row counts of a plain step (2) and of DecoderLens blocks (2–48).
 */
export function peakGraphs(): PeakGraph[] {
  return [
    gemmGraph('fp32 GEMM', 256, 1024, 4096),
    gemmGraph('int8 GEMM', 256, 1024, 4096),
    weightStreamGraph(4096),
    ...[2, 8, 24, 48].map((rows) => gemmGraph('fp32 GEMM at few rows', rows, 1024, 4096)),
    gemmGraph('int8 GEMM at few rows', 2, 1024, 4096),
  ];
}
