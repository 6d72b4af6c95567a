import { describe, expect, it } from 'vitest';
import { MASKED } from '../../src/bundle/graphContract';
import { causalSelfAttentionBias, crossAttentionBias } from '../../src/engine/attentionBias';

const M = MASKED;

describe('causalSelfAttentionBias', () => {
  it('lets one new position see every cached one', () => {
    expect(Array.from(causalSelfAttentionBias(2, 1, 3))).toEqual(new Array(8).fill(0)); // [2, 1, 1, 4]
  });

  it('masks future keys for a block of new positions after a cache', () => {
    const bias = causalSelfAttentionBias(2, 3, 2); // [2, 1, 3, 5]
    const one = [
      0, 0, 0, M, M, // query at position 2
      0, 0, 0, 0, M, // position 3
      0, 0, 0, 0, 0, // position 4
    ];
    expect(Array.from(bias)).toEqual([...one, ...one]);
  });

  it('is lower-triangular without a cache', () => {
    expect(Array.from(causalSelfAttentionBias(1, 3, 0))).toEqual([0, M, M, 0, 0, M, 0, 0, 0]);
  });

  it('rejects bad sizes', () => {
    expect(() => causalSelfAttentionBias(0, 1, 0)).toThrow(/batch must be an integer >= 1, got 0/);
    expect(() => causalSelfAttentionBias(1, 0, 0)).toThrow(/t must be an integer >= 1/);
    expect(() => causalSelfAttentionBias(1, 1, -1)).toThrow(/past must be an integer >= 0/);
  });
});

describe('crossAttentionBias', () => {
  it('masks padding and leaves the all-zero null branch unmasked', () => {
    const masks = [Uint8Array.from([1, 1, 0]), Uint8Array.from([0, 0, 0]), Uint8Array.from([1, 0, 1])];
    expect(Array.from(crossAttentionBias(masks, 3))).toEqual([0, 0, M, 0, 0, 0, 0, M, 0]); // [3, 1, 1, 3]
  });

  it('rejects masks of the wrong length or with values other than 0/1', () => {
    expect(() => crossAttentionBias([Uint8Array.from([1, 1])], 3)).toThrow(/masks\[0\] has length 2, expected s=3/);
    expect(() => crossAttentionBias([Uint8Array.from([1, 2, 0])], 3)).toThrow(/masks\[0\]\[1\] = 2/);
    expect(() => crossAttentionBias([], 0)).toThrow(/s must be an integer >= 1/);
  });
});
