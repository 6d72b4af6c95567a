import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFolderLocation } from '../../src/checkpoint/nodeFolderLocation';
import { CheckpointError } from '../../src/checkpoint/safetensors';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'node-folder-location-'));
  await writeFile(join(dir, 'config.json'), '{"x": 1}');
  await mkdir(join(dir, 'sub'));
  await writeFile(join(dir, 'sub', 'part.bin'), new Uint8Array([1, 2, 3]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nodeFolderLocation', () => {
  it('opens files of the folder, including in subfolders', async () => {
    const location = nodeFolderLocation(dir);
    expect(location.name).toBe(dir);
    const part = await location.open('sub/part.bin');
    expect(Array.from(await part.read(1, 3))).toEqual([2, 3]);
    await part.close();
    expect(await location.exists('config.json')).toBe(true);
    expect(await location.exists('sub')).toBe(false); // a folder is not a checkpoint file
    expect(await location.exists('model.safetensors')).toBe(false);
  });

  it('names the folder and the missing file', async () => {
    const error = await nodeFolderLocation(dir)
      .open('model.safetensors')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).code).toBe('not-found');
    expect((error as Error).message).toBe(`${dir} has no file "model.safetensors"`);
  });

  it('refuses paths that leave the folder', async () => {
    await expect(nodeFolderLocation(join(dir, 'sub')).open('../config.json')).rejects.toThrow(/not a plain relative file path/);
  });

  it('refuses a FIFO in place of a checkpoint file at once', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe.safetensors')]);
    await expect(nodeFolderLocation(dir).open('pipe.safetensors')).rejects.toThrow(`${join(dir, 'pipe.safetensors')} is not a regular file`);
  });
});
