import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRegularFile, readRegularFile } from '../../src/io/regularFile';

const dir = mkdtempSync(join(tmpdir(), 'regular-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('regular files', () => {
  it('reads a regular file whole and refuses one over the limit', async () => {
    writeFileSync(join(dir, 'f'), 'hello');
    expect(new TextDecoder().decode(await readRegularFile(join(dir, 'f')))).toBe('hello');
    await expect(readRegularFile(join(dir, 'f'), 4)).rejects.toThrow(`${join(dir, 'f')} is 5 bytes; the limit for this file is 4`);
  });

  it('refuses folders and missing files with one clear line', async () => {
    await expect(openRegularFile(dir)).rejects.toThrow(`${dir} is a folder, not a regular file`);
    await expect(openRegularFile(join(dir, 'nope'))).rejects.toThrow(`${join(dir, 'nope')}: no such file`);
  });
});
