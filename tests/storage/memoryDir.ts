/**
 * An in-memory StorageDir for Node tests, with the OPFS semantics the lab relies on: a file
 * appears (empty) when its writer opens, its bytes land on close(), abort() drops them. A quota
 * (bytes over the whole tree) makes writes fail as a browser's QuotaExceededError does.
 */
import type { StorageDir, StoredFileWriter } from '../../src/storage/storageDir';
import { concatBytes } from '../../src/tensor/bytes';

interface Node {
  files: Map<string, Uint8Array>;
  dirs: Map<string, Node>;
}

export interface MemoryStorage {
  root: StorageDir;
  usedBytes(): number;
  /** Every file path, e.g. `bundles/x/manifest.json`. */
  paths(): string[];
  quotaBytes: number;
}

function quotaError(): Error {
  const error = new Error('The operation failed because it would cause the application to exceed its storage quota.');
  error.name = 'QuotaExceededError';
  return error;
}

export function memoryStorage(quotaBytes = Number.POSITIVE_INFINITY): MemoryStorage {
  const rootNode: Node = { files: new Map(), dirs: new Map() };
  const storage: MemoryStorage = {
    quotaBytes,
    root: undefined as unknown as StorageDir,
    usedBytes: () => used(rootNode),
    paths: () => paths(rootNode, ''),
  };
  const used = (node: Node): number => [...node.files.values()].reduce((n, f) => n + f.byteLength, 0) + [...node.dirs.values()].reduce((n, d) => n + used(d), 0);
  const paths = (node: Node, prefix: string): string[] => [
    ...[...node.files.keys()].map((name) => prefix + name),
    ...[...node.dirs.entries()].flatMap(([name, child]) => paths(child, `${prefix}${name}/`)),
  ];
  const wrap = (node: Node, path: string): StorageDir => ({
    path,
    async dir(name, create) {
      let child = node.dirs.get(name);
      if (child === undefined && create) node.dirs.set(name, (child = { files: new Map(), dirs: new Map() }));
      return child === undefined ? undefined : wrap(child, `${path}/${name}`);
    },
    async list() {
      return [
        ...[...node.files.keys()].map((name) => ({ name, kind: 'file' as const })),
        ...[...node.dirs.keys()].map((name) => ({ name, kind: 'directory' as const })),
      ].sort((a, b) => a.name.localeCompare(b.name));
    },
    async file(name) {
      const bytes = node.files.get(name);
      return bytes === undefined ? undefined : new Blob([bytes.slice()]);
    },
    async writer(name): Promise<StoredFileWriter> {
      const existed = node.files.has(name);
      if (!existed) node.files.set(name, new Uint8Array(0));
      const chunks: Uint8Array[] = [];
      let pending = 0;
      return {
        async write(bytes) {
          if (used(rootNode) + pending + bytes.byteLength > storage.quotaBytes) throw quotaError();
          chunks.push(bytes.slice());
          pending += bytes.byteLength;
        },
        async close() {
          node.files.set(name, concatBytes(chunks));
        },
        async abort() {
          if (!existed) node.files.delete(name);
        },
      };
    },
    async remove(name) {
      node.files.delete(name);
      node.dirs.delete(name);
    },
  });
  storage.root = wrap(rootNode, 'memory:');
  return storage;
}
