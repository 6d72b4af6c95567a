import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keptNote, temporarySibling, writeFileAtomic } from '../../src/io/atomicFile';
import type { FileWriter } from '../../src/io/fileWriter';
import { nodeFileWriter } from '../../src/io/fileWriter';

const dir = mkdtempSync(join(tmpdir(), 'atomic-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('creates a file, then replaces it whole', async () => {
    const path = join(dir, 'a.bin');
    await writeFileAtomic(path, Uint8Array.of(1, 2, 3));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    await writeFileAtomic(path, Uint8Array.of(9));
    expect([...readFileSync(path)]).toEqual([9]);
    expect(readdirSync(dir)).toEqual(['a.bin']);
  });

  it('refuses a write that came out short and keeps the previous file', async () => {
    const path = join(dir, 'b.bin');
    writeFileSync(path, 'old');
    const short: FileWriter = { writeNew: (p, bytes) => nodeFileWriter.writeNew(p, bytes.subarray(0, 1)) };
    await expect(writeFileAtomic(path, Uint8Array.of(1, 2, 3), { writer: short })).rejects.toThrow(
      `cannot write ${path}: an input/output error (EIO); the previous ${path} was kept unchanged`,
    );
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('says nothing was written when there was no previous file', async () => {
    const path = join(dir, 'missing-folder', 'c.bin');
    await expect(writeFileAtomic(path, Uint8Array.of(1))).rejects.toThrow(`cannot write ${path}: a folder on the way does not exist (ENOENT); nothing was written at ${path}`);
  });

  it('names temporary files as hidden siblings', () => {
    expect(temporarySibling('/x/y/out.wav')).toMatch(/^\/x\/y\/\.out\.wav\.tmp-\d+-[0-9a-f]{8}$/);
    expect(keptNote('f', true)).toBe('the previous f was kept unchanged');
  });
});
