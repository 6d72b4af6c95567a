/** A local file read with positional reads (Node only: browsers cannot import node:fs). */
import type { FileHandle } from 'node:fs/promises';
import { InputFileError, openRegularFile } from '../io/regularFile';
import { checkReadRange } from './byteSources';
import { CheckpointError } from './safetensors';
import type { ByteSource } from './types';

export interface NodeFileSource extends ByteSource {
  /** Closes the file handle; later reads reopen it. */
  close(): Promise<void>;
}

function openError(path: string, cause: unknown): CheckpointError {
  const message = cause instanceof InputFileError ? cause.message : `${path}: cannot open (${(cause as Error).message})`;
  const code = cause instanceof InputFileError && cause.code === 'ENOENT' ? 'not-found' : 'io';
  return new CheckpointError(message, { source: path, code, cause });
}

/**
 * Opens `path` once on first use; every read is one positional read of just the requested bytes.
 * Only regular files open: a FIFO or a device is refused at once instead of blocking or never ending.
 */
export function nodeFileSource(path: string): NodeFileSource {
  let handle: Promise<{ file: FileHandle; size: number }> | undefined;
  const opened = () => {
    handle ??= (async () => {
      try {
        const { handle: file, size } = await openRegularFile(path);
        return { file, size };
      } catch (cause) {
        throw openError(path, cause);
      }
    })();
    // A failed open is not cached, so a later call can retry (e.g. after the file was copied in).
    handle.catch(() => {
      handle = undefined;
    });
    return handle;
  };

  return {
    name: path,
    size: async () => (await opened()).size,
    async read(start, end) {
      const { file, size } = await opened();
      checkReadRange(path, start, end, size);
      const out = new Uint8Array(end - start);
      let filled = 0;
      while (filled < out.length) {
        const { bytesRead } = await file.read(out, filled, out.length - filled, start + filled);
        if (bytesRead === 0) {
          throw new CheckpointError(`${path}: file ended at byte ${start + filled} while reading [${start}, ${end}); did it shrink?`, {
            source: path,
            code: 'truncated',
          });
        }
        filled += bytesRead;
      }
      return out;
    },
    async close() {
      const current = handle;
      handle = undefined;
      if (current !== undefined) {
        const state = await current.catch(() => undefined);
        await state?.file.close();
      }
    },
  };
}
