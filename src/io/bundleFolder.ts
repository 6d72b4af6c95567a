/**
 * Atomic bundle folders. A conversion writes into a hidden sibling folder; only when every file is
 * written and re-read with the size and sha256 the manifest records is the old folder swapped out
 * and the new one renamed into place. Any failure or interrupt before that removes the sibling and
 * leaves the previous bundle byte-identical. The swap itself is two synchronous renames in one
 * event-loop turn, so a Ctrl-C cannot land between them.
 */
import { createHash } from 'node:crypto';
import { createReadStream, renameSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { temporarySibling } from './atomicFile';
import { nodeFileWriter, type FileWriter } from './fileWriter';
import { describeErrno, OutputError } from './outputError';
import { checkWritableFolder } from './outputPath';

/** Names a lab bundle folder may hold; anything else in an output folder is the user's and is never replaced. */
const BUNDLE_FILE = /^(manifest\.json|tokenizer\.json|embed\.onnx|head\.onnx|text_encoder\.onnx|encodec_decode\.onnx|block_\d+\.onnx|cross_kv_\d+\.onnx)$/;

export interface ExpectedFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface StagedBundle {
  /** The hidden sibling folder being written. */
  readonly stagingDir: string;
  /** "the previous bundle in X was kept unchanged" or "nothing was written at X", for messages. */
  readonly keptNote: string;
  writeFile(relativePath: string, bytes: Uint8Array): Promise<void>;
  /** Re-reads every expected file, then (unless `signal` was aborted meanwhile) swaps the staging folder into place. */
  commit(expected: readonly ExpectedFile[], signal?: AbortSignal): Promise<void>;
  /** Removes the staging folder; the target stays as it was. */
  discard(): Promise<void>;
}

export interface StageOptions {
  writer?: FileWriter;
  /** Bytes about to be written; refused up front when the device has less free space. */
  expectedBytes?: number;
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Whether `outDir` holds a bundle (or nothing); refuses a folder with files that are not a bundle's. */
async function inspectTarget(outDir: string): Promise<'absent' | 'empty' | 'bundle'> {
  const existing = await stat(outDir).catch(() => undefined);
  if (!existing) return 'absent';
  if (!existing.isDirectory()) throw new OutputError(`${outDir} exists and is not a folder; nothing was written`);
  const entries = await readdir(outDir);
  if (entries.length === 0) return 'empty';
  const foreign = entries.filter((name) => !BUNDLE_FILE.test(name));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : '');
    throw new OutputError(`${outDir} holds files that are not part of a lab bundle (${shown}); convert into a new or empty folder, or one that holds only a bundle; nothing was written`);
  }
  return 'bundle';
}

/** Whether process `pid` still runs (a signal 0 probe). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes staging folders beside `target` left by conversions that were killed outright (their process is gone). */
async function removeStaleStaging(target: string): Promise<void> {
  const prefix = `.${basename(target)}.converting-`;
  for (const name of await readdir(dirname(target)).catch(() => [] as string[])) {
    const pid = name.startsWith(prefix) ? Number(name.slice(prefix.length).split('-')[0]) : Number.NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !isRunning(pid)) await rm(join(dirname(target), name), { recursive: true, force: true });
  }
}

export async function stageBundle(outDir: string, options: StageOptions = {}): Promise<StagedBundle> {
  const target = resolve(outDir);
  const writer = options.writer ?? nodeFileWriter;
  const state = await inspectTarget(target);
  await removeStaleStaging(target);
  await checkWritableFolder(dirname(target), { writer, expectedBytes: options.expectedBytes, label: 'the output folder\'s parent' });
  const keptNote = state === 'bundle' ? `the previous bundle in ${outDir} was kept unchanged` : state === 'empty' ? `${outDir} was left empty` : `nothing was written at ${outDir}`;
  const stagingDir = temporarySibling(target, 'converting');
  try {
    await mkdir(stagingDir);
  } catch (error) {
    throw new OutputError(`cannot create ${stagingDir}: ${describeErrno(error)}; ${keptNote}`, { cause: error });
  }
  const discard = () => rm(stagingDir, { recursive: true, force: true });

  return {
    stagingDir,
    keptNote,
    discard,
    async writeFile(relativePath, bytes) {
      try {
        await writer.writeNew(join(stagingDir, relativePath), bytes);
      } catch (error) {
        throw new OutputError(`cannot write ${relativePath} for ${outDir}: ${describeErrno(error)}; ${keptNote}`, { cause: error });
      }
    },
    async commit(expected, signal) {
      for (const file of expected) {
        const path = join(stagingDir, file.path);
        const size = (await stat(path).catch(() => undefined))?.size;
        if (size !== file.bytes || (await sha256OfFile(path)) !== file.sha256) {
          throw new OutputError(`${file.path} did not read back as written (${size ?? 'missing'} of ${file.bytes} bytes or a different sha256); ${keptNote}`);
        }
      }
      // A Ctrl-C during the read-back still leaves the old bundle: the last moment to stop.
      if (signal?.aborted) throw new DOMException('interrupted before the bundle was moved into place', 'AbortError');
      const previous = temporarySibling(target, 'previous');
      try {
        if (state !== 'absent') renameSync(target, previous);
        try {
          renameSync(stagingDir, target);
        } catch (error) {
          if (state !== 'absent') renameSync(previous, target);
          throw error;
        }
      } catch (error) {
        throw new OutputError(`cannot move the new bundle into ${outDir}: ${describeErrno(error)}; ${keptNote}`, { cause: error });
      }
      if (state !== 'absent') await rm(previous, { recursive: true, force: true });
    },
  };
}

