/**
 * The browser's means store: means files (the same safetensors bytes the CLI writes, key in the
 * metadata) in IndexedDB, one finished file and at most one unfinished state (running sums) per
 * key, so a reload keeps them and a cancelled computation resumes. Imports are validated against
 * the loaded model first: another model's file gets one clear line, never a silent mismatch.
 */
import { meansKeyId, type MeansKey } from './key';
import { decodeMeansFile, readMeansInfo, validateMeansFile, type ModelIdentity } from './meansFile';

const DB_NAME = 'musicgen-lab-means';
const STORE = 'means';

export interface StoredMeansInfo {
  id: string; // keyId, plus ".partial" for an unfinished state
  keyId: string;
  key: MeansKey;
  values: 'mean' | 'sum';
  count: number;
  bytes: number;
  savedAt: number; // ms since the epoch
}

interface StoredRecord extends StoredMeansInfo {
  file: Uint8Array;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction was aborted (is the storage quota full?)'));
  });
}

export class MeansStore {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(factory?: IDBFactory, name = DB_NAME): Promise<MeansStore> {
    const idb = factory ?? (typeof indexedDB === 'undefined' ? undefined : indexedDB);
    if (!idb) throw new Error('IndexedDB is not available here, so means cannot be stored (a private window may block it)');
    const open = idb.open(name, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'id' });
    return new MeansStore(await request(open));
  }

  /** Stores a means file (finished or unfinished) under its key; a finished one replaces the key's unfinished state. */
  async put(file: Uint8Array, source = 'means file'): Promise<StoredMeansInfo> {
    const { key, values, count } = readMeansInfo(file, source);
    const keyId = await meansKeyId(key);
    const info: StoredMeansInfo = { id: values === 'sum' ? `${keyId}.partial` : keyId, keyId, key, values, count, bytes: file.byteLength, savedAt: Date.now() };
    const tx = this.db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    store.put({ ...info, file: file.slice() } satisfies StoredRecord);
    if (values === 'mean') store.delete(`${keyId}.partial`);
    await done(tx);
    return info;
  }

  /** The finished file for a key, else its unfinished state, else nothing. */
  async find(key: MeansKey): Promise<{ info: StoredMeansInfo; file: Uint8Array } | undefined> {
    const keyId = await meansKeyId(key);
    for (const id of [keyId, `${keyId}.partial`]) {
      const record = await this.record(id);
      if (record) return split(record);
    }
    return undefined;
  }

  async get(id: string): Promise<{ info: StoredMeansInfo; file: Uint8Array } | undefined> {
    const record = await this.record(id);
    return record ? split(record) : undefined;
  }

  async list(): Promise<StoredMeansInfo[]> {
    const records = await request(this.db.transaction(STORE).objectStore(STORE).getAll() as IDBRequest<StoredRecord[]>);
    return records.map((record) => split(record).info).sort((a, b) => b.savedAt - a.savedAt);
  }

  async delete(id: string): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).delete(id);
    await done(tx);
  }

  /**
   * Imports a file a user dropped: checked against the loaded model (and its shapes) before it is
   * stored, so another model's means are refused with a clear message.
   */
  async importFile(file: Uint8Array, fileName: string, model: ModelIdentity): Promise<StoredMeansInfo> {
    const decoded = await decodeMeansFile(file, fileName);
    validateMeansFile(decoded, model, fileName);
    return this.put(file, fileName);
  }

  close(): void {
    this.db.close();
  }

  private record(id: string): Promise<StoredRecord | undefined> {
    return request(this.db.transaction(STORE).objectStore(STORE).get(id) as IDBRequest<StoredRecord | undefined>);
  }
}

function split(record: StoredRecord): { info: StoredMeansInfo; file: Uint8Array } {
  const { file, ...info } = record;
  return { info, file };
}
