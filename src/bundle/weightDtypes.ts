/**
 * The weight formats a bundle can store, with what the lab tells a user about each. Compute is
 * float32 for fp32/fp16; q8 and q4 run quantised matrix products (onnxruntime's integer and
 * MatMulNBits kernels), so every figure computed on them is a figure of the quantised model.
 */
import type { WeightDtype } from './manifest';

export interface WeightDtypeInfo {
  dtype: WeightDtype;
  label: string;
  /** Stored bytes per weight of a projection matrix, scales and zero points included (estimate). */
  bytesPerWeight: number;
  /** True when the decoder's matrix products run on quantised weights. */
  quantised: boolean;
  summary: string;
}

export const WEIGHT_DTYPES: Readonly<Record<WeightDtype, WeightDtypeInfo>> = {
  fp32: { dtype: 'fp32', label: 'fp32', bytesPerWeight: 4, quantised: false, summary: 'the reference: float32 weights and compute' },
  fp16: { dtype: 'fp16', label: 'fp16', bytesPerWeight: 2, quantised: false, summary: 'float16 storage, float32 compute: half the size, near-identical outputs' },
  // int8 per output channel: 1 byte per weight + one float32 scale per column.
  q8: { dtype: 'q8', label: 'q8 (int8)', bytesPerWeight: 1, quantised: true, summary: 'int8 weights, one scale per output channel: a quarter of the size; faster natively, not faster than fp32 on WASM (no int8 dot product in WebAssembly SIMD)' },
  // 4-bit blocks of 32: half a byte per weight + a float32 scale and a 4-bit zero point per block.
  q4: { dtype: 'q4', label: 'q4 (4-bit)', bytesPerWeight: 0.5 + 4.5 / 32, quantised: true, summary: '4-bit weights in blocks of 32: about a sixth of the size; for WebGPU and native onnxruntime (about 10x slower than fp32 on WASM, which has no kernel for it)' },
};

export const ALL_WEIGHT_DTYPES: readonly WeightDtype[] = ['fp32', 'fp16', 'q8', 'q4'];

export function isWeightDtype(value: unknown): value is WeightDtype {
  return typeof value === 'string' && (ALL_WEIGHT_DTYPES as readonly string[]).includes(value);
}
