import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest, type BundleManifest, type FileEntry } from '../../src/bundle/manifest';
import { diskWriter, makeTinyModel, TINY_NOTES } from '../../scripts/make-tiny';

const COMMITTED = 'models/tiny';
const REGENERATE_HINT = 'models/tiny drifted from scripts/make-tiny.ts: run `npm run make-tiny` and commit the result';

async function listFiles(root: string, dir = root): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? listFiles(root, join(dir, e.name)) : [relative(root, join(dir, e.name))])));
  return nested.flat().sort();
}

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

function manifestFiles(manifest: BundleManifest): FileEntry[] {
  const { graphs, text, audio } = manifest;
  return [graphs.embed, ...graphs.blocks, ...graphs.crossKv.map((g) => g.file), graphs.head, ...(text ? [text.tokenizer, text.encoder] : []), ...(audio ? [audio.decoder] : [])];
}

describe('make-tiny', () => {
  let fresh: string;
  let returned: BundleManifest;

  beforeAll(async () => {
    fresh = await mkdtemp(join(tmpdir(), 'make-tiny-'));
    returned = await makeTinyModel(diskWriter(fresh));
  });
  afterAll(async () => {
    await rm(fresh, { recursive: true, force: true });
  });

  it('regenerates exactly the committed models/tiny, byte for byte', async () => {
    const freshFiles = await listFiles(fresh);
    expect(await listFiles(COMMITTED), REGENERATE_HINT).toEqual(freshFiles);
    for (const file of freshFiles) {
      expect(await sha256(join(COMMITTED, file)), `${file}: ${REGENERATE_HINT}`).toBe(await sha256(join(fresh, file)));
    }
  });

  it('writes a manifest whose sha256 and sizes match the committed files', async () => {
    const manifest = parseManifest(JSON.parse(await readFile(join(COMMITTED, 'manifest.json'), 'utf8')), `${COMMITTED}/manifest.json`);
    expect(manifest).toEqual(returned);
    for (const entry of manifestFiles(manifest)) {
      const bytes = await readFile(join(COMMITTED, entry.path));
      expect(bytes.byteLength, entry.path).toBe(entry.bytes);
      expect(createHash('sha256').update(bytes).digest('hex'), `${entry.path}: ${REGENERATE_HINT}`).toBe(entry.sha256);
    }
  });

  it('is a full bundle (text and audio sides) with the tiny config and its notes, well under 5 MB', async () => {
    expect(returned.text).toBeDefined();
    expect(returned.audio).toBeDefined();
    expect(returned.config).toMatchObject({ numLayers: 4, hiddenSize: 64, codebookSize: 64, numCodebooks: 4, samplesPerFrame: 640 });
    expect(returned.notes).toBe(TINY_NOTES);
    expect(returned.notes).toMatch(/noise/);
    const sizes = await Promise.all((await listFiles(fresh)).map(async (f) => (await readFile(join(fresh, f))).byteLength));
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(4_000_000);
  });
});
