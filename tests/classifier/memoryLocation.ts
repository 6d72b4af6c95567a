/** A CheckpointLocation over files in memory (classifier tests). */
import { arrayBufferSource } from '../../src/checkpoint/byteSources';
import type { CheckpointLocation } from '../../src/checkpoint/location';
import { CheckpointError } from '../../src/checkpoint/safetensors';

export function memoryLocation(name: string, files: ReadonlyMap<string, Uint8Array>): CheckpointLocation {
  return {
    name,
    async open(path) {
      const bytes = files.get(path);
      if (!bytes) throw new CheckpointError(`${name} has no file "${path}"`, { source: path, code: 'not-found' });
      return arrayBufferSource(bytes, `${name}/${path}`);
    },
    exists: async (path) => files.has(path),
  };
}
