import { describe, expect, it } from 'vitest';
import { f32, floatOutput } from '../../src/engine/hostTensors';

describe('hostTensors', () => {
  it('wraps float32 data with its dims, and reads a float32 output back', () => {
    const data = Float32Array.of(1, 2, 3, 4, 5, 6);
    const tensor = f32(data, [2, 3]);
    expect(tensor).toEqual({ type: 'float32', data, dims: [2, 3] });
    expect(floatOutput({ resid_post: tensor }, 'resid_post', 'block_0')).toBe(data);
  });

  it('names the graph and the output when it is missing or not float32', () => {
    expect(() => floatOutput({}, 'logits', 'head')).toThrow('head: missing float32 output logits');
    expect(() => floatOutput({ ids: { type: 'int64', data: BigInt64Array.of(1n), dims: [1] } }, 'ids', 'embed')).toThrow('embed: missing float32 output ids');
  });
});
