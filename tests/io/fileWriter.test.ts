import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeFileWriter } from '../../src/io/fileWriter';

const dir = mkdtempSync(join(tmpdir(), 'file-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nodeFileWriter', () => {
  it('writes every byte of a new file and never overwrites an existing one', async () => {
    const path = join(dir, 'x');
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => i % 251);
    await nodeFileWriter.writeNew(path, bytes);
    expect(readFileSync(path).equals(Buffer.from(bytes))).toBe(true);
    await expect(nodeFileWriter.writeNew(path, bytes)).rejects.toMatchObject({ code: 'EEXIST' });
  });
});
