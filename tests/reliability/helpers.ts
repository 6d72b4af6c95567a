/** Shared tools of the reliability suite: broken checkpoints, folder snapshots, failing disks. */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arrayBufferSource } from '../../src/checkpoint/byteSources';
import { openSafetensors } from '../../src/checkpoint/safetensors';
import { nodeFileWriter, type FileWriter } from '../../src/io/fileWriter';

export const GOLDEN = fileURLToPath(new URL('../../../shared/fixtures/golden-tiny', import.meta.url));
export const TINY_BUNDLE = fileURLToPath(new URL('../../models/tiny', import.meta.url));

/** Every file under `dir` (recursively) with its sha256: equal snapshots mean byte-identical folders. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, entry);
    if ((await stat(path)).isFile()) out[entry] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return out;
}

/** A copy of golden-tiny's checkpoint with one float32 element replaced and/or the config edited. */
export async function brokenCheckpoint(
  dir: string,
  edit: { tensor?: string; index?: number; value?: number; config?: (config: Record<string, any>) => void },
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const config = JSON.parse(await readFile(join(GOLDEN, 'config.json'), 'utf8'));
  edit.config?.(config);
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  if (edit.tensor === undefined) {
    await copyFile(join(GOLDEN, 'model.safetensors'), join(dir, 'model.safetensors'));
    return dir;
  }
  const bytes = new Uint8Array(await readFile(join(GOLDEN, 'model.safetensors')));
  const info = (await openSafetensors(arrayBufferSource(bytes, 'golden'))).info(edit.tensor);
  if (info.dtype !== 'F32') throw new Error(`test helper: ${edit.tensor} is ${info.dtype}, expected F32`);
  new DataView(bytes.buffer, bytes.byteOffset).setFloat32(info.byteOffset + 4 * (edit.index ?? 0), edit.value ?? Number.NaN, true);
  await writeFile(join(dir, 'model.safetensors'), bytes);
  return dir;
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** A disk that fills up after `capacity` bytes: the write that crosses it stores what fits, then fails with ENOSPC. */
export function fullDiskWriter(capacity: number): FileWriter & { written: number } {
  const writer = {
    written: 0,
    async writeNew(path: string, bytes: Uint8Array) {
      const room = Math.max(0, capacity - writer.written);
      if (bytes.byteLength <= room) {
        writer.written += bytes.byteLength;
        return nodeFileWriter.writeNew(path, bytes);
      }
      await nodeFileWriter.writeNew(path, bytes.subarray(0, room));
      writer.written = capacity;
      throw errno('ENOSPC');
    },
  };
  return writer;
}

/** A read-only mount: every create fails with EROFS. */
export const readOnlyWriter: FileWriter = {
  async writeNew() {
    throw errno('EROFS');
  },
};

/** A real writer that runs `before` ahead of the n-th write (1-based), e.g. to deliver Ctrl-C mid-way. */
export function writerWithHook(n: number, before: () => void): FileWriter {
  let count = 0;
  return {
    async writeNew(path, bytes) {
      if (++count === n) before();
      return nodeFileWriter.writeNew(path, bytes);
    },
  };
}
