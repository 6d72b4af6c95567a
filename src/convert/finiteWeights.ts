/**
 * Weight scans at conversion: a NaN or ±Infinity in a checkpoint, or a value too large for float16
 * storage, is refused with the tensor and the element's index, instead of converting silently into
 * a model whose logits are NaN.
 */
import { formatShape } from '../checkpoint/safetensors';
import type { TensorReader } from '../checkpoint/types';
import type { WeightDtype } from '../bundle/manifest';

/** Smallest magnitude that rounds to ±Infinity in IEEE half (65504 + half an ulp of 32). */
export const FLOAT16_OVERFLOW = 65520;
export const FLOAT16_MAX = 65504;

export class WeightValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WeightValueError';
  }
}

/** Row-major multi-index of flat `index` in `shape`, e.g. [3, 17]. */
export function unflattenIndex(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let rest = index;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    out[axis] = rest % shape[axis];
    rest = Math.floor(rest / shape[axis]);
  }
  return out;
}

/** First index whose value is NaN or ±Infinity, or -1. */
export function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** First index whose magnitude overflows float16, or -1. */
export function firstFloat16Overflow(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]) >= FLOAT16_OVERFLOW) return i;
  return -1;
}

/** Throws a WeightValueError naming the tensor and element when `values` cannot be stored as `dtype`. */
export function checkWeightValues(source: string, tensor: string, shape: readonly number[], values: Float32Array, dtype: WeightDtype): void {
  const at = (index: number) => `${formatShape(unflattenIndex(index, shape))} (flat index ${index})`;
  const bad = firstNonFinite(values);
  if (bad >= 0) throw new WeightValueError(`${source}: tensor "${tensor}" holds ${values[bad]} at ${at(bad)}; the checkpoint is corrupt or was saved after training diverged`);
  if (dtype === 'fp16') {
    const big = firstFloat16Overflow(values);
    if (big >= 0) {
      throw new WeightValueError(`${source}: tensor "${tensor}" holds ${values[big]} at ${at(big)}, beyond float16's ±${FLOAT16_MAX}; convert with --dtype fp32`);
    }
  }
}

/** The same reader, with every float32 read scanned by checkWeightValues. */
export function scanningReader(reader: TensorReader, dtype: WeightDtype): TensorReader {
  return {
    name: reader.name,
    names: () => reader.names(),
    has: (name) => reader.has(name),
    info: (name) => reader.info(name),
    readRaw: (name) => reader.readRaw(name),
    async readFloat32(name, expectShape) {
      const values = await reader.readFloat32(name, expectShape);
      checkWeightValues(reader.name, name, expectShape ?? reader.info(name).shape, values, dtype);
      return values;
    },
  };
}
