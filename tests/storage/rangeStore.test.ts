import { describe, expect, it } from 'vitest';
import { rangeStore } from '../../src/storage/rangeStore';
import { memoryStorage } from './memoryDir';

describe('rangeStore', () => {
  it('stores each range under a hashed name and returns it', async () => {
    const storage = memoryStorage();
    const store = rangeStore(storage.root);
    const key = 'https://huggingface.co/facebook/musicgen-small/resolve/main/model.safetensors#bytes=100-199';
    expect(await store.get(key)).toBeUndefined();
    await store.put(key, Uint8Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from((await store.get(key))!)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(storage.paths()).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.bin$/)]);
    expect(await store.storedBytes()).toBe(100);
  });

  it('keeps nothing of a write that fails on the quota', async () => {
    const storage = memoryStorage(50);
    const store = rangeStore(storage.root);
    await expect(store.put('k', new Uint8Array(100))).rejects.toMatchObject({ name: 'QuotaExceededError' });
    expect(storage.paths()).toEqual([]);
  });
});
