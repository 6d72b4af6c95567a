/**
 * Bytes of a remote file fetched with HTTP range requests (`Range: bytes=a-b`), so a browser can
 * download only the tensors it needs from a multi-GB checkpoint.
 */
import { checkReadRange } from './byteSources';
import { concatBytes } from '../tensor/bytes';
import { CheckpointError } from './safetensors';
import type { ByteSource } from './types';

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

/**
 * The hub answers HEAD with the LFS object's sha256 as `X-Linked-Etag` (and, on its CDN, as `ETag`),
 * quoted and possibly weak (`W/"..."`). Anything that is not 64 hex digits (a git blob's sha1, a
 * CDN's own tag) is not a sha256 and says nothing.
 */
export function sha256FromEtag(value: string | null): string | undefined {
  const match = value === null ? null : /^\s*(?:W\/)?"?([0-9a-f]{64})"?\s*$/i.exec(value);
  return match === null ? undefined : match[1].toLowerCase();
}

function isAbort(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'AbortError';
}

/** Largest file accepted from a server that ignores Range and always sends the whole body. */
export const MAX_UNRANGED_BYTES = 64 * 1024 * 1024;

/** Cache key of the bytes [start, end) of `url` (an inclusive HTTP range in the fragment). */
export function rangeCacheKey(url: string, start: number, end: number): string {
  return `${url}#bytes=${start}-${end - 1}`;
}

/** The error for an unsuccessful HTTP status, telling the user what to do about it. */
export function httpStatusError(url: string, status: number, statusText: string): CheckpointError {
  const statusLine = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  if (status === 401 || status === 403) {
    return new CheckpointError(
      `${url}: ${statusLine}: access denied. The repository may be gated or private (the Hub also answers 401 for a repository ` +
        'that does not exist): check its name, accept its terms on its model page, and pass an access token with ' +
        "headers: { Authorization: 'Bearer <token>' }",
      { source: url, code: 'access' },
    );
  }
  if (status === 404 || status === 410) {
    return new CheckpointError(`${url}: ${statusLine}: no such file; check the repository or folder URL, the revision and the file name`, {
      source: url,
      code: 'not-found',
    });
  }
  return new CheckpointError(`${url}: ${statusLine}`, { source: url, code: status >= 500 ? 'network' : 'io' });
}

function describeFetchFailure(cause: unknown): string {
  const error = cause as Error & { cause?: { code?: string; message?: string } };
  const inner = error?.cause ? `: ${error.cause.code ?? error.cause.message ?? String(error.cause)}` : '';
  return `${error?.message ?? String(cause)}${inner}`;
}

interface ContentRange {
  start: number;
  end: number; // inclusive, as in the header
  total: number | undefined; // undefined for `*`
}

export function parseContentRange(value: string | null): ContentRange | undefined {
  const match = value === null ? null : /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value);
  if (match === null) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), total: match[3] === '*' ? undefined : Number(match[3]) };
}

function parseLength(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

/** Content-Length of an uncompressed body (a compressed body's length is not the file's). */
function identityLength(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return undefined;
  return parseLength(response.headers.get('content-length'));
}

async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** Reads a response body, refusing (and cancelling the download) once it passes `limit` bytes. */
async function readBodyLimited(url: string, response: Response, limit: number, onBytes?: (byteCount: number) => void): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw new CheckpointError(`${url}: response body is larger than the ${limit} bytes asked for`, { source: url, code: 'io' });
      }
      chunks.push(value);
      onBytes?.(value.byteLength);
    }
  } catch (cause) {
    if (cause instanceof CheckpointError || isAbort(cause)) throw cause;
    throw new CheckpointError(`${url}: download interrupted (${describeFetchFailure(cause)})`, { source: url, code: 'network', cause });
  }
  return concatBytes(chunks);
}

