import { afterEach, describe, expect, it, vi } from 'vitest';
import { cacheRequestUrl, cacheStorageRangeCache } from '../../src/checkpoint/browserCache';
import { rangeCacheKey } from '../../src/checkpoint/httpRangeSource';

/**
 * Node has no Cache API. This in-memory CacheStorage follows the spec's matching rule that matters
 * here: request URLs are compared without their fragment (checked against Chromium when written).
 */
function memoryCacheStorage() {
  const caches = new Map<string, Map<string, ArrayBuffer>>();
  const withoutFragment = (url: string) => url.split('#')[0];
  return {
    caches,
    async open(name: string) {
      const entries = caches.get(name) ?? new Map<string, ArrayBuffer>();
      caches.set(name, entries);
      return {
        async match(url: string) {
          const body = entries.get(withoutFragment(url));
          return body === undefined ? undefined : new Response(body.slice(0));
        },
        async put(url: string, response: Response) {
          entries.set(withoutFragment(url), await response.arrayBuffer());
        },
      };
    },
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('cacheStorageRangeCache', () => {
  it('is undefined where the Cache API does not exist (Node)', () => {
    expect((globalThis as { caches?: unknown }).caches).toBeUndefined();
    expect(cacheStorageRangeCache()).toBeUndefined();
  });

  it('moves the range out of the fragment, which the Cache API ignores', () => {
    const url = 'https://huggingface.co/facebook/musicgen-small/resolve/main/model.safetensors';
    expect(cacheRequestUrl(rangeCacheKey(url, 0, 8))).toBe(`${url}?musicgen-lab-range=bytes%3D0-7`);
    expect(cacheRequestUrl(`${url}?download=1#bytes=8-15`)).toBe(`${url}?download=1&musicgen-lab-range=bytes%3D8-15`);
    expect(cacheRequestUrl(url)).toBe(url);
  });

  it('stores and returns each range separately in the named cache', async () => {
    const storage = memoryCacheStorage();
    vi.stubGlobal('caches', storage);
    const cache = cacheStorageRangeCache('test-cache');
    expect(cache).toBeDefined();
    const url = 'https://example.org/ckpt/model.safetensors';
    await cache!.put(rangeCacheKey(url, 0, 4), new Uint8Array([1, 2, 3, 4]));
    const original = new Uint8Array([9, 8, 7, 6, 5, 4]);
    await cache!.put(rangeCacheKey(url, 4, 8), original.subarray(1, 5));
    original.fill(0); // the cache must have copied the bytes
    expect(Array.from((await cache!.get(rangeCacheKey(url, 0, 4)))!)).toEqual([1, 2, 3, 4]);
    expect(Array.from((await cache!.get(rangeCacheKey(url, 4, 8)))!)).toEqual([8, 7, 6, 5]);
    expect(await cache!.get(rangeCacheKey(url, 8, 12))).toBeUndefined();
    expect([...storage.caches.keys()]).toEqual(['test-cache']);
  });
});
