import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stageBundle } from '../../src/io/bundleFolder';

const dir = mkdtempSync(join(tmpdir(), 'bundle-folder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = (path: string, text: string) => ({ path, bytes: text.length, sha256: createHash('sha256').update(text).digest('hex') });

async function writeBundle(out: string, text: string): Promise<void> {
  const staged = await stageBundle(out);
  await staged.writeFile('embed.onnx', new TextEncoder().encode(text));
  await staged.writeFile('manifest.json', new TextEncoder().encode('{}'));
  await staged.commit([entry('embed.onnx', text)]);
}

describe('stageBundle', () => {
  it('creates a bundle folder, then replaces it whole, leaving nothing beside it', async () => {
    const out = join(dir, 'b1');
    await writeBundle(out, 'first');
    await writeBundle(out, 'second');
    expect(readFileSync(join(out, 'embed.onnx'), 'utf8')).toBe('second');
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('refuses to move a bundle whose files do not read back as the manifest says', async () => {
    const out = join(dir, 'b2');
    await writeBundle(out, 'good');
    const staged = await stageBundle(out);
    await staged.writeFile('embed.onnx', new TextEncoder().encode('tampered'));
    await expect(staged.commit([entry('embed.onnx', 'expected')])).rejects.toThrow(`embed.onnx did not read back as written (8 of 8 bytes or a different sha256); the previous bundle in ${out} was kept unchanged`);
    await staged.discard();
    expect(readFileSync(join(out, 'embed.onnx'), 'utf8')).toBe('good');
    expect(existsSync(staged.stagingDir)).toBe(false);
  });

  it('fills an empty folder, and refuses a file or a folder of other files', async () => {
    mkdirSync(join(dir, 'empty'));
    await writeBundle(join(dir, 'empty'), 'x');
    expect(readdirSync(join(dir, 'empty')).sort()).toEqual(['embed.onnx', 'manifest.json']);
    writeFileSync(join(dir, 'file'), '');
    await expect(stageBundle(join(dir, 'file'))).rejects.toThrow('exists and is not a folder; nothing was written');
  });

  it('stops before the swap when interrupted during the read-back', async () => {
    const out = join(dir, 'b3');
    await writeBundle(out, 'kept');
    const staged = await stageBundle(out);
    await staged.writeFile('embed.onnx', new TextEncoder().encode('new'));
    const controller = new AbortController();
    controller.abort();
    await expect(staged.commit([entry('embed.onnx', 'new')], controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    await staged.discard();
    expect(readFileSync(join(out, 'embed.onnx'), 'utf8')).toBe('kept');
  });

  it('removes staging folders of conversions whose process is gone, never a live one', async () => {
    const out = join(dir, 'b4');
    const dead = join(dir, '.b4.converting-99999999-0000');
    const live = join(dir, `.b4.converting-${process.ppid}-0000`);
    mkdirSync(dead);
    mkdirSync(live);
    await writeBundle(out, 'x');
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    rmSync(live, { recursive: true });
  });
});
