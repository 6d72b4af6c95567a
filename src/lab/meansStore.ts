/**
 * Where the engine worker keeps means files (finished means or an unfinished run's sums), by means
 * key id: IndexedDB in the browser (survives reloads; workers can open it), a Map in tests.
 */

export interface MeansStore {
  get(keyId: string): Promise<Uint8Array | undefined>;
  put(keyId: string, bytes: Uint8Array): Promise<void>;
  delete(keyId: string): Promise<void>;
}

export function memoryMeansStore(): MeansStore {
  const files = new Map<string, Uint8Array>();
  return {
    get: async (keyId) => files.get(keyId),
    put: async (keyId, bytes) => void files.set(keyId, bytes.slice()),
    delete: async (keyId) => void files.delete(keyId),
  };
}

const DATABASE = 'musicgen-lab-means';
const STORE = 'means';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** IndexedDB (one object store of Uint8Arrays). A write is one transaction: a checkpoint lands whole or not at all. */
export function indexedDbMeansStore(factory: IDBFactory = indexedDB): MeansStore {
  let opened: Promise<IDBDatabase> | null = null;
  const database = () => {
    opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const open = factory.open(DATABASE, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(new Error(`cannot open the means database: ${open.error?.message ?? 'unknown error'}`));
    });
    return opened;
  };
  async function run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await database();
    const transaction = db.transaction(STORE, mode);
    // Listen before anything can finish: the transaction completes on its own once the request is done.
    const done = new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted (is the disk full?)'));
    });
    const result = request(action(transaction.objectStore(STORE)));
    await done;
    return result;
  }
  return {
    get: async (keyId) => (await run('readonly', (store) => store.get(keyId) as IDBRequest<Uint8Array | undefined>)) ?? undefined,
    put: async (keyId, bytes) => void (await run('readwrite', (store) => store.put(bytes, keyId))),
    delete: async (keyId) => void (await run('readwrite', (store) => store.delete(keyId))),
  };
}
