import { describe, expect, it } from 'vitest';
import { formatBytes, isQuotaError, openPath, quotaMessage, treeBytes, writeWholeFile } from '../../src/storage/storageDir';
import { memoryStorage } from './memoryDir';

describe('storageDir helpers', () => {
  it('opens nested paths, writes whole files and sums a tree', async () => {
    const storage = memoryStorage();
    expect(await openPath(storage.root, 'a/b', false)).toBeUndefined();
    const dir = (await openPath(storage.root, 'a/b', true))!;
    await writeWholeFile(dir, 'x.bin', new Uint8Array(7));
    await writeWholeFile(storage.root, 'y.bin', new Uint8Array(5));
    expect(dir.path).toBe('memory:/a/b');
    expect(await treeBytes(storage.root)).toBe(12);
  });

  it('recognises a quota error and words it', () => {
    expect(isQuotaError(Object.assign(new Error('x'), { name: 'QuotaExceededError' }))).toBe(true);
    expect(isQuotaError(new Error('network'))).toBe(false);
    expect(quotaMessage(2.5e9)).toMatch(/^Not enough browser storage for this model \(about 2.50 GB are needed\): .*Nothing was kept\.$/);
  });

  it('formats sizes in decimal units', () => {
    expect([formatBytes(512), formatBytes(1500), formatBytes(2.36e9), formatBytes(123.4e6)]).toEqual(['512 B', '1.50 KB', '2.36 GB', '123 MB']);
  });
});
