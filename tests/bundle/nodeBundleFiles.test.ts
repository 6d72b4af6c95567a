import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BundleFileError } from '../../src/bundle/bundleFiles';
import { nodeBundleFiles } from '../../src/bundle/nodeBundleFiles';

describe('nodeBundleFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file of the folder whole', async () => {
    writeFileSync(join(dir, 'head.onnx'), Uint8Array.of(1, 2, 3));
    expect(Array.from(await nodeBundleFiles(dir).read('head.onnx'))).toEqual([1, 2, 3]);
  });

  it('says a missing file may mean the folder is not a bundle', async () => {
    await expect(nodeBundleFiles(dir).read('manifest.json')).rejects.toThrow(BundleFileError);
    await expect(nodeBundleFiles(dir).read('manifest.json')).rejects.toThrow(/file not found \(is .* a converted lab bundle\?\)/);
  });

  it('refuses a FIFO instead of waiting on it forever', async () => {
    execFileSync('mkfifo', [join(dir, 'block_0.onnx')]);
    await expect(nodeBundleFiles(dir).read('block_0.onnx')).rejects.toThrow(BundleFileError);
  });
});
