import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { arrayBufferSource } from '../../src/checkpoint/byteSources';
import { createBundleStore } from '../../src/storage/bundleStore';
import { COPY_CHUNK_BYTES, copyIntoBundle } from '../../src/storage/copyIntoBundle';
import { memoryStorage } from './memoryDir';

describe('copyIntoBundle', () => {
  it('streams a source into the bundle in chunks and returns its manifest entry', async () => {
    const storage = memoryStorage();
    const writer = await createBundleStore(storage.root).begin('m');
    const data = Uint8Array.from({ length: COPY_CHUNK_BYTES + 10 }, (_, i) => (i * 7) & 255);
    const chunks: number[] = [];
    const entry = await copyIntoBundle(writer, 'text_encoder.onnx', arrayBufferSource(data, 'src'), { onChunk: (n) => chunks.push(n) });
    expect(entry).toEqual({ path: 'text_encoder.onnx', bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    expect(chunks).toEqual([COPY_CHUNK_BYTES, 10]);
    expect((await writer.dir.file('text_encoder.onnx'))!.size).toBe(data.length);
  });

  it('leaves no file behind when the source fails', async () => {
    const storage = memoryStorage();
    const writer = await createBundleStore(storage.root).begin('m');
    const failing = { name: 'src', size: async () => 10, read: async () => Promise.reject(new Error('gone')) };
    await expect(copyIntoBundle(writer, 'x.onnx', failing)).rejects.toThrow('gone');
    expect(storage.paths()).toEqual([]);
  });
});
