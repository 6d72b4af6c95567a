import { describe, expect, it } from 'vitest';
import { GraphBuilder, type WeightStorage } from '../../../src/convert/onnx/builder';
import { decodeModel } from '../../../src/convert/onnx/proto';
import { linear } from '../../../src/convert/graphs/linear';
import { dequantizeBlockwise, quantizeBlockwise } from '../../../src/convert/quantize/blockwise';
import { dequantizeInt8PerChannel, quantizeInt8PerChannel } from '../../../src/convert/quantize/perChannel';
import { createRuntime, type Backend } from '../../../src/runtime/ort';
import { maxAbsDiff, memoryReader, randomArray, seededRandom } from '../tinyCheckpoint';

// k = 40 is not a multiple of the q4 block (32): the padded last block is exercised too.
const [b, n, k] = [2, 24, 40];
const weight = randomArray(seededRandom(3), n * k, 0.4); // [n, k]
const x = randomArray(seededRandom(4), b * k, 2); // [b, 1, k]
const reader = memoryReader(new Map([['proj.weight', { shape: [n, k], data: weight }]]));

/** x · W^T for a row-major [n, k] weight. */
function reference(w: Float32Array): Float32Array {
  const y = new Float32Array(b * n);
  for (let r = 0; r < b; r++) for (let o = 0; o < n; o++) for (let c = 0; c < k; c++) y[r * n + o] += x[r * k + c] * w[o * k + c];
  return y;
}

/** The weights each storage stands for (what the op must compute with, up to activation rounding). */
const storedWeight: Record<Exclude<WeightStorage, 'fp16'>, Float32Array> = {
  fp32: weight,
  q8: dequantizeInt8PerChannel(quantizeInt8PerChannel(weight, n, k)),
  'peer-q8': dequantizeInt8PerChannel(quantizeInt8PerChannel(weight, n, k, { reduceRange: true })),
  q4: dequantizeBlockwise(quantizeBlockwise(weight, n, k, 4, 32)),
};

async function build(storage: WeightStorage): Promise<Uint8Array> {
  const g = new GraphBuilder('linear', storage);
  const input = g.input('x', 'FLOAT', [b, 1, k]); // [b, 1, k]
  g.output(await linear(g, reader, input, 'proj.weight', n, k, 'proj.weight_t'), 'y', 'FLOAT', [b, 1, n]);
  return g.toBytes({ producer: 'test' });
}

describe.each<Backend>(['node', 'wasm'])('linear on %s', (backend) => {
  it.each(['fp32', 'q8', 'peer-q8', 'q4'] as const)('%s computes x · W^T with its stored weights', async (storage) => {
    const session = await (await createRuntime(backend)).createSession(storage, await build(storage));
    try {
      const y = (await session.run({ x: { type: 'float32', data: x, dims: [b, 1, k] } })).y.data as Float32Array; // [b, 1, n]
      const expected = reference(storedWeight[storage]);
      const peak = Math.max(...expected.map(Math.abs));
      // fp32 is exact; quantised ops also round x to 8 bits (dynamically, or inside MatMulNBits at
      // accuracy level 4): 1 % of the output's range. A wrong nibble, block or channel order is ~100 %.
      expect(maxAbsDiff(y, expected)).toBeLessThan(storage === 'fp32' ? 1e-5 : 0.01 * peak);
    } finally {
      await session.release();
    }
  });
});

describe('linear graph structure', () => {
  it('shares one DynamicQuantizeLinear between projections of the same input and imports com.microsoft only for q4', async () => {
    const g = new GraphBuilder('two', 'q8');
    const input = g.input('x', 'FLOAT', [b, 1, k]);
    g.output(await linear(g, reader, input, 'proj.weight', n, k, 'a.weight_t'), 'ya', 'FLOAT', [b, 1, n]);
    g.output(await linear(g, reader, input, 'proj.weight', n, k, 'b.weight_t'), 'yb', 'FLOAT', [b, 1, n]);
    const model = decodeModel(g.toBytes({ producer: 'test' }));
    expect(model.graph.node.filter((node) => node.opType === 'DynamicQuantizeLinear')).toHaveLength(1);
    expect(model.graph.node.filter((node) => node.opType === 'MatMulInteger')).toHaveLength(2);
    expect(model.opsetImport.map((o) => o.domain)).toEqual(['']);
    const q4 = decodeModel(await build('q4'));
    expect(q4.opsetImport.map((o) => o.domain)).toEqual(['', 'com.microsoft']);
    expect(q4.graph.node.map((node) => node.opType)).toEqual(['MatMulNBits', 'Identity']);
  });
});
