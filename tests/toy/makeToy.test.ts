import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest, type BundleManifest } from '../../src/bundle/manifest';
import { diskWriter } from '../../scripts/make-tiny';
import { makeToyModel, TOY_CLASSIFIER_DIR } from '../../scripts/make-toy';

const COMMITTED = 'models/toy';
const REGENERATE_HINT = 'models/toy drifted from scripts/make-toy.ts: run `npm run make-toy` and commit the result';

async function listFiles(root: string, dir = root): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? listFiles(root, join(dir, e.name)) : [relative(root, join(dir, e.name))])));
  return nested.flat().sort();
}

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

describe('make-toy', () => {
  let fresh: string;
  let returned: BundleManifest;

  beforeAll(async () => {
    fresh = await mkdtemp(join(tmpdir(), 'make-toy-'));
    returned = await makeToyModel(diskWriter(fresh));
  }, 180_000);
  afterAll(async () => {
    await rm(fresh, { recursive: true, force: true });
  });

  it('regenerates exactly the committed models/toy (bundle and classifier), byte for byte', async () => {
    const freshFiles = await listFiles(fresh);
    expect(await listFiles(COMMITTED), REGENERATE_HINT).toEqual(freshFiles);
    for (const file of freshFiles) expect(await sha256(join(COMMITTED, file)), `${file}: ${REGENERATE_HINT}`).toBe(await sha256(join(fresh, file)));
  });

  it('records the mechanism and the classifier folder in a manifest that parses', async () => {
    const manifest = parseManifest(JSON.parse(await readFile(join(COMMITTED, 'manifest.json'), 'utf8')), `${COMMITTED}/manifest.json`);
    expect(manifest).toEqual(returned);
    expect(manifest.classifier).toBe(TOY_CLASSIFIER_DIR);
    expect(Object.keys(manifest.mechanism ?? {}).sort()).toEqual(['GENRE', 'INSTRUMENTS', 'MOOD', 'TEMPO']);
    const sites = Object.values(manifest.mechanism ?? {}).flatMap((slot) => slot.sites);
    for (const module of ['attn', 'cross_attn', 'mlp']) expect(sites.some((site) => site.endsWith(`.hook_${module}_out`)), `a mechanism runs through ${module}`).toBe(true);
    const files = await listFiles(join(COMMITTED, TOY_CLASSIFIER_DIR));
    expect(files).toEqual(['config.json', 'onnx/model.onnx', 'preprocessor_config.json']);
  });

  it('stays small: under 5 MB in all', async () => {
    const sizes = await Promise.all((await listFiles(fresh)).map(async (f) => (await readFile(join(fresh, f))).byteLength));
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(5_000_000);
  });
});
