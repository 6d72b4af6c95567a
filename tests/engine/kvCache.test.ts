import { describe, expect, it } from 'vitest';
import { appendKv, createKvCache, pastKv, reserveKvCache } from '../../src/engine/kvCache';

/** Position `pos` of a layer with `rows` rows and width w: [rows, w] filled with pos*100 + row*10 + i. */
function positions(from: number, t: number, rows: number, w: number, offset = 0): Float32Array {
  const out = new Float32Array(t * rows * w); // [t, rows, w]
  for (let pos = 0; pos < t; pos++) for (let row = 0; row < rows; row++) for (let i = 0; i < w; i++) out[(pos * rows + row) * w + i] = offset + (from + pos) * 100 + row * 10 + i;
  return out;
}

describe('KV cache', () => {
  it('appends new positions after the prefix and shows the prefix as a view of the buffer', () => {
    const cache = createKvCache([2, 1], 3, 40); // layer 0: 2 rows, layer 1: 1 row; h·hd = 3
    reserveKvCache(cache, 1);
    appendKv(cache, 0, positions(0, 1, 2, 3), positions(0, 1, 2, 3, 0.5), 1);
    appendKv(cache, 1, positions(0, 1, 1, 3), positions(0, 1, 1, 3, 0.5), 1);
    cache.length = 1;
    reserveKvCache(cache, 4);
    appendKv(cache, 0, positions(1, 3, 2, 3), positions(1, 3, 2, 3, 0.5), 3);
    appendKv(cache, 1, positions(1, 3, 1, 3), positions(1, 3, 1, 3, 0.5), 3);
    cache.length = 4;

    const past0 = pastKv(cache, 0);
    expect(past0.key).toEqual(positions(0, 4, 2, 3)); // [4, 2, 3]
    expect(past0.value).toEqual(positions(0, 4, 2, 3, 0.5));
    expect(past0.key.buffer).toBe(cache.keys[0].buffer);
    expect(pastKv(cache, 1).key).toEqual(positions(0, 4, 1, 3)); // [4, 1, 3]
  });

  it('keeps the cached positions when it grows, doubling up to the most positions it will hold', () => {
    const cache = createKvCache([1], 2, 40);
    reserveKvCache(cache, 10);
    expect(cache.capacity).toBe(16);
    appendKv(cache, 0, positions(0, 10, 1, 2), positions(0, 10, 1, 2), 10);
    cache.length = 10;
    reserveKvCache(cache, 17);
    expect(cache.capacity).toBe(32);
    reserveKvCache(cache, 33);
    expect(cache.capacity).toBe(40);
    expect(pastKv(cache, 0).key).toEqual(positions(0, 10, 1, 2));
    expect(cache.keys[0].length).toBe(40 * 2);
  });

  it('refuses more positions than it was made for, and new K/V of the wrong size', () => {
    const cache = createKvCache([2], 3, 8);
    expect(() => reserveKvCache(cache, 9)).toThrow(/at most 8 positions, 9 were asked for/);
    reserveKvCache(cache, 1);
    expect(() => appendKv(cache, 0, new Float32Array(3), new Float32Array(3), 1)).toThrow(/expected \[1, 2, 3\]/);
    expect(() => appendKv(cache, 0, new Float32Array(6 * 20), new Float32Array(6 * 20), 20)).toThrow(/do not fit/);
  });
});
