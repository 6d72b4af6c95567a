import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutputFile, checkWritableFolder } from '../../src/io/outputPath';

const dir = mkdtempSync(join(tmpdir(), 'output-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('output checks', () => {
  it('creates a missing folder and leaves no probe file behind', async () => {
    await checkOutputFile(join(dir, 'a', 'b', 'out.wav'));
    expect(existsSync(join(dir, 'a', 'b'))).toBe(true);
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual([]);
  });

  it('refuses when the device has less free space than the output needs', async () => {
    await expect(checkWritableFolder(dir, { expectedBytes: 1e18, label: '--out' })).rejects.toThrow(/^--out .+: .+ free, 1000000000\.00 GB needed; nothing was written$/);
  });
});
