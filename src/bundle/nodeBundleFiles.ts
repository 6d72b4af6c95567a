/** A bundle in a folder on disk (Node only: CLI, tests, benchmarks). */
import { join } from 'node:path';
import { InputFileError, readRegularFile } from '../io/regularFile';
import { BundleFileError, type BundleFiles } from './bundleFiles';

export function nodeBundleFiles(dir: string): BundleFiles {
  return {
    name: dir,
    async read(path) {
      const full = join(dir, path);
      try {
        // Regular files only: a FIFO or device in a bundle folder must fail, not hang or stream forever.
        return await readRegularFile(full);
      } catch (error) {
        if (error instanceof InputFileError && error.code === 'ENOENT') throw new BundleFileError(`${full}: file not found (is ${dir} a converted lab bundle?)`);
        throw new BundleFileError(error instanceof Error ? error.message : `${full}: ${String(error)}`);
      }
    },
  };
}
