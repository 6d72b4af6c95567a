/**
 * Streams a file (a downloaded side file, a dropped bundle file) into a bundle being written,
 * hashing it on the way: the manifest entry comes out, the file is never held whole.
 */
import type { FileEntry } from '../bundle/manifest';
import type { ByteSource } from '../checkpoint/types';
import type { BundleWriter } from './bundleStore';
import { sha256Stream } from './sha256Stream';

export const COPY_CHUNK_BYTES = 16 * 1024 * 1024;

export async function copyIntoBundle(
  writer: BundleWriter,
  bundlePath: string,
  source: ByteSource,
  options: { signal?: AbortSignal; onChunk?(byteCount: number): void } = {},
): Promise<FileEntry> {
  const size = await source.size();
  const hash = sha256Stream();
  const file = await writer.openFile(bundlePath);
  try {
    for (let at = 0; at < size; at += COPY_CHUNK_BYTES) {
      options.signal?.throwIfAborted();
      const chunk = await source.read(at, Math.min(size, at + COPY_CHUNK_BYTES)); // [≤ 16 MiB] bytes
      hash.update(chunk);
      await file.write(chunk);
      options.onChunk?.(chunk.byteLength);
    }
  } catch (error) {
    await file.abort().catch(() => undefined);
    throw error;
  }
  await file.close();
  return { path: bundlePath, bytes: size, sha256: hash.hex() };
}
