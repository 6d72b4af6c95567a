/**
 * Sweep results in the browser (IndexedDB), one record per concept pair, so a reload shows the
 * last sweep with its clips. A Map stands in for tests.
 */
import type { SweepMethod } from '../../../analysis/interventions/sweep';
import type { BlockModule } from '../../../bundle/graphContract';
import type { RunRecord } from '../history/runRecord';
import type { LensRow } from '../../../analysis/study/kernel';
import type { SweepTable } from './sweepMetrics';

export interface StoredCellAudio {
  method: SweepMethod;
  layer: number;
  module: BlockModule;
  samples: Float32Array; // [samples] mono
}

export interface StoredSweep {
  pairId: string; // `${fromId}->${toId}`
  table: SweepTable;
  /** How the first swept prompt's clips were generated (prompt, settings, model, backend). */
  run: RunRecord;
  sampleRate: number;
  /** The clips of the first swept prompt: the baseline and every cell. */
  baseline: Float32Array;
  cells: StoredCellAudio[];
  /** DecoderLens recognisability (NDCG per depth) of both concepts, when it was measured. */
  lens: LensRow[] | null;
  modelName: string;
  savedAt: string; // ISO time
}

export interface SweepResultsDatabase {
  get(pairId: string): Promise<StoredSweep | undefined>;
  put(record: StoredSweep): Promise<void>;
}

export function pairIdOf(fromId: string, toId: string): string {
  return `${fromId}->${toId}`;
}

/** Records written by an older lab (another shape) are skipped rather than drawn wrong. */
export function isCurrentRecord(record: StoredSweep | undefined): record is StoredSweep {
  return !!record && Array.isArray(record.table?.rows) && !!record.run && record.baseline instanceof Float32Array;
}

export function memorySweepResults(): SweepResultsDatabase {
  const records = new Map<string, StoredSweep>();
  return {
    get: async (pairId) => records.get(pairId),
    put: async (record) => void records.set(record.pairId, record),
  };
}

const DATABASE = 'musicgen-lab-sweeps';
const STORE = 'sweeps';

/** Opens lazily; a failure (private mode, quota) surfaces on the first get/put as a readable error. */
export function indexedDbSweepResults(factory: IDBFactory = indexedDB): SweepResultsDatabase {
  let opened: Promise<IDBDatabase> | null = null;
  const database = () =>
    (opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const open = factory.open(DATABASE, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'pairId' });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(new Error(`cannot open the sweep results database: ${open.error?.message ?? 'unknown error'}`));
    }));
  async function run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const transaction = (await database()).transaction(STORE, mode);
    const done = new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted (is the disk full?)'));
    });
    const request = action(transaction.objectStore(STORE));
    await done;
    return request.result;
  }
  return {
    get: (pairId) => run('readonly', (store) => store.get(pairId) as IDBRequest<StoredSweep | undefined>),
    put: async (record) => void (await run('readwrite', (store) => store.put(record))),
  };
}
