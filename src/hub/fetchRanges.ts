/**
 * Downloads into storage: every fetched range goes through a cache in browser storage, so ranges
 * already stored (an earlier, interrupted attempt) are not fetched again.
 */
import type { RangeCache } from '../checkpoint/httpRangeSource';

/**
 * httpRangeSource treats a failed cache write as harmless (the range is fetched again later); when
 * storage is the point, the failure (a full quota) must stop the download. This cache remembers
 * the first write failure so that the caller can throw it.
 */
export function strictRangeCache(cache: RangeCache): RangeCache & { failure(): unknown } {
  let failure: unknown;
  return {
    get: (key) => cache.get(key),
    async put(key, bytes) {
      try {
        await cache.put(key, bytes);
      } catch (error) {
        failure ??= error;
        throw error;
      }
    },
    failure: () => failure,
  };
}

/** Reads a whole file in `chunkBytes` ranges (the same ranges a later copy asks for, so it finds them stored). */
export async function fetchFileChunks(
  source: { size(): Promise<number>; read(start: number, end: number): Promise<Uint8Array> },
  chunkBytes: number,
  options: { signal?: AbortSignal; cacheFailure(): unknown },
): Promise<void> {
  const size = await source.size();
  for (let at = 0; at < size; at += chunkBytes) {
    options.signal?.throwIfAborted();
    await source.read(at, Math.min(size, at + chunkBytes));
    const failure = options.cacheFailure();
    if (failure !== undefined) throw failure;
  }
}
