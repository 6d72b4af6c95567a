/**
 * The arithmetic of one matrix-product kernel, from the shapes onnxruntime's profiler records:
 * 2·K multiply-adds' worth of FLOPs per output element, K being the first input's last axis (no op
 * the converter writes transposes A). Integer kernels count the same way (int8 operations).
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

const count = (dims: readonly number[]) => dims.reduce((product, n) => product * n, 1);

/** FLOPs of one call, or undefined for an op that is not a matrix product (or lacks shapes). */
export function matmulFlops(event: ProfileEvent): number | undefined {
  if (!event.op || !MATMUL_OPS.has(event.op)) return undefined;
  const a = event.inputs?.[0]?.dims;
  const y = event.outputs?.[0]?.dims;
  if (!a || !y || a.length === 0) return undefined;
  return 2 * count(y) * a[a.length - 1];
}
