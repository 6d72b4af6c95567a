import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryBundleFiles } from '../../src/bundle/bundleFiles';
import { BUNDLE_VERSION } from '../../src/bundle/manifest';
import { loadModel } from '../../src/engine/loadedModel';
import { createRuntime } from '../../src/runtime/ort';

describe('bundle version', () => {
  it('refuses a version 1 bundle (whole-cache block graphs) and asks for a new conversion', async () => {
    const manifest = JSON.parse(readFileSync('models/tiny/manifest.json', 'utf8')) as Record<string, unknown>;
    expect(manifest.version).toBe(BUNDLE_VERSION);
    const old = new TextEncoder().encode(JSON.stringify({ ...manifest, version: 1 }));
    const files = memoryBundleFiles('stored-tiny', new Map([['manifest.json', old]]));
    await expect(loadModel(files, await createRuntime('node'))).rejects.toThrow(
      /bundle version 1 is not supported \(this lab reads version 2\); convert the checkpoint again/,
    );
  });
});
