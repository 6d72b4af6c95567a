import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfined } from '../../src/io/confinedPath';

const dir = mkdtempSync(join(tmpdir(), 'confined-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveConfined', () => {
  it('resolves paths inside the folder, links inside included', async () => {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'a'), '');
    symlinkSync(join(dir, 'sub', 'a'), join(dir, 'link'));
    expect(await resolveConfined(dir, 'sub/a', 'x')).toBe(join(dir, 'sub', 'a'));
    expect(await resolveConfined(dir, 'sub/../link', 'x')).toBe(join(dir, 'link'));
  });

  it('refuses a way out unless allowed', async () => {
    await expect(resolveConfined(dir, '../x', 'patches[0]')).rejects.toThrow(/^patches\[0\]: "\.\.\/x" leaves the folder/);
    expect(await resolveConfined(dir, '../x', 'x', true)).toBe(join(dir, '..', 'x'));
  });
});
