import { describe, expect, it } from 'vitest';
import type { ProfileEvent } from '../../../src/bench/profile/events';
import { matmulFlops } from '../../../src/bench/profile/matmulWork';

const kernel = (op: string, a: number[], y: number[]): ProfileEvent => ({ cat: 'Node', name: op, ts: 0, dur: 1, op, inputs: [{ type: 'float', dims: a }], outputs: [{ type: 'float', dims: y }] });

describe('matmulFlops', () => {
  it('counts 2·K per output element, K being the first input’s last axis', () => {
    expect(matmulFlops(kernel('MatMul', [2, 1, 1024], [2, 1, 4096]))).toBe(2 * 2 * 4096 * 1024);
    // attention scores: [b, h, 1, hd] · [b, h, hd, p]
    expect(matmulFlops(kernel('FusedMatMul', [2, 16, 1, 64], [2, 16, 1, 100]))).toBe(2 * 2 * 16 * 100 * 64);
    expect(matmulFlops(kernel('DynamicQuantizeMatMul', [146, 1, 1024], [146, 1, 1024]))).toBe(2 * 146 * 1024 * 1024);
  });

  it('is undefined for other ops and for kernels without shapes', () => {
    expect(matmulFlops(kernel('Add', [2, 1, 1024], [2, 1, 1024]))).toBeUndefined();
    expect(matmulFlops({ cat: 'Node', name: 'x', ts: 0, dur: 1, op: 'MatMul' })).toBeUndefined();
  });
});
