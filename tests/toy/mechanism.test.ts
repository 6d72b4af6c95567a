import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/bundle/manifest';
import { TOY_MECHANISM } from '../../src/toy/mechanism';

const committed = async () => JSON.parse(await readFile('models/toy/manifest.json', 'utf8')) as Record<string, unknown>;

describe('toy mechanism in the manifest', () => {
  it('covers every prompt slot and every module type, each slot heard from a depth after its last site', () => {
    expect(Object.keys(TOY_MECHANISM).sort()).toEqual(['GENRE', 'INSTRUMENTS', 'MOOD', 'TEMPO']);
    const sites = Object.values(TOY_MECHANISM).flatMap((slot) => slot.sites);
    for (const module of ['attn', 'cross_attn', 'mlp']) expect(sites.some((s) => s.endsWith(`hook_${module}_out`))).toBe(true);
    for (const slot of Object.values(TOY_MECHANISM)) {
      const lastLayer = Math.max(...slot.sites.map((s) => Number(s.split('.')[1])));
      expect(slot.audibleFromDepth).toBe(lastLayer + 1);
    }
  });

  it('is validated by parseManifest: wrong sites, depths and classifier paths are refused with a clear message', async () => {
    const manifest = await committed();
    expect(parseManifest(manifest).mechanism).toEqual(TOY_MECHANISM);
    const withMechanism = (mechanism: unknown) => ({ ...manifest, mechanism });
    expect(() => parseManifest(withMechanism({ INSTRUMENTS: { sites: ['blocks.9.hook_mlp_out'], audibleFromDepth: 5 } }))).toThrow(/blocks\.9\.hook_mlp_out.*l < 6/);
    expect(() => parseManifest(withMechanism({ INSTRUMENTS: { sites: ['blocks.1.hook_resid_post'], audibleFromDepth: 2 } }))).toThrow(/not blocks/);
    expect(() => parseManifest(withMechanism({ INSTRUMENTS: { sites: [], audibleFromDepth: 7 } }))).toThrow(/audibleFromDepth must be an integer in 1\.\.6/);
    expect(() => parseManifest(withMechanism({ INSTRUMENTS: { audibleFromDepth: 2 } }))).toThrow(/needs sites/);
    expect(() => parseManifest(withMechanism([1]))).toThrow(/mechanism must be an object/);
    expect(() => parseManifest({ ...manifest, classifier: '../elsewhere' })).toThrow(/classifier must be a plain folder path/);
    const { mechanism: _m, classifier: _c, ...plain } = manifest;
    expect(parseManifest(plain).mechanism).toBeUndefined();
  });
});
