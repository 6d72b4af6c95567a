/**
 * The storage the lab keeps models in, as a small directory interface: the Origin Private File
 * System in the browser (opfsDir.ts); tests give an in-memory one. Writes are atomic per file:
 * a file appears only once its writer is closed, so a cancelled or failed write leaves nothing.
 */
export interface StoredFileWriter {
  write(bytes: Uint8Array): Promise<void>;
  /** Makes the written bytes visible under the file's name. */
  close(): Promise<void>;
  /** Drops what was written; the file keeps its previous content (or stays absent). */
  abort(): Promise<void>;
}

export interface StorageEntry {
  name: string;
  kind: 'file' | 'directory';
}

export interface StorageDir {
  /** Path shown in messages, e.g. `opfs:/musicgen-lab/bundles/x`. */
  readonly path: string;
  /** A subdirectory; undefined when absent and `create` is false. */
  dir(name: string, create: boolean): Promise<StorageDir | undefined>;
  list(): Promise<StorageEntry[]>;
  /** A stored file as a Blob (read lazily, slice by slice); undefined when absent. */
  file(name: string): Promise<Blob | undefined>;
  writer(name: string): Promise<StoredFileWriter>;
  /** Removes a file or a whole subdirectory; absent names are ignored. */
  remove(name: string): Promise<void>;
}

/** Opens (and with `create`, makes) a nested path such as `bundles/<id>`. */
export async function openPath(root: StorageDir, path: string, create: boolean): Promise<StorageDir | undefined> {
  let dir: StorageDir | undefined = root;
  for (const segment of path.split('/').filter((s) => s !== '')) {
    dir = await dir.dir(segment, create);
    if (dir === undefined) return undefined;
  }
  return dir;
}

/** Writes one whole file atomically. */
export async function writeWholeFile(dir: StorageDir, name: string, bytes: Uint8Array): Promise<void> {
  const writer = await dir.writer(name);
  try {
    await writer.write(bytes);
  } catch (error) {
    await writer.abort().catch(() => undefined);
    throw error;
  }
  await writer.close();
}

/** Total bytes of the files under `dir`, recursively. */
export async function treeBytes(dir: StorageDir): Promise<number> {
  let total = 0;
  for (const entry of await dir.list()) {
    if (entry.kind === 'file') total += (await dir.file(entry.name))?.size ?? 0;
    else {
      const child = await dir.dir(entry.name, false);
      if (child) total += await treeBytes(child);
    }
  }
  return total;
}

/** True for the error browsers raise when an origin's storage quota is used up. */
export function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'QuotaExceededError' || /quota/i.test((error as Error | null)?.message ?? '');
}

/** The one-line message for a full disk or quota. */
export function quotaMessage(neededBytes?: number): string {
  const need = neededBytes === undefined ? '' : ` (about ${formatBytes(neededBytes)} are needed)`;
  return `Not enough browser storage for this model${need}: free space by deleting stored models, or allow this site more storage. Nothing was kept.`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}
