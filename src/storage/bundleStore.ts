/**
 * Converted lab bundles in browser storage (the Origin Private File System):
 *   bundles/<id>/    one bundle: graphs, side files, manifest.json written last, and speed.json
 *                    (measured generation speed, written after each Generate run on it)
 *   downloads/<id>/  checkpoint ranges fetched for a conversion still running (rangeStore.ts)
 * Write, verify, then commit: graphs go into the bundle folder as they are produced, every file is
 * checked against the manifest's size and sha256, and only then is manifest.json written. A folder
 * without manifest.json is never listed as loadable, so nothing half-written is ever loaded.
 */
import { parseManifest, type BundleManifest, type FileEntry, type WeightDtype } from '../bundle/manifest';
import { hashBlob } from './hashBlob';
import { rangeStore, type RangeStore } from './rangeStore';
import { addSpeedSample, parseSpeedRecord, SPEED_FILE, type SpeedRecord, type SpeedSample } from './speedRecord';
import { openPath, treeBytes, writeWholeFile, type StorageDir, type StoredFileWriter } from './storageDir';

export const MANIFEST_FILE = 'manifest.json';

export interface StoredModel {
  id: string;
  /** The bundle's name (from its manifest), or the id of an incomplete one. */
  name: string;
  /** Where the weights came from (hub repo, folder), from the manifest. */
  source?: string;
  dtype?: WeightDtype;
  numLayers?: number;
  /** Bytes on disk, downloads in progress included. */
  bytes: number;
  /** False for an interrupted conversion (its downloaded ranges let a retry resume). */
  complete: boolean;
  /** Generation speed measured on it in this browser, per backend (complete bundles only). */
  speed?: SpeedRecord;
}

export class BundleStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleStoreError';
  }
}

/** A storage-safe id: letters, digits, `.`, `_` and `-` only. */
export function storedModelId(label: string): string {
  const id = label.replace(/[^\w.-]+/g, '--').replace(/^-+|-+$/g, '');
  if (id === '' || id === '.' || id === '..') throw new BundleStoreError(`"${label}" gives no usable storage name`);
  return id;
}

export interface BundleWriter {
  readonly dir: StorageDir;
  /** Writes one file of the bundle (never manifest.json: commit writes that). */
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  /** A streamed file (a large side file); atomic like writeFile. */
  openFile(path: string): Promise<StoredFileWriter>;
  /** Checks every file against the manifest, then writes manifest.json: the bundle becomes loadable. */
  commit(manifest: BundleManifest, signal?: AbortSignal): Promise<void>;
  /** Removes everything written so far. */
  discard(): Promise<void>;
}

