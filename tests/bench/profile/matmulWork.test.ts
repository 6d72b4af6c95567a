import { describe, expect, it } from 'vitest';
import type { ProfileEvent } from '../../../src/bench/profile/events';
import { matmulFlops, matmulOperandBytes } from '../../../src/bench/profile/matmulWork';

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

describe('matmulOperandBytes', () => {
  it('reads B from its shape when the profile lists it (attention: the K cache)', () => {
    const scores: ProfileEvent = { ...kernel('FusedMatMul', [2, 16, 1, 64], [2, 16, 1, 100]), inputs: [{ type: 'float', dims: [2, 16, 1, 64] }, { type: 'float', dims: [2, 16, 64, 100] }] };
    expect(matmulOperandBytes(scores)).toBe(2 * 16 * 64 * 100 * 4);
  });

  it('counts a prepacked B (absent from the profile) as [K, N] at the op’s weight width', () => {
    expect(matmulOperandBytes(kernel('MatMul', [2, 1, 1024], [2, 1, 4096]))).toBe(1024 * 4096 * 4);
    expect(matmulOperandBytes(kernel('DynamicQuantizeMatMul', [2, 1, 1024], [2, 1, 4096]))).toBe(1024 * 4096);
    // the prepacked int8 B is gone; its per-column scale [N] is listed second
    const quantised: ProfileEvent = { ...kernel('DynamicQuantizeMatMul', [2, 1, 1024], [2, 1, 4096]), inputs: [{ type: 'float', dims: [2, 1, 1024] }, { type: 'float', dims: [4096] }] };
    expect(matmulOperandBytes(quantised)).toBe(1024 * 4096);
    expect(matmulOperandBytes(kernel('MatMulNBits', [2, 1, 1024], [2, 1, 4096]))).toBe(1024 * 4096 / 2);
    expect(matmulOperandBytes(kernel('Add', [2, 1, 1024], [2, 1, 1024]))).toBeUndefined();
  });
});
