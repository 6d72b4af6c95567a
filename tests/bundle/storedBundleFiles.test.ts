import { describe, expect, it } from 'vitest';
import { storedBundleFiles, storedBundleId, storedBundleUrl } from '../../src/bundle/storedBundleFiles';
import { writeWholeFile } from '../../src/storage/storageDir';
import { memoryStorage } from '../storage/memoryDir';

describe('storedBundleFiles', () => {
  it('maps stored:<id> URLs and reads files from the bundle folder', async () => {
    expect(storedBundleUrl('hf-a--b-main-fp16')).toBe('stored:hf-a--b-main-fp16');
    expect(storedBundleId('stored:x')).toBe('x');
    expect(storedBundleId('/models/tiny/')).toBeUndefined();
    const storage = memoryStorage();
    await writeWholeFile(storage.root, 'embed.onnx', Uint8Array.of(1, 2, 3));
    const progress: number[][] = [];
    const files = storedBundleFiles('stored model x', async () => storage.root);
    expect(Array.from(await files.read('embed.onnx', (a, b) => progress.push([a, b])))).toEqual([1, 2, 3]);
    expect(progress).toEqual([[3, 3]]);
    await expect(files.read('head.onnx')).rejects.toThrow('stored model x: no file "head.onnx" in the stored bundle');
  });

  it('says when the bundle is not stored', async () => {
    await expect(storedBundleFiles('stored model y', async () => undefined).read('manifest.json')).rejects.toThrow(/not in this browser's storage/);
  });
});
