import { describe, expect, it } from 'vitest';
import { arrayBufferSource } from '../../src/checkpoint/byteSources';
import type { RangeCache } from '../../src/checkpoint/httpRangeSource';
import { fetchFileChunks, strictRangeCache } from '../../src/hub/fetchRanges';

function mapCache(failAfter = Infinity): RangeCache & { keys: string[] } {
  const map = new Map<string, Uint8Array>();
  return {
    keys: [],
    get: async (key) => map.get(key),
    async put(key, bytes) {
      if (map.size >= failAfter) throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
      map.set(key, bytes);
      this.keys.push(key);
    },
  };
}

describe('fetchRanges', () => {
  it('strictRangeCache remembers the first failed write', async () => {
    const cache = strictRangeCache(mapCache(1));
    await cache.put('a', new Uint8Array(1));
    expect(cache.failure()).toBeUndefined();
    await expect(cache.put('b', new Uint8Array(1))).rejects.toThrow('quota');
    await expect(cache.put('c', new Uint8Array(1))).rejects.toThrow('quota');
    expect((cache.failure() as Error).name).toBe('QuotaExceededError');
  });

  it('fetchFileChunks reads the file in chunk ranges and stops at a cache failure', async () => {
    const reads: [number, number][] = [];
    const source = arrayBufferSource(new Uint8Array(10), 'f');
    const spy = { size: source.size, read: (a: number, b: number) => (reads.push([a, b]), source.read(a, b)) };
    await fetchFileChunks(spy, 4, { cacheFailure: () => undefined });
    expect(reads).toEqual([[0, 4], [4, 8], [8, 10]]);
    const failure = new Error('full');
    await expect(fetchFileChunks(spy, 4, { cacheFailure: () => failure })).rejects.toBe(failure);
    const controller = new AbortController();
    controller.abort();
    await expect(fetchFileChunks(spy, 4, { signal: controller.signal, cacheFailure: () => undefined })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
