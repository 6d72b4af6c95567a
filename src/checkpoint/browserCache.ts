/** A RangeCache on the browser Cache API, so fetched tensor bytes survive page reloads. */
import type { RangeCache } from './httpRangeSource';

/**
 * The Cache API compares request URLs without their fragment, so a key like `${url}#bytes=a-b`
 * would make every range of one file collide: move the fragment into a query parameter.
 */
export function cacheRequestUrl(key: string): string {
  const hash = key.indexOf('#');
  if (hash < 0) return key;
  const url = key.slice(0, hash);
  const fragment = key.slice(hash + 1);
  return `${url}${url.includes('?') ? '&' : '?'}musicgen-lab-range=${encodeURIComponent(fragment)}`;
}

/** Returns undefined where the Cache API does not exist (Node, or an insecure browser context). */
export function cacheStorageRangeCache(cacheName = 'musicgen-lab-v1'): RangeCache | undefined {
  const storage = (globalThis as { caches?: CacheStorage }).caches;
  if (storage === undefined) return undefined;
  let opened: Promise<Cache> | undefined;
  const cache = () => (opened ??= storage.open(cacheName));
  return {
    async get(key) {
      const response = await (await cache()).match(cacheRequestUrl(key));
      return response === undefined ? undefined : new Uint8Array(await response.arrayBuffer());
    },
    async put(key, bytes) {
      const body = bytes.slice(); // a private copy: the Response must own a plain ArrayBuffer
      await (await cache()).put(
        cacheRequestUrl(key),
        new Response(body.buffer, { headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.byteLength) } }),
      );
    },
  };
}
