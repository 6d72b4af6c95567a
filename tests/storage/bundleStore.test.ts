import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../src/bundle/manifest';
import { BundleStoreError, createBundleStore, manifestFiles, storedModelId } from '../../src/storage/bundleStore';
import { TINY_BUNDLE_DIR } from '../lab/engineWorkerBridge';
import { memoryStorage } from './memoryDir';

const manifest = JSON.parse(readFileSync(`${TINY_BUNDLE_DIR}manifest.json`, 'utf8')) as BundleManifest;
const fileBytes = (path: string) => new Uint8Array(readFileSync(`${TINY_BUNDLE_DIR}${path}`));

describe('bundle store', () => {
  it('makes a bundle visible only after every file checks against the manifest', async () => {
    const storage = memoryStorage();
    const store = createBundleStore(storage.root);
    const writer = await store.begin('tiny');
    for (const entry of manifestFiles(manifest)) await writer.writeFile(entry.path, fileBytes(entry.path));
    expect(await store.open('tiny')).toBeUndefined(); // written, not committed
    expect((await store.list())[0]).toMatchObject({ id: 'tiny', complete: false });

    await writer.commit(manifest);
    expect(await store.open('tiny')).toBeDefined();
    const [stored] = await store.list();
    expect(stored).toMatchObject({ id: 'tiny', name: 'tiny', dtype: 'fp32', numLayers: 4, complete: true });
    expect(stored.bytes).toBe(manifestFiles(manifest).reduce((n, f) => n + f.bytes, 0) + (await (await store.open('tiny'))!.file('manifest.json'))!.size);
  });

  it('refuses to commit a file whose sha256 differs, and discard leaves nothing', async () => {
    const storage = memoryStorage();
    const store = createBundleStore(storage.root);
    const writer = await store.begin('tiny');
    for (const entry of manifestFiles(manifest)) {
      const bytes = fileBytes(entry.path);
      if (entry.path === 'block_2.onnx') bytes[100] ^= 1;
      await writer.writeFile(entry.path, bytes);
    }
    await expect(writer.commit(manifest)).rejects.toThrow(/block_2\.onnx: sha256 [0-9a-f]+ does not match the manifest's/);
    await writer.discard();
    expect(storage.paths()).toEqual([]);
  });

  it('names a missing or short file, and refuses manifest.json and nested paths from writers', async () => {
    const store = createBundleStore(memoryStorage().root);
    const writer = await store.begin('tiny');
    await expect(writer.commit(manifest)).rejects.toThrow(/embed\.onnx is missing/);
    await writer.writeFile('embed.onnx', new Uint8Array(3));
    await expect(writer.commit(manifest)).rejects.toThrow(/embed\.onnx has 3 bytes, the manifest says \d+/);
    await expect(writer.writeFile('manifest.json', new Uint8Array(1))).rejects.toThrow(BundleStoreError);
    await expect(writer.writeFile('../x', new Uint8Array(1))).rejects.toThrow(/not a plain file name/);
  });

  it('keeps downloads apart, lists them as incomplete, and removes both', async () => {
    const storage = memoryStorage();
    const store = createBundleStore(storage.root);
    const downloads = await store.downloads('model-a');
    await downloads.put('http://x/model.safetensors#bytes=0-9', new Uint8Array(10));
    expect(await downloads.storedBytes()).toBe(10);
    expect(await store.list()).toEqual([{ id: 'model-a', name: 'model-a', bytes: 10, complete: false }]);
    await store.remove('model-a');
    expect(storage.paths()).toEqual([]);
  });

  it('records measured speeds with a complete bundle, lists them, ignores a model that is not stored, and deletes them with it', async () => {
    const storage = memoryStorage();
    const store = createBundleStore(storage.root);
    const writer = await store.begin('tiny');
    for (const entry of manifestFiles(manifest)) await writer.writeFile(entry.path, fileBytes(entry.path));
    await store.recordSpeed('tiny', { backend: 'wasm', stepsPerSecond: 12, measuredAt: 1 }); // not committed yet: nothing to attach it to
    expect(storage.paths()).not.toContain('bundles/tiny/speed.json');
    await writer.commit(manifest);
    expect((await store.list())[0].speed).toEqual({});

    await store.recordSpeed('tiny', { backend: 'wasm', stepsPerSecond: 12, measuredAt: 1 });
    await store.recordSpeed('tiny', { backend: 'wasm', stepsPerSecond: 14, measuredAt: 2 });
    await store.recordSpeed('tiny', { backend: 'webgpu', stepsPerSecond: 60, measuredAt: 3 });
    const [stored] = await store.list();
    expect(stored.speed).toEqual({ wasm: { stepsPerSecond: [12, 14], measuredAt: 2 }, webgpu: { stepsPerSecond: [60], measuredAt: 3 } });
    expect(await store.open('tiny')).toBeDefined(); // the record never touches the verified files

    await store.recordSpeed('gone', { backend: 'wasm', stepsPerSecond: 1, measuredAt: 4 });
    expect((await store.list()).map((m) => m.id)).toEqual(['tiny']);
    await store.remove('tiny');
    expect(storage.paths()).toEqual([]);
  });

  it('makes storage-safe ids', () => {
    expect(storedModelId('hf-facebook/musicgen-small-refs/pr/3-fp16')).toBe('hf-facebook--musicgen-small-refs--pr--3-fp16');
    expect(() => storedModelId('..')).toThrow(/no usable storage name/);
  });
});
