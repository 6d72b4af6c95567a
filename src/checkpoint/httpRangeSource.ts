/**
 * Bytes of a remote file fetched with HTTP range requests (`Range: bytes=a-b`), so a browser can
 * download only the tensors it needs from a multi-GB checkpoint. This module is the ByteSource
 * (size once, range checks, the cache of fetched ranges); remoteFile.ts does the range bookkeeping
 * and httpRequest.ts the request and retry policy.
 */
import { checkReadRange } from './byteSources';
import { retryInterrupted, urlRequester } from './httpRequest';
import { remoteFile } from './remoteFile';
import type { ByteSource } from './types';

export { sha256FromEtag } from './httpHeaders';
export { httpStatusError } from './httpRequest';
export { MAX_UNRANGED_BYTES } from './remoteFile';

/** Persistent store of fetched ranges. `get` must return bytes the caller may keep. */
export interface RangeCache {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, bytes: Uint8Array): Promise<void>;
}

export interface HttpRangeSourceOptions {
  fetch?: typeof fetch;
  cache?: RangeCache;
  /** Extra request headers, e.g. `{ Authorization: 'Bearer hf_...' }` for a gated repository. */
  headers?: Record<string, string>;
  /** Attempts after an interrupted range download (dropped connection), each from the range's start. Default 3. */
  retries?: number;
  /** Called with each body chunk's length as it arrives from the network (not for cached ranges). */
  onBytes?(byteCount: number): void;
}

/** A ByteSource over HTTP that also tells the file's content hash, when the server sends one. */
export interface HttpByteSource extends ByteSource {
  /** The whole file's sha256 (lowercase hex) from `X-Linked-Etag` or `ETag` of the HEAD answer, if either is one. */
  contentSha256(): Promise<string | undefined>;
}

/** Cache key of the bytes [start, end) of `url` (an inclusive HTTP range in the fragment). */
export function rangeCacheKey(url: string, start: number, end: number): string {
  return `${url}#bytes=${start}-${end - 1}`;
}

/** A ByteSource over HTTP. The size comes from HEAD (or a 1-byte range request); each read is one range request. */
export function httpRangeSource(url: string, options: HttpRangeSourceOptions = {}): HttpByteSource {
  const retries = options.retries ?? 3;
  const cache = options.cache;
  const file = remoteFile(url, { request: urlRequester(url, options.fetch ?? globalThis.fetch), headers: options.headers ?? {}, onBytes: options.onBytes });
  let sizePromise: Promise<number> | undefined;

  const size = (): Promise<number> => {
    if (sizePromise === undefined) {
      sizePromise = file.discoverSize();
      sizePromise.catch(() => {
        sizePromise = undefined; // let a later call retry
      });
    }
    return sizePromise;
  };

  return {
    name: url,
    size,
    async contentSha256() {
      await size();
      return file.contentSha256;
    },
    async read(start, end) {
      const fileSize = await size();
      checkReadRange(url, start, end, fileSize);
      if (start === end) return new Uint8Array(0);
      if (file.wholeFile !== undefined) return file.wholeFile.slice(start, end);
      const key = rangeCacheKey(url, start, end);
      const cached = cache === undefined ? undefined : await cache.get(key).catch(() => undefined);
      if (cached !== undefined && cached.byteLength === end - start) return cached;
      // A dropped connection costs the interrupted range only: it is fetched again from its start.
      const bytes = await retryInterrupted(retries, () => file.fetchRange(start, end, fileSize));
      if (cache !== undefined && file.wholeFile === undefined) {
        // A failed cache write (quota, private mode) only costs a later re-download.
        await cache.put(key, bytes).catch(() => undefined);
      }
      return bytes;
    },
  };
}
