/**
 * Where a checkpoint folder lives: the Hugging Face Hub, any static folder URL, or files dropped
 * into the browser. (Node's local folders are in nodeFolderLocation.ts: browsers cannot import node:fs.)
 */
import { blobSource } from './byteSources';
import { httpRangeSource, httpStatusError, type HttpRangeSourceOptions } from './httpRangeSource';
import { CheckpointError } from './safetensors';
import type { ByteSource } from './types';

export interface CheckpointLocation {
  /** Human-readable name used in error messages (repo id, URL or folder). */
  name: string;
  /** A file of the checkpoint folder, e.g. `config.json`; reading it may fail with code 'not-found'. */
  open(relativePath: string): Promise<ByteSource>;
  exists?(relativePath: string): Promise<boolean>;
}

/** fetch, cache, headers (e.g. an access token), retries and byte progress, as for httpRangeSource. */
export type HttpLocationOptions = HttpRangeSourceOptions;

export interface HubLocationOptions extends HttpLocationOptions {
  revision?: string; // branch, tag or commit; default 'main'
  endpoint?: string; // default 'https://huggingface.co'
}

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

/** Rejects paths that could leave the checkpoint folder (they may come from an untrusted index file). */
export function checkRelativePath(locationName: string, relativePath: string): string[] {
  const segments = relativePath.split('/');
  const bad =
    relativePath === '' ||
    relativePath.includes('\\') ||
    /^[a-zA-Z]:/.test(relativePath) ||
    segments.some((s) => s === '' || s === '.' || s === '..');
  if (bad) {
    throw new CheckpointError(`${locationName}: "${relativePath}" is not a plain relative file path inside the checkpoint folder`, {
      source: locationName,
      code: 'format',
    });
  }
  return segments;
}

function encodePath(locationName: string, relativePath: string): string {
  return checkRelativePath(locationName, relativePath).map(encodeURIComponent).join('/');
}

/** HEAD (or, where HEAD is refused, a 1-byte range GET) to learn whether a URL exists. */
async function urlExists(url: string, fetchImpl: typeof fetch, headers: Record<string, string>): Promise<boolean> {
  const attempt = async (init: RequestInit): Promise<Response> => {
    try {
      return await fetchImpl(url, init);
    } catch (cause) {
      throw new CheckpointError(`network error fetching ${url}: ${(cause as Error).message} (offline, wrong address, or blocked by CORS?)`, {
        source: url,
        code: 'network',
        cause,
      });
    }
  };
  let response = await attempt({ method: 'HEAD', headers });
  if (response.status === 405 || response.status === 501) {
    response = await attempt({ headers: { ...headers, Range: 'bytes=0-0' } });
    await response.body?.cancel().catch(() => undefined);
  }
  if (response.ok) return true;
  if (response.status === 404 || response.status === 410) return false;
  throw httpStatusError(url, response.status, response.statusText);
}

/** Any static folder served over HTTP(S) (absolute or page-relative URL); files are read with range requests. */
export function urlLocation(baseUrl: string, options: HttpLocationOptions & { name?: string } = {}): CheckpointLocation {
  const base = baseUrl.replace(/\/+$/, '');
  const name = options.name ?? base;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const urlOf = (relativePath: string) => `${base}/${encodePath(name, relativePath)}`;
  return {
    name,
    open: async (relativePath) =>
      httpRangeSource(urlOf(relativePath), {
        fetch: options.fetch,
        cache: options.cache,
        headers: options.headers,
        retries: options.retries,
        onBytes: options.onBytes,
      }),
    exists: (relativePath) => urlExists(urlOf(relativePath), fetchImpl, options.headers ?? {}),
  };
}

/** The URL of a file in a Hub repository: `${endpoint}/${repo}/resolve/${revision}/${path}`. */
export function hubFileUrl(repo: string, path: string, options: { revision?: string; endpoint?: string } = {}): string {
  return `${hubFolderUrl(repo, options)}/${encodePath(repo, path)}`;
}

function hubFolderUrl(repo: string, options: { revision?: string; endpoint?: string }): string {
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(repo)) {
    throw new CheckpointError(`"${repo}" is not a Hugging Face repository id (expected "owner/name", e.g. "facebook/musicgen-small")`, {
      source: repo,
      code: 'format',
    });
  }
  const endpoint = (options.endpoint ?? DEFAULT_HUB_ENDPOINT).replace(/\/+$/, '');
  // A revision like `refs/pr/3` is one path segment to the Hub, so its slashes are escaped.
  return `${endpoint}/${repo}/resolve/${encodeURIComponent(options.revision ?? 'main')}`;
}

/** A model repository on the Hugging Face Hub (or a mirror given as `endpoint`). */
export function hubLocation(repo: string, options: HubLocationOptions = {}): CheckpointLocation {
  const revision = options.revision ?? 'main';
  const name = revision === 'main' ? repo : `${repo}@${revision}`;
  return urlLocation(hubFolderUrl(repo, options), { ...options, name });
}

/** Files a user picked or dropped in the browser, matched by file name (folders are ignored). */
export function fileListLocation(files: Iterable<File>, name = 'dropped files'): CheckpointLocation {
  const byName = new Map<string, File[]>();
  for (const file of files) byName.set(file.name, [...(byName.get(file.name) ?? []), file]);
  const find = (relativePath: string): File | undefined => {
    const segments = checkRelativePath(name, relativePath);
    const matches = byName.get(segments[segments.length - 1]) ?? [];
    if (matches.length > 1) {
      throw new CheckpointError(`${name}: ${matches.length} files are named "${relativePath}"; drop only one checkpoint at a time`, {
        source: name,
        code: 'format',
      });
    }
    return matches[0];
  };
  return {
    name,
    async open(relativePath) {
      const file = find(relativePath);
      if (file === undefined) {
        const have = [...byName.keys()].sort().join(', ') || 'none';
        throw new CheckpointError(`${name}: no file named "${relativePath}" (files given: ${have})`, { source: name, code: 'not-found' });
      }
      return blobSource(file, file.name);
    },
    exists: async (relativePath) => find(relativePath) !== undefined,
  };
}
