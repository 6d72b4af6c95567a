import { concatBytes } from '../tensor/bytes';
import { messageOf } from '../errorMessage';

/**
 * Where a bundle's files come from. The engine only ever asks for a path relative to the
 * manifest; a static folder over HTTP, files in memory, or (in Node) a folder on disk all fit.
 */
export interface BundleFiles {
  /** Shown in errors and the UI (URL or folder). */
  readonly name: string;
  read(path: string, onProgress?: (loadedBytes: number, totalBytes: number) => void): Promise<Uint8Array>;
}

export class BundleFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleFileError';
  }
}

function joinUrl(base: string, path: string): string {
  if (/^[a-z]+:\/\//i.test(path)) return path; // absolute URL in the manifest
  return base.endsWith('/') ? base + path : `${base}/${path}`;
}

/** A bundle served as a static folder (the demo model under /models/tiny/, a CDN, a hub repo). */
export function urlBundleFiles(baseUrl: string, fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis)): BundleFiles {
  return {
    name: baseUrl,
    async read(path, onProgress) {
      const url = joinUrl(baseUrl, path);
      let response: Response;
      try {
        response = await fetchImpl(url);
      } catch (error) {
        throw new BundleFileError(`could not fetch ${url}: ${messageOf(error)}`);
      }
      if (!response.ok) throw new BundleFileError(`could not fetch ${url}: HTTP ${response.status} ${response.statusText}`);
      const total = Number(response.headers.get('content-length') ?? 0);
      if (!response.body || !onProgress) return new Uint8Array(await response.arrayBuffer());
      // Stream so that large graphs report progress.
      const reader = response.body.getReader();
      const chunks: Uint8Array[] = [];
      let loaded = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.byteLength;
        onProgress(loaded, total);
      }
      return concatBytes(chunks);
    },
  };
}

/** Files already in memory (tests, in-browser conversion results). */
export function memoryBundleFiles(name: string, files: ReadonlyMap<string, Uint8Array>): BundleFiles {
  return {
    name,
    async read(path) {
      const bytes = files.get(path);
      if (!bytes) throw new BundleFileError(`${name}: no file "${path}" in this bundle`);
      return bytes;
    },
  };
}
