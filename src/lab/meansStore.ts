/**
 * What the engine worker needs of a means store (src/analysis/means/meansStore.ts, IndexedDB in the
 * browser), and an in-memory one with the same rules for Node: one finished file and at most one
 * unfinished state per key (id `keyId` and `keyId.partial`); a finished file replaces the partial.
 */
import { meansKeyId, type MeansKey } from '../analysis/means/key';
import { readMeansInfo } from '../analysis/means/meansFile';
import type { MeansStore, StoredMeansInfo } from '../analysis/means/meansStore';

export type MeansFileStore = Pick<MeansStore, 'put' | 'find' | 'get'>;

export function memoryMeansStore(): MeansFileStore {
  const records = new Map<string, { info: StoredMeansInfo; file: Uint8Array }>();
  return {
    async put(file, source = 'means file') {
      const { key, values, count } = readMeansInfo(file, source);
      const keyId = await meansKeyId(key);
      const info: StoredMeansInfo = { id: values === 'sum' ? `${keyId}.partial` : keyId, keyId, key, values, count, bytes: file.byteLength, savedAt: Date.now() };
      records.set(info.id, { info, file: file.slice() });
      if (values === 'mean') records.delete(`${keyId}.partial`);
      return info;
    },
    async find(key: MeansKey) {
      const keyId = await meansKeyId(key);
      return records.get(keyId) ?? records.get(`${keyId}.partial`);
    },
    async get(id) {
      return records.get(id);
    },
  };
}
