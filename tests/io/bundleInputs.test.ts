import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBundleManifest } from '../../src/io/bundleInputs';

const dir = mkdtempSync(join(tmpdir(), 'bundle-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TINY = join(__dirname, '../../models/tiny');

describe('readBundleManifest', () => {
  it('reads a bundle whose files are all regular files', async () => {
    expect((await readBundleManifest(TINY)).name).toBe('tiny');
  });

  it('refuses a bundle with a FIFO for a graph, a missing folder, or a broken manifest, without blocking', async () => {
    const copy = join(dir, 'copy');
    cpSync(TINY, copy, { recursive: true });
    rmSync(join(copy, 'head.onnx'));
    execFileSync('mkfifo', [join(copy, 'head.onnx')]);
    await expect(readBundleManifest(copy)).rejects.toThrow(`${join(copy, 'head.onnx')} is not a regular file (listed in ${join(copy, 'manifest.json')})`);
    await expect(readBundleManifest(join(dir, 'nowhere'))).rejects.toThrow('file not found (is');
    writeFileSync(join(copy, 'manifest.json'), '{');
    await expect(readBundleManifest(copy)).rejects.toThrow(/manifest\.json: not valid JSON/);
  });
});