export interface BundleStore {
  list(): Promise<StoredModel[]>;
  /** A complete bundle's folder, or undefined. */
  open(id: string): Promise<StorageDir | undefined>;
  /** Starts (or restarts) bundle `id`: whatever was there is removed first. */
  begin(id: string): Promise<BundleWriter>;
  /** The download ranges of `id`, kept until its bundle commits. */
  downloads(id: string): Promise<RangeStore>;
  dropDownloads(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  /** Adds a measured speed to a complete bundle's record; ignored for a model that is not stored (deleted meanwhile). */
  recordSpeed(id: string, sample: SpeedSample): Promise<void>;
}

function checkFlatPath(path: string): void {
  if (path === '' || path.includes('/') || path.includes('\\') || path === '.' || path === '..') {
    throw new BundleStoreError(`"${path}" is not a plain file name inside a bundle`);
  }
}

/** Every file a manifest lists. */
export function manifestFiles(manifest: BundleManifest): FileEntry[] {
  const { graphs } = manifest;
  const files = [graphs.embed, ...graphs.blocks, ...graphs.crossKv.map((g) => g.file), graphs.head];
  if (manifest.text) files.push(manifest.text.tokenizer, manifest.text.encoder);
  if (manifest.audio) files.push(manifest.audio.decoder);
  return files;
}

/** Throws naming the first file whose stored size or sha256 differs from the manifest. */
export async function verifyStoredFiles(dir: StorageDir, manifest: BundleManifest, signal?: AbortSignal): Promise<void> {
  for (const entry of manifestFiles(manifest)) {
    signal?.throwIfAborted();
    const blob = await dir.file(entry.path);
    if (blob === undefined) throw new BundleStoreError(`${dir.path}/${entry.path} is missing`);
    if (blob.size !== entry.bytes) throw new BundleStoreError(`${dir.path}/${entry.path} has ${blob.size} bytes, the manifest says ${entry.bytes}`);
    const digest = await hashBlob(blob, signal);
    if (digest !== entry.sha256) throw new BundleStoreError(`${dir.path}/${entry.path}: sha256 ${digest} does not match the manifest's ${entry.sha256}`);
  }
}

async function readSpeed(dir: StorageDir): Promise<SpeedRecord> {
  const blob = await dir.file(SPEED_FILE);
  if (blob === undefined) return {};
  try {
    return parseSpeedRecord(JSON.parse(await blob.text()));
  } catch {
    return {}; // a damaged record costs the figures, never the model
  }
}

async function readManifest(dir: StorageDir): Promise<BundleManifest | undefined> {
  const blob = await dir.file(MANIFEST_FILE);
  if (blob === undefined) return undefined;
  try {
    return parseManifest(JSON.parse(await blob.text()), `${dir.path}/${MANIFEST_FILE}`);
  } catch {
    return undefined; // unreadable: shown as incomplete, deletable
  }
}

export function createBundleStore(root: StorageDir): BundleStore {
  const bundlesDir = () => openPath(root, 'bundles', true) as Promise<StorageDir>;
  const downloadsDir = () => openPath(root, 'downloads', true) as Promise<StorageDir>;
  const openComplete = async (id: string): Promise<StorageDir | undefined> => {
    const dir = await (await bundlesDir()).dir(storedModelId(id), false);
    return dir !== undefined && (await readManifest(dir)) !== undefined ? dir : undefined;
  };

  return {
    async list() {
      const byId = new Map<string, StoredModel>();
      const bundles = await bundlesDir();
      for (const entry of await bundles.list()) {
        if (entry.kind !== 'directory') continue;
        const dir = (await bundles.dir(entry.name, false))!;
        const manifest = await readManifest(dir);
        byId.set(entry.name, {
          id: entry.name,
          name: manifest?.name ?? entry.name,
          source: manifest?.source.checkpoint,
          dtype: manifest?.dtype,
          numLayers: manifest?.config.numLayers,
          bytes: await treeBytes(dir),
          complete: manifest !== undefined,
          ...(manifest !== undefined ? { speed: await readSpeed(dir) } : {}),
        });
      }
      const downloads = await downloadsDir();
      for (const entry of await downloads.list()) {
        if (entry.kind !== 'directory') continue;
        const bytes = await treeBytes((await downloads.dir(entry.name, false))!);
        const known = byId.get(entry.name);
        if (known) known.bytes += bytes;
        else byId.set(entry.name, { id: entry.name, name: entry.name, bytes, complete: false });
      }
      return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
    },

    open: openComplete,

    async begin(id) {
      const safeId = storedModelId(id);
      const bundles = await bundlesDir();
      await bundles.remove(safeId);
      const dir = (await bundles.dir(safeId, true))!;
      return {
        dir,
        async writeFile(path, bytes) {
          checkFlatPath(path);
          if (path === MANIFEST_FILE) throw new BundleStoreError('manifest.json is written by commit(), after verification');
          await writeWholeFile(dir, path, bytes);
        },
        async openFile(path) {
          checkFlatPath(path);
          return dir.writer(path);
        },
        async commit(manifest, signal) {
          await verifyStoredFiles(dir, manifest, signal);
          await writeWholeFile(dir, MANIFEST_FILE, new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
        },
        discard: () => bundles.remove(safeId),
      };
    },

    async downloads(id) {
      return rangeStore((await (await downloadsDir()).dir(storedModelId(id), true))!);
    },

    async dropDownloads(id) {
      await (await downloadsDir()).remove(storedModelId(id));
    },

    async remove(id) {
      const safeId = storedModelId(id);
      await (await bundlesDir()).remove(safeId);
      await (await downloadsDir()).remove(safeId);
    },

    async recordSpeed(id, sample) {
      const dir = await openComplete(id);
      if (dir === undefined) return;
      const record = addSpeedSample(await readSpeed(dir), sample);
      await writeWholeFile(dir, SPEED_FILE, new TextEncoder().encode(`${JSON.stringify(record)}\n`));
    },
  };
}
