/** In-memory and Blob/File byte sources (both work in browsers and Node). */
import { CheckpointError } from './safetensors';
import type { ByteSource } from './types';

/** Throws a clear error unless [start, end) is a valid range inside a source of `size` bytes. */
export function checkReadRange(name: string, start: number, end: number, size: number): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new CheckpointError(`${name}: invalid read range [${start}, ${end})`, { source: name, code: 'range' });
  }
  if (end > size) {
    throw new CheckpointError(`${name}: read [${start}, ${end}) passes the end of ${name} (size ${size})`, {
      source: name,
      code: 'range',
    });
  }
}

/** Bytes already in memory. Reads return copies, so callers may keep or modify them freely. */
export function arrayBufferSource(buffer: ArrayBuffer | Uint8Array, name: string): ByteSource {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  return {
    name,
    size: async () => bytes.byteLength,
    async read(start, end) {
      checkReadRange(name, start, end, bytes.byteLength);
      return bytes.slice(start, end);
    },
  };
}

/** A Blob or a browser File (e.g. from a file picker or drag and drop); only the requested slice is loaded. */
export function blobSource(blob: Blob, name?: string): ByteSource {
  const sourceName = name ?? (typeof (blob as File).name === 'string' && (blob as File).name !== '' ? (blob as File).name : 'blob');
  return {
    name: sourceName,
    size: async () => blob.size,
    async read(start, end) {
      checkReadRange(sourceName, start, end, blob.size);
      let buffer: ArrayBuffer;
      try {
        buffer = await blob.slice(start, end).arrayBuffer();
      } catch (cause) {
        // Browsers fail here when a picked file changed or was deleted on disk after it was chosen.
        throw new CheckpointError(`${sourceName}: could not read bytes [${start}, ${end}) (${(cause as Error).message}); pick the file again`, {
          source: sourceName,
          code: 'io',
          cause,
        });
      }
      if (buffer.byteLength !== end - start) {
        throw new CheckpointError(`${sourceName}: read [${start}, ${end}) returned ${buffer.byteLength} bytes`, { source: sourceName, code: 'io' });
      }
      return new Uint8Array(buffer);
    },
  };
}