/** A ByteSource over HTTP. The size comes from HEAD (or a 1-byte range request); each read is one range request. */
export function httpRangeSource(url: string, options: HttpRangeSourceOptions = {}): HttpByteSource {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const retries = options.retries ?? 3;
  let contentSha256: string | undefined;
  const baseHeaders = options.headers ?? {};
  const cache = options.cache;
  let sizePromise: Promise<number> | undefined;
  // Set when the server ignores ranges and the (small) file came whole.
  let wholeFile: Uint8Array | undefined;

  const request = async (init: RequestInit): Promise<Response> => {
    try {
      return await fetchImpl(url, init);
    } catch (cause) {
      if (isAbort(cause)) throw cause;
      throw new CheckpointError(`network error fetching ${url}: ${describeFetchFailure(cause)} (offline, wrong address, or blocked by CORS?)`, {
        source: url,
        code: 'network',
        cause,
      });
    }
  };

  const noRangeSupportError = (size: number) =>
    new CheckpointError(
      `${url}: the server does not support range requests (it sent the whole file, HTTP 200, for a Range request), and the file is ` +
        `${size} bytes, over the ${MAX_UNRANGED_BYTES}-byte limit for whole downloads; serve it from a server that supports ` +
        'range requests (Accept-Ranges: bytes) or open the file locally',
      { source: url, code: 'io' },
    );

  /** Accepts a whole-file 200 answer to a Range request only for a small file. */
  const takeWholeFile = async (response: Response, expectedSize: number | undefined): Promise<Uint8Array> => {
    const length = identityLength(response) ?? expectedSize;
    if (length !== undefined && length > MAX_UNRANGED_BYTES) {
      await discardBody(response);
      throw noRangeSupportError(length);
    }
    const body = await readBodyLimited(url, response, MAX_UNRANGED_BYTES);
    if (expectedSize !== undefined && body.byteLength !== expectedSize) {
      throw new CheckpointError(`${url}: server sent ${body.byteLength} bytes, expected the whole file of ${expectedSize} bytes`, {
        source: url,
        code: 'io',
      });
    }
    wholeFile = body;
    return body;
  };

  const discoverSize = async (): Promise<number> => {
    const head = await request({ method: 'HEAD', headers: baseHeaders });
    if (head.ok) {
      contentSha256 = sha256FromEtag(head.headers.get('x-linked-etag')) ?? sha256FromEtag(head.headers.get('etag'));
      const length = identityLength(head);
      if (length !== undefined) return length;
    } else if (head.status === 401 || head.status === 403 || head.status === 404 || head.status === 410) {
      throw httpStatusError(url, head.status, head.statusText);
    }
    // No usable HEAD (not allowed, or no Content-Length): ask for one byte and read the total from Content-Range.
    const probe = await request({ headers: { ...baseHeaders, Range: 'bytes=0-0' } });
    if (probe.status === 206) {
      const range = parseContentRange(probe.headers.get('content-range'));
      await discardBody(probe);
      if (range?.total === undefined) {
        throw new CheckpointError(`${url}: cannot tell the file size (no Content-Length on HEAD, no total in Content-Range)`, {
          source: url,
          code: 'io',
        });
      }
      return range.total;
    }
    if (probe.status === 416) {
      await discardBody(probe);
      return parseContentRange(probe.headers.get('content-range'))?.total ?? 0; // `bytes */0`: an empty file
    }
    if (probe.ok) return (await takeWholeFile(probe, undefined)).byteLength;
    await discardBody(probe);
    throw httpStatusError(url, probe.status, probe.statusText);
  };

  const size = (): Promise<number> => {
    if (sizePromise === undefined) {
      sizePromise = discoverSize();
      sizePromise.catch(() => {
        sizePromise = undefined; // let a later call retry
      });
    }
    return sizePromise;
  };

  const fetchRange = async (start: number, end: number, fileSize: number): Promise<Uint8Array> => {
    const response = await request({ headers: { ...baseHeaders, Range: `bytes=${start}-${end - 1}` } });
    if (response.status === 206) {
      const header = response.headers.get('content-range');
      const range = parseContentRange(header);
      // A cross-origin response hides Content-Range unless the server exposes it (CORS); then the body length is the only check.
      const hidden = header === null;
      if (!hidden && (range === undefined || range.start !== start || range.end !== end - 1)) {
        await discardBody(response);
        throw new CheckpointError(
          `${url}: asked for bytes ${start}-${end - 1} but the server answered Content-Range ${JSON.stringify(response.headers.get('content-range'))}`,
          { source: url, code: 'io' },
        );
      }
      if (range?.total !== undefined && range.total !== fileSize) {
        await discardBody(response);
        throw new CheckpointError(`${url}: the file changed on the server (size was ${fileSize}, now ${range.total}); reload`, {
          source: url,
          code: 'io',
        });
      }
      const bytes = await readBodyLimited(url, response, end - start, options.onBytes);
      if (bytes.byteLength !== end - start) {
        throw new CheckpointError(`${url}: got ${bytes.byteLength} bytes for range ${start}-${end - 1}, expected ${end - start}`, {
          source: url,
          code: 'io',
        });
      }
      return bytes;
    }
    if (response.status === 200) {
      if (fileSize > MAX_UNRANGED_BYTES) {
        await discardBody(response);
        throw noRangeSupportError(fileSize);
      }
      return (await takeWholeFile(response, fileSize)).slice(start, end);
    }
    await discardBody(response);
    if (response.status === 416) {
      throw new CheckpointError(`${url}: range ${start}-${end - 1} not satisfiable (HTTP 416); the file on the server is shorter than ${fileSize} bytes`, {
        source: url,
        code: 'truncated',
      });
    }
    throw httpStatusError(url, response.status, response.statusText);
  };

  /** A dropped connection costs the interrupted range only: it is fetched again from its start. */
  const fetchRangeRetrying = async (start: number, end: number, fileSize: number): Promise<Uint8Array> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fetchRange(start, end, fileSize);
      } catch (error) {
        const interrupted = error instanceof CheckpointError && error.code === 'network';
        if (!interrupted || attempt >= retries) throw error;
        await new Promise((resume) => setTimeout(resume, 200 * (attempt + 1)));
      }
    }
  };

  return {
    name: url,
    size,
    async contentSha256() {
      await size();
      return contentSha256;
    },
    async read(start, end) {
      const fileSize = await size();
      checkReadRange(url, start, end, fileSize);
      if (start === end) return new Uint8Array(0);
      if (wholeFile !== undefined) return wholeFile.slice(start, end);
      const key = rangeCacheKey(url, start, end);
      const cached = cache === undefined ? undefined : await cache.get(key).catch(() => undefined);
      if (cached !== undefined && cached.byteLength === end - start) return cached;
      const bytes = await fetchRangeRetrying(start, end, fileSize);
      if (cache !== undefined && wholeFile === undefined) {
        // A failed cache write (quota, private mode) only costs a later re-download.
        await cache.put(key, bytes).catch(() => undefined);
      }
      return bytes;
    },
  };
}
