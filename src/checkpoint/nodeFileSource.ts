/** A local file read with positional reads (Node only: browsers cannot import node:fs). */
import { open, type FileHandle } from 'node:fs/promises';
import { checkReadRange } from './byteSources';
import { CheckpointError } from './safetensors';
import type { ByteSource } from './types';

export interface NodeFileSource extends ByteSource {
  /** Closes the file handle; later reads reopen it. */
  close(): Promise<void>;
}

function openError(path: string, cause: unknown): CheckpointError {
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new CheckpointError(`${path}: no such file`, { source: path, code: 'not-found', cause });
  if (code === 'EISDIR') return new CheckpointError(`${path} is a folder, not a file`, { source: path, code: 'io', cause });
  return new CheckpointError(`${path}: cannot open (${(cause as Error).message})`, { source: path, code: 'io', cause });
}

/** Opens `path` once on first use; every read is one positional read of just the requested bytes. */
export function nodeFileSource(path: string): NodeFileSource {
  let handle: Promise<{ file: FileHandle; size: number }> | undefined;
  const opened = () => {
    handle ??= (async () => {
      let file: FileHandle;
      try {
        file = await open(path, 'r');
      } catch (cause) {
        throw openError(path, cause);
      }
      try {
        const stats = await file.stat();
        if (!stats.isFile()) throw openError(path, Object.assign(new Error('not a file'), { code: 'EISDIR' }));
        return { file, size: stats.size };
      } catch (cause) {
        await file.close();
        throw cause;
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
