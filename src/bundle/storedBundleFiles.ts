/**
 * A bundle kept in browser storage (the Origin Private File System), for the engine worker:
 * the counterpart of urlBundleFiles for models converted or copied into the page.
 */
import type { StorageDir } from '../storage/storageDir';
import { BundleFileError, type BundleFiles } from './bundleFiles';

/** The bundle URL the engine worker reads as "stored bundle `id`". */
export const STORED_BUNDLE_SCHEME = 'stored:';

export function storedBundleUrl(id: string): string {
  return `${STORED_BUNDLE_SCHEME}${id}`;
}

/** The stored bundle id of a `stored:<id>` URL, or undefined for any other URL. */
export function storedBundleId(bundleUrl: string): string | undefined {
  return bundleUrl.startsWith(STORED_BUNDLE_SCHEME) ? bundleUrl.slice(STORED_BUNDLE_SCHEME.length) : undefined;
}

/** `openDir` resolves the bundle's folder (undefined when it is not stored, or not complete). */
export function storedBundleFiles(name: string, openDir: () => Promise<StorageDir | undefined>): BundleFiles {
  let dir: Promise<StorageDir | undefined> | undefined;
  return {
    name,
    async read(path, onProgress) {
      const folder = await (dir ??= openDir());
      if (folder === undefined) throw new BundleFileError(`${name} is not in this browser's storage (deleted, or never completed)`);
      const blob = await folder.file(path);
      if (blob === undefined) throw new BundleFileError(`${name}: no file "${path}" in the stored bundle`);
      const bytes = new Uint8Array(await blob.arrayBuffer());
      onProgress?.(bytes.byteLength, bytes.byteLength);
      return bytes;
    },
  };
}
