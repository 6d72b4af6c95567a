/**
 * Atomic single-file writes (means and capture files, WAVs): write a temporary sibling, check its
 * size, then rename it over the target. A failure or interrupt leaves the target as it was.
 */
import { randomBytes } from 'node:crypto';
import { rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { nodeFileWriter, type FileWriter } from './fileWriter';
import { describeErrno, OutputError } from './outputError';

/** A hidden name next to `path` that no other writer picks. */
export function temporarySibling(path: string, tag = 'tmp'): string {
  return join(dirname(path), `.${basename(path)}.${tag}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** What is at `path` now, for messages: "the previous X was kept" or "nothing was written". */
export function keptNote(path: string, existedBefore: boolean): string {
  return existedBefore ? `the previous ${path} was kept unchanged` : `nothing was written at ${path}`;
}

export interface AtomicWriteOptions {
  writer?: FileWriter;
}

export async function writeFileAtomic(path: string, bytes: Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const writer = options.writer ?? nodeFileWriter;
  const existed = (await stat(path).catch(() => undefined)) !== undefined;
  const temporary = temporarySibling(path);
  try {
    await writer.writeNew(temporary, bytes);
    const written = await stat(temporary);
    if (written.size !== bytes.byteLength) {
      throw Object.assign(new Error(`wrote ${written.size} of ${bytes.byteLength} bytes`), { code: 'EIO' });
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new OutputError(`cannot write ${path}: ${describeErrno(error)}; ${keptNote(path, existed)}`, { cause: error });
  }
}
