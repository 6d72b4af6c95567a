/**
 * GraphBuilder.toBytes splits large initializer sets over concatenated ModelProto parts (protobufjs
 * cannot grow one buffer past 1 GiB); onnxruntime must read the parts as one model.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/convert/onnx/builder';
import { createRuntime, type Backend } from '../../src/runtime/ort';

function sumOfWeights(): GraphBuilder {
  const g = new GraphBuilder('chunked');
  const x = g.input('x', 'FLOAT', [4]); // [4]
  let y = x;
  for (let i = 0; i < 5; i++) y = g.add(y, g.weight(`w${i}`, Float32Array.from([1, 2, 3, 4], (v) => v * 10 ** i), [4])); // [4]
  g.output(y, 'y', 'FLOAT', [4]);
  return g;
}

describe('chunked model encoding', () => {
  it('writes one part for small graphs and several when the limit is small', () => {
    const g = sumOfWeights();
    const whole = g.toBytes({ producer: 'test' });
    const chunked = g.toBytes({ producer: 'test' }, 20); // 16 bytes per weight: one weight per part
    expect(chunked.byteLength).toBeGreaterThan(whole.byteLength);
  });

  it.each<Backend>(['node', 'wasm'])('loads the concatenated parts as one model on %s', async (backend) => {
    const bytes = sumOfWeights().toBytes({ producer: 'test' }, 20);
    const session = await (await createRuntime(backend)).createSession('chunked', bytes);
    const out = await session.run({ x: { type: 'float32', data: Float32Array.from([1, 1, 1, 1]), dims: [4] } });
    expect(Array.from(out.y.data as Float32Array)).toEqual([11112, 22223, 33334, 44445]);
    await session.release();
  });
});
