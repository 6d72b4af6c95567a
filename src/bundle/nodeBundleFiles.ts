/** A bundle in a folder on disk (Node only: CLI, tests, benchmarks). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleFileError, type BundleFiles } from './bundleFiles';

export function nodeBundleFiles(dir: string): BundleFiles {
  return {
    name: dir,
    async read(path) {
      const full = join(dir, path);
      try {
        const buffer = await readFile(full);
        return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new BundleFileError(code === 'ENOENT' ? `${full}: file not found (is ${dir} a converted lab bundle?)` : `${full}: ${String(error)}`);
      }
    },
  };
}
