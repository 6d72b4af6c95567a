/** StorageDir on the browser's Origin Private File System (page or worker). */
import type { StorageDir, StorageEntry } from './storageDir';

/** FileSystemDirectoryHandle's async iterator, which TypeScript's DOM types leave out. */
type IterableDirectoryHandle = FileSystemDirectoryHandle & { entries(): AsyncIterable<[string, FileSystemHandle]> };

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'NotFoundError' || name === 'TypeMismatchError';
}

export function opfsDir(handle: FileSystemDirectoryHandle, path: string): StorageDir {
  const self: StorageDir = {
    path,
    async dir(name, create) {
      try {
        return opfsDir(await handle.getDirectoryHandle(name, { create }), `${path}/${name}`);
      } catch (error) {
        if (!create && isNotFound(error)) return undefined;
        throw error;
      }
    },
    async list() {
      const entries: StorageEntry[] = [];
      for await (const [name, child] of (handle as IterableDirectoryHandle).entries()) entries.push({ name, kind: child.kind });
      return entries.sort((a, b) => a.name.localeCompare(b.name));
    },
    async file(name) {
      try {
        return await (await handle.getFileHandle(name)).getFile();
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async writer(name) {
      // createWritable writes to a swap file; close() swaps it in atomically, abort() discards it.
      // Creating the handle makes an empty file at once: abort removes it again if it is new.
      const existed = (await self.file(name)) !== undefined;
      const stream = await (await handle.getFileHandle(name, { create: true })).createWritable({ keepExistingData: false });
      return {
        write: (bytes) => stream.write(bytes as Uint8Array<ArrayBuffer>),
        close: () => stream.close(),
        abort: async () => {
          await stream.abort();
          if (!existed) await handle.removeEntry(name).catch(() => undefined);
        },
      };
    },
    async remove(name) {
      try {
        await handle.removeEntry(name, { recursive: true });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
  return self;
}

/** The lab's folder in the origin's private file system; undefined where the browser has none. */
export async function openOpfsRoot(folder = 'musicgen-lab'): Promise<StorageDir | undefined> {
  const storage = (globalThis as { navigator?: Navigator }).navigator?.storage;
  if (storage?.getDirectory === undefined) return undefined;
  const root = await storage.getDirectory();
  return opfsDir(await root.getDirectoryHandle(folder, { create: true }), `opfs:/${folder}`);
}
