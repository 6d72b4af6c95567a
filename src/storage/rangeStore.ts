/**
 * Downloaded byte ranges kept in storage until the conversion that needs them has committed, so a
 * dropped connection, a cancel or a reload resumes from the last complete range. Each range is one
 * file, written atomically: a range is either complete or absent.
 */
import type { RangeCache } from '../checkpoint/httpRangeSource';
import { sha256Stream } from './sha256Stream';
import { treeBytes, writeWholeFile, type StorageDir } from './storageDir';

export interface RangeStore extends RangeCache {
  /** Bytes of all complete ranges stored so far. */
  storedBytes(): Promise<number>;
}

/** File name of a range key (URL + byte range): a hash, since URLs can be long or hold any character. */
function fileName(key: string): string {
  const stream = sha256Stream();
  stream.update(new TextEncoder().encode(key));
  return `${stream.hex()}.bin`;
}

export function rangeStore(dir: StorageDir): RangeStore {
  return {
    async get(key) {
      const blob = await dir.file(fileName(key));
      return blob === undefined ? undefined : new Uint8Array(await blob.arrayBuffer());
    },
    put: (key, bytes) => writeWholeFile(dir, fileName(key), bytes),
    storedBytes: () => treeBytes(dir),
  };
}
