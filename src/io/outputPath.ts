/**
 * Output paths checked before any work starts, so that a long generation or conversion never ends
 * in an unwritable path: the folder exists (or is created), is writable (a probe file is created
 * and removed through the same writer the real write uses), the target is not a folder or a
 * special file, and the device has room for what is about to be written.
 */
import { mkdir, stat, statfs, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { temporarySibling } from './atomicFile';
import { nodeFileWriter, type FileWriter } from './fileWriter';
import { describeErrno, OutputError } from './outputError';

export interface OutputCheckOptions {
  writer?: FileWriter;
  /** Bytes about to be written; refused when the device has less free space. */
  expectedBytes?: number;
  /** What the path is for, in messages (e.g. "--out"). */
  label?: string;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

/** Creates `folder` if needed and proves a file can be created in it; checks free space. */
export async function checkWritableFolder(folder: string, options: OutputCheckOptions = {}): Promise<void> {
  const label = options.label ? `${options.label} ` : '';
  const existing = await stat(folder).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new OutputError(`${label}${folder} is not a folder`);
  try {
    if (!existing) await mkdir(folder, { recursive: true });
    const probe = temporarySibling(resolve(folder, 'write-check'), 'probe');
    await (options.writer ?? nodeFileWriter).writeNew(probe, new Uint8Array(0));
    await unlink(probe);
  } catch (error) {
    throw new OutputError(`${label}${folder} is not writable: ${describeErrno(error)}; nothing was written`, { cause: error });
  }
  if (options.expectedBytes !== undefined) {
    const space = await statfs(folder).catch(() => undefined);
    const free = space ? space.bavail * space.bsize : Infinity;
    if (free < options.expectedBytes) {
      throw new OutputError(`${label}${folder}: ${formatBytes(free)} free, ${formatBytes(options.expectedBytes)} needed; nothing was written`);
    }
  }
}

/** Checks an output file's path before the work that produces it. */
export async function checkOutputFile(path: string, options: OutputCheckOptions = {}): Promise<void> {
  const label = options.label ? `${options.label} ` : '';
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new OutputError(`${label}${path} is a folder; give a file name`);
  if (existing && !existing.isFile()) throw new OutputError(`${label}${path} exists and is not a regular file (a device, pipe or socket); give another name`);
  await checkWritableFolder(dirname(resolve(path)), options);
}
