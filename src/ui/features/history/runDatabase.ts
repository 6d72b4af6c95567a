/**
 * The run history in IndexedDB, so runs survive reloads: `runs` holds the records (listed without
 * audio), `audio` the samples (Float32Array, stored by structured clone), both keyed by run id.
 */
import type { RunAudio, RunRecord } from './runRecord';

export interface RunDatabase {
  /** Every record, newest first. */
  list(): Promise<RunRecord[]>;
  get(runId: string): Promise<{ record: RunRecord; audio: RunAudio } | null>;
  put(record: RunRecord, audio: RunAudio): Promise<void>;
  delete(runId: string): Promise<void>;
}

const DB_NAME = 'musicgen-lab';
const DB_VERSION = 1;
const RUNS = 'runs';
const AUDIO = 'audio';

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function completed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
  });
}

/** Opens (creating on first use) the lab's history database. */
export async function openRunDatabase(factory: IDBFactory = indexedDB): Promise<RunDatabase> {
  const request = factory.open(DB_NAME, DB_VERSION);
  request.onupgradeneeded = () => {
    const db = request.result;
    if (!db.objectStoreNames.contains(RUNS)) db.createObjectStore(RUNS, { keyPath: 'id' });
    if (!db.objectStoreNames.contains(AUDIO)) db.createObjectStore(AUDIO, { keyPath: 'runId' });
  };
  const db = await promised(request);

  return {
    async list() {
      const records = await promised(db.transaction(RUNS, 'readonly').objectStore(RUNS).getAll() as IDBRequest<RunRecord[]>);
      return records.sort((a, b) => b.createdAt - a.createdAt);
    },

    async get(runId) {
      const transaction = db.transaction([RUNS, AUDIO], 'readonly');
      const [record, audio] = await Promise.all([
        promised(transaction.objectStore(RUNS).get(runId) as IDBRequest<RunRecord | undefined>),
        promised(transaction.objectStore(AUDIO).get(runId) as IDBRequest<RunAudio | undefined>),
      ]);
      return record && audio ? { record, audio } : null;
    },

    async put(record, audio) {
      // One transaction: a record is never visible without its audio.
      const transaction = db.transaction([RUNS, AUDIO], 'readwrite');
      transaction.objectStore(AUDIO).put(audio);
      transaction.objectStore(RUNS).put(record);
      await completed(transaction);
    },

    async delete(runId) {
      const transaction = db.transaction([RUNS, AUDIO], 'readwrite');
      transaction.objectStore(RUNS).delete(runId);
      transaction.objectStore(AUDIO).delete(runId);
      await completed(transaction);
    },
  };
}
