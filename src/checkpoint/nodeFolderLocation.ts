/** A checkpoint folder on the local disk (Node only). */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { checkRelativePath, type CheckpointLocation } from './location';
import { nodeFileSource, type NodeFileSource } from './nodeFileSource';
import { CheckpointError } from './safetensors';

export interface NodeFolderLocation extends CheckpointLocation {
  /** Opened files hold a file handle until closed (openCheckpoint's close() does it for its files). */
  open(relativePath: string): Promise<NodeFileSource>;
  exists(relativePath: string): Promise<boolean>;
}

export function nodeFolderLocation(dir: string): NodeFolderLocation {
  const root = resolve(dir);
  const pathOf = (relativePath: string) => join(root, ...checkRelativePath(dir, relativePath));
  const isFile = async (path: string) => (await stat(path).catch(() => undefined))?.isFile() === true;
  return {
    name: dir,
    async open(relativePath) {
      const path = pathOf(relativePath);
      const stats = await stat(path).catch(() => undefined);
      if (stats === undefined) throw new CheckpointError(`${dir} has no file "${relativePath}"`, { source: path, code: 'not-found' });
      // Only regular files: a FIFO would block the first read forever, a device never ends.
      if (!stats.isFile()) throw new CheckpointError(`${path} is not a regular file`, { source: path, code: 'io' });
      return nodeFileSource(path);
    },
    exists: async (relativePath) => isFile(pathOf(relativePath)),
  };
}
