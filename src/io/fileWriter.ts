/**
 * How bytes reach the disk. Every writer of src/io goes through this interface, so tests can inject
 * one that fails like a full disk or a read-only mount without needing root or a tmpfs.
 */
import { open } from 'node:fs/promises';

export interface FileWriter {
  /** Creates `path` (which must not exist yet) with `bytes`, flushed to the device. */
  writeNew(path: string, bytes: Uint8Array): Promise<void>;
}

/** The real disk: exclusive create, full write, fsync, close (the handle is closed on every path). */
export const nodeFileWriter: FileWriter = {
  async writeNew(path, bytes) {
    const handle = await open(path, 'wx');
    try {
      let written = 0;
      while (written < bytes.byteLength) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.byteLength - written, written);
        written += bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
