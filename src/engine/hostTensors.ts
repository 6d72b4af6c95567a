/** Building session feeds and reading session outputs in host memory. */
import type { Fetches, HostTensor } from '../runtime/ort';

export function f32(data: Float32Array, dims: readonly number[]): HostTensor {
  return { type: 'float32', data, dims };
}

/** A float32 output of a session run, or a one-line error naming the graph and the output. */
export function floatOutput(out: Fetches, name: string, graph: string): Float32Array {
  const tensor = out[name];
  if (!tensor || tensor.type !== 'float32') throw new Error(`${graph}: missing float32 output ${name}`);
  return tensor.data;
}
