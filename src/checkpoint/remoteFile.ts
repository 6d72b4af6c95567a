/**
 * Range bookkeeping of one remote file: its size (HEAD, or a 1-byte range request), its content
 * hash, the bytes of a range checked against what was asked, and the whole file kept when a
 * server ignores ranges and the file is small enough.
 */
import { CheckpointError } from './safetensors';
import { identityLength, parseContentRange, sha256FromEtag } from './httpHeaders';
import { discardBody, httpStatusError, readBodyLimited } from './httpRequest';

/** Largest file accepted from a server that ignores Range and always sends the whole body. */
export const MAX_UNRANGED_BYTES = 64 * 1024 * 1024;

export interface RemoteFile {
  /** The size from HEAD or a range probe; also reads the content hash (HEAD) and may keep the whole file. */
  discoverSize(): Promise<number>;
  /** The bytes [start, end) of a file of `fileSize` bytes, in one range request. */
  fetchRange(start: number, end: number, fileSize: number): Promise<Uint8Array>;
  /** The whole file's sha256 from the last HEAD answer, if it told one. */
  readonly contentSha256: string | undefined;
  /** Set when the server ignores ranges and the (small) file came whole. */
  readonly wholeFile: Uint8Array | undefined;
}

export interface RemoteFileOptions {
  request(init: RequestInit): Promise<Response>;
  headers: Record<string, string>;
  onBytes?(byteCount: number): void;
}

export function remoteFile(url: string, { request, headers: baseHeaders, onBytes }: RemoteFileOptions): RemoteFile {
  let contentSha256: string | undefined;
  let wholeFile: Uint8Array | undefined;

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

  /** A 206 answer's body, after checking its Content-Range against the range asked for and the known size. */
  const takeRange = async (response: Response, start: number, end: number, fileSize: number): Promise<Uint8Array> => {
    const header = response.headers.get('content-range');
    const range = parseContentRange(header);
    // A cross-origin response hides Content-Range unless the server exposes it (CORS); then the body length is the only check.
    const hidden = header === null;
    if (!hidden && (range === undefined || range.start !== start || range.end !== end - 1)) {
      await discardBody(response);
      throw new CheckpointError(`${url}: asked for bytes ${start}-${end - 1} but the server answered Content-Range ${JSON.stringify(response.headers.get('content-range'))}`, {
        source: url,
        code: 'io',
      });
    }
    if (range?.total !== undefined && range.total !== fileSize) {
      await discardBody(response);
      throw new CheckpointError(`${url}: the file changed on the server (size was ${fileSize}, now ${range.total}); reload`, {
        source: url,
        code: 'io',
      });
    }
    const bytes = await readBodyLimited(url, response, end - start, onBytes);
    if (bytes.byteLength !== end - start) {
      throw new CheckpointError(`${url}: got ${bytes.byteLength} bytes for range ${start}-${end - 1}, expected ${end - start}`, {
        source: url,
        code: 'io',
      });
    }
    return bytes;
  };

  return {
    get contentSha256() {
      return contentSha256;
    },
    get wholeFile() {
      return wholeFile;
    },

    async discoverSize() {
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
    },

    async fetchRange(start, end, fileSize) {
      const response = await request({ headers: { ...baseHeaders, Range: `bytes=${start}-${end - 1}` } });
      if (response.status === 206) return takeRange(response, start, end, fileSize);
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
    },
  };
}
