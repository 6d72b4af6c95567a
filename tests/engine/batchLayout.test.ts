import { describe, expect, it } from 'vitest';
import { batchRowIndex, gatherRows, planBatch, rowDepths, takePrefix } from '../../src/engine/batchLayout';

describe('planBatch', () => {
  it('orders depths [3, 1, 2] deepest first, so each block runs on a prefix', () => {
    const plan = planBatch([3, 1, 2], 3);
    expect(plan.order).toEqual([0, 2, 1]);
    expect(plan.slotOfRow).toEqual([0, 2, 1]);
    expect(plan.activeRowsAtLayer).toEqual([3, 2, 1]);
    expect(plan.exitLayerOfSlot).toEqual([2, 1, 0]);
  });

  it('keeps request order among equal depths (stable)', () => {
    const plan = planBatch([2, 3, 2, 3, 1], 3);
    expect(plan.order).toEqual([1, 3, 0, 2, 4]);
    expect(plan.activeRowsAtLayer).toEqual([5, 4, 2]);
    expect(plan.exitLayerOfSlot).toEqual([2, 2, 1, 1, 0]);
  });

  it('lays out a full DecoderLens sweep: one row per depth', () => {
    const L = 24;
    const plan = planBatch(Array.from({ length: L }, (_, i) => i + 1), L);
    expect(plan.order).toEqual(Array.from({ length: L }, (_, i) => L - 1 - i));
    expect(plan.activeRowsAtLayer).toEqual(Array.from({ length: L }, (_, l) => L - l));
    // The slots still active at block l are exactly those whose exit layer is >= l.
    for (let l = 0; l < L; l++) {
      plan.exitLayerOfSlot.forEach((exit, slot) => expect(slot < plan.activeRowsAtLayer[l]).toBe(exit >= l));
    }
  });

  it('handles an empty request and full-depth rows', () => {
    expect(planBatch([], 2)).toEqual({ order: [], slotOfRow: [], activeRowsAtLayer: [0, 0], exitLayerOfSlot: [] });
    expect(planBatch([2, 2], 2).activeRowsAtLayer).toEqual([2, 2]);
  });

  it('rejects depths outside 1..L', () => {
    expect(() => planBatch([0], 3)).toThrow(/depths\[0\] must be an integer in \[1, 3\], got 0/);
    expect(() => planBatch([1, 4], 3)).toThrow(/depths\[1\] must be an integer in \[1, 3\], got 4/);
    expect(() => planBatch([1.5], 3)).toThrow(/depths\[0\]/);
    expect(() => planBatch([1], 0)).toThrow(/numLayers must be a positive integer/);
  });
});

describe('rowDepths', () => {
  it('defaults to all layers and validates', () => {
    expect(rowDepths([{ prompt: 0 }, { prompt: 0, depth: 2 }], 4)).toEqual([4, 2]);
    expect(() => rowDepths([{ prompt: 0, depth: 5 }], 4)).toThrow(/rows\[0\].depth must be an integer in \[1, 4\], got 5/);
  });
});

describe('batch rows', () => {
  it('puts cond on even and null on odd batch rows', () => {
    expect(batchRowIndex(0, 'cond')).toBe(0);
    expect(batchRowIndex(0, 'null')).toBe(1);
    expect(batchRowIndex(3, 'cond')).toBe(6);
    expect(batchRowIndex(3, 'null')).toBe(7);
  });

  it('gathers rows in the given order, keeping the element type', () => {
    const data = Float32Array.from([0, 1, 10, 11, 20, 21]); // [3, 2]
    const gathered = gatherRows(data, 2, [2, 0, 2]);
    expect(gathered).toBeInstanceOf(Float32Array);
    expect(Array.from(gathered)).toEqual([20, 21, 0, 1, 20, 21]);
    const ids = gatherRows(BigInt64Array.from([1n, 2n, 3n]), 1, [1]);
    expect(ids).toBeInstanceOf(BigInt64Array);
    expect(Array.from(ids)).toEqual([2n]);
    expect(Array.from(gatherRows(Int32Array.from([5, 6]), 1, [1, 0]))).toEqual([6, 5]);
  });

  it('takes a prefix as a view, not a copy', () => {
    const data = Float32Array.from([0, 1, 10, 11, 20, 21]); // [3, 2]
    const prefix = takePrefix(data, 2, 2);
    expect(Array.from(prefix)).toEqual([0, 1, 10, 11]);
    prefix[0] = 99;
    expect(data[0]).toBe(99);
    expect(prefix.buffer).toBe(data.buffer);
    expect(takePrefix(data, 2, 3)).toBe(data);
    expect(takePrefix(data, 2, 0).length).toBe(0);
  });

  it('rejects bad rows and sizes', () => {
    const data = new Float32Array(6);
    expect(() => gatherRows(data, 2, [3])).toThrow(/rows\[0\] = 3 is out of range: data has 3 rows/);
    expect(() => gatherRows(data, 4, [0])).toThrow(/data has length 6, not a multiple of rowSize 4/);
    expect(() => takePrefix(data, 2, 4)).toThrow(/count must be an integer in \[0, 3\]/);
    expect(() => takePrefix(data, 0, 1)).toThrow(/rowSize must be a positive integer/);
  });
});
