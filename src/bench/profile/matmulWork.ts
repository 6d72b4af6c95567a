/**
 * The arithmetic of one matrix-product kernel, from the shapes onnxruntime's profiler records:
 * 2·K multiply-adds' worth of FLOPs per output element, K being the first input's last axis (no op
 * the converter writes transposes A). Integer kernels count the same way (int8 operations). The
 * bytes of the B operand (a projection's weights, attention's K/V cache) are what a batch-2 step
 * streams from memory.
 */
import type { ProfileEvent } from './events';

export const MATMUL_OPS: ReadonlySet<string> = new Set([
  'MatMul',
  'FusedMatMul',
  'Gemm',
  'MatMulInteger',
  'DynamicQuantizeMatMul',
  'MatMulIntegerToFloat',
  'MatMulNBits',
]);

/** Bytes per element of a B operand onnxruntime prepacked at load (the profile then lists A only). */
const PREPACKED_B_BYTES: Readonly<Record<string, number>> = { MatMul: 4, FusedMatMul: 4, Gemm: 4, MatMulInteger: 1, DynamicQuantizeMatMul: 1, MatMulIntegerToFloat: 1, MatMulNBits: 0.5 };

const ELEMENT_BYTES: Readonly<Record<string, number>> = { float: 4, float16: 2, int8: 1, uint8: 1, int32: 4, int64: 8 };

const count = (dims: readonly number[]) => dims.reduce((product, n) => product * n, 1);

/** FLOPs of one call, or undefined for an op that is not a matrix product (or lacks shapes). */
export function matmulFlops(event: ProfileEvent): number | undefined {
  if (!event.op || !MATMUL_OPS.has(event.op)) return undefined;
  const a = event.inputs?.[0]?.dims;
  const y = event.outputs?.[0]?.dims;
  if (!a || !y || a.length === 0) return undefined;
  return 2 * count(y) * a[a.length - 1];
}

/**
 * Bytes of the B operand of one call. onnxruntime leaves a B it prepacked at load out of the
 * profile's inputs (the next input, a scale, takes its place), so a listed B must have K among its
 * last two axes; otherwise B is [K, N] at the op's weight width (MatMulNBits: the q4 bundles' 4 bits).
 */
export function matmulOperandBytes(event: ProfileEvent): number | undefined {
  if (matmulFlops(event) === undefined) return undefined;
  const a = event.inputs![0].dims;
  const y = event.outputs![0].dims;
  const k = a[a.length - 1];
  const b = event.inputs?.[1];
  const listed = b && event.op !== 'MatMulNBits' && b.dims.length >= 2 && (b.dims[b.dims.length - 2] === k || b.dims[b.dims.length - 1] === k);
  if (listed) return count(b.dims) * (ELEMENT_BYTES[b.type] ?? 4);
  return k * y[y.length - 1] * PREPACKED_B_BYTES[event.op!];
}
