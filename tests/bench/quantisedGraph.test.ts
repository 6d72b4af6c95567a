/** The bench refuses a "quantised" graph without quantised ops: op types are found in the encoded bytes. */
import { describe, expect, it } from 'vitest';
import { quantisedOps } from '../../src/bench/quantisedGraph';
import { GraphBuilder } from '../../src/convert/onnx/builder';

function graph(op: 'MatMul' | 'MatMulInteger'): Uint8Array {
  const g = new GraphBuilder('probe');
  const x = g.input('x', op === 'MatMul' ? 'FLOAT' : 'UINT8', [1, 2]);
  const w = op === 'MatMul' ? g.weight('w', Float32Array.from([1, 2, 3, 4]), [2, 2]) : g.input('w', 'UINT8', [2, 2]);
  g.output(g.op(op, [x, w]), 'y', op === 'MatMul' ? 'FLOAT' : 'INT32', [1, 2]);
  return g.toBytes({ producer: 'test' });
}

describe('quantisedOps', () => {
  it('finds MatMulInteger in a quantised graph and nothing in a float one', () => {
    expect(quantisedOps(graph('MatMulInteger'))).toEqual(['MatMulInteger']);
    expect(quantisedOps(graph('MatMul'))).toEqual([]);
  });
});
