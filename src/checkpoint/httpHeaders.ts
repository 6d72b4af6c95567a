/** Reading the HTTP headers a range download relies on: content hash, Content-Range, Content-Length. */

/**
 * The hub answers HEAD with the LFS object's sha256 as `X-Linked-Etag` (and, on its CDN, as `ETag`),
 * quoted and possibly weak (`W/"..."`). Anything that is not 64 hex digits (a git blob's sha1, a
 * CDN's own tag) is not a sha256 and says nothing.
 */
export function sha256FromEtag(value: string | null): string | undefined {
  const match = value === null ? null : /^\s*(?:W\/)?"?([0-9a-f]{64})"?\s*$/i.exec(value);
  return match === null ? undefined : match[1].toLowerCase();
}

export interface ContentRange {
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
export function identityLength(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return undefined;
  return parseLength(response.headers.get('content-length'));
}
