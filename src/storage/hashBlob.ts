/** sha256 of a stored file, read slice by slice so a large file is never held whole. */
import { sha256Hex } from '../convert/sha256';
import { sha256Stream } from './sha256Stream';

/** Files up to this size are hashed in one native Web Crypto call; larger ones stream through sha256Stream. */
const WHOLE_FILE_LIMIT = 256 * 1024 * 1024;
const SLICE_BYTES = 16 * 1024 * 1024;

export async function hashBlob(blob: Blob, signal?: AbortSignal): Promise<string> {
  if (blob.size <= WHOLE_FILE_LIMIT) return sha256Hex(new Uint8Array(await blob.arrayBuffer()));
  const stream = sha256Stream();
  for (let at = 0; at < blob.size; at += SLICE_BYTES) {
    signal?.throwIfAborted();
    stream.update(new Uint8Array(await blob.slice(at, at + SLICE_BYTES).arrayBuffer()));
  }
  return stream.hex();
}
