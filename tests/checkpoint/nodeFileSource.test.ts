import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFileSource } from '../../src/checkpoint/nodeFileSource';
import { CheckpointError, openSafetensors } from '../../src/checkpoint/safetensors';
import { makeSafetensors, ramp } from './makeSafetensors';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'node-file-source-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nodeFileSource', () => {
  it('reads ranges of a file with positional reads', async () => {
    const path = join(dir, 'bytes.bin');
    await writeFile(path, Uint8Array.from({ length: 300 }, (_, i) => i % 256));
    const source = nodeFileSource(path);
    try {
      expect(source.name).toBe(path);
      expect(await source.size()).toBe(300);
      expect(Array.from(await source.read(254, 258))).toEqual([254, 255, 0, 1]);
      expect((await source.read(10, 10)).length).toBe(0);
      await expect(source.read(299, 301)).rejects.toThrow(`read [299, 301) passes the end of ${path} (size 300)`);
    } finally {
      await source.close();
    }
    // A closed source reopens on the next read.
    expect(Array.from(await source.read(0, 2))).toEqual([0, 1]);
    await source.close();
  });

  it('opens a safetensors file and reads one tensor', async () => {
    const path = join(dir, 'model.safetensors');
    await writeFile(path, makeSafetensors([{ name: 'x', dtype: 'F32', shape: [3], data: ramp(3, 2) }, { name: 'y', dtype: 'F32', shape: [1], data: ramp(1) }]));
    const source = nodeFileSource(path);
    try {
      const reader = await openSafetensors(source);
      expect(Array.from(await reader.readFloat32('x', [3]))).toEqual([2, 2.5, 3]);
    } finally {
      await source.close();
    }
  });

  it('names a missing file', async () => {
    const path = join(dir, 'nope.safetensors');
    const error = await nodeFileSource(path)
      .size()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).code).toBe('not-found');
    expect((error as Error).message).toBe(`${path}: no such file`);
  });

  it('refuses a folder', async () => {
    await expect(nodeFileSource(dir).size()).rejects.toThrow(`${dir} is a folder, not a regular file`);
  });

  it('refuses a FIFO and a device without blocking or reading forever', async () => {
    const { execFileSync } = await import('node:child_process');
    const fifo = `${dir}/pipe`;
    execFileSync('mkfifo', [fifo]);
    await expect(nodeFileSource(fifo).size()).rejects.toThrow(`${fifo} is a named pipe (FIFO), not a regular file`);
    await expect(nodeFileSource('/dev/zero').read(0, 8)).rejects.toThrow('/dev/zero is a character device, not a regular file');
  });
});
