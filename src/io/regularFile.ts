/**
 * Input files are read only when they are regular files. A FIFO would block `open` forever and a
 * device (/dev/zero) never ends, so files are opened non-blocking and checked with fstat before
 * any read; the check and the read use the same handle, so nothing can be swapped in between.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

export class InputFileError extends Error {
  readonly code: string;

  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputFileError';
    this.code = code;
  }
}

function kindOf(stats: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

function openFailure(path: string, cause: unknown): InputFileError {
  const code = (cause as NodeJS.ErrnoException).code ?? 'EIO';
  if (code === 'ENOENT') return new InputFileError(`${path}: no such file`, code, { cause });
  if (code === 'EACCES' || code === 'EPERM') return new InputFileError(`${path}: permission denied`, code, { cause });
  if (code === 'ENOTDIR') return new InputFileError(`${path}: a part of the path is a file, not a folder`, code, { cause });
  return new InputFileError(`${path}: cannot open (${code})`, code, { cause });
}

/** An open regular file and its size. The caller closes `handle`. */
export interface RegularFile {
  handle: FileHandle;
  size: number;
}

export async function openRegularFile(path: string): Promise<RegularFile> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting forever.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (cause) {
    throw openFailure(path, cause);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new InputFileError(`${path} is ${kindOf(stats)}, not a regular file`, 'ENOTFILE');
    return { handle, size: stats.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads a whole regular file (refusing ones larger than `maxBytes`); the handle is always closed. */
export async function readRegularFile(path: string, maxBytes = Number.MAX_SAFE_INTEGER): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(path);
  try {
    if (size > maxBytes) throw new InputFileError(`${path} is ${size} bytes; the limit for this file is ${maxBytes}`, 'EFBIG');
    const bytes = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
      if (bytesRead === 0) throw new InputFileError(`${path} ended at byte ${filled} of ${size}; did it shrink while being read?`, 'EIO');
      filled += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}
