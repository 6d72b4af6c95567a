/**
 * A bundle folder checked before anything is loaded (Node): manifest.json is a regular file of
 * sane size with a valid manifest, and every file it lists is a regular file, so that no FIFO or
 * device in a bundle can make a later read block or never end.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ManifestError, parseManifest, type BundleManifest, type FileEntry } from '../bundle/manifest';
import { InputFileError, readRegularFile } from './regularFile';

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

function listedFiles(manifest: BundleManifest): FileEntry[] {
  const { graphs } = manifest;
  const entries = [graphs.embed, ...graphs.blocks, ...graphs.crossKv.map((g) => g.file), graphs.head];
  if (manifest.text) entries.push(manifest.text.tokenizer, manifest.text.encoder);
  if (manifest.audio) entries.push(manifest.audio.decoder);
  return entries;
}

export async function readBundleManifest(dir: string): Promise<BundleManifest> {
  const path = join(dir, 'manifest.json');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await readRegularFile(path, MAX_MANIFEST_BYTES)));
  } catch (error) {
    if (error instanceof InputFileError) {
      throw new InputFileError(error.code === 'ENOENT' ? `${path}: file not found (is ${dir} a converted lab bundle?)` : error.message, error.code);
    }
    throw new ManifestError(path, `not valid JSON (${(error as Error).message})`);
  }
  const manifest = parseManifest(json, path);
  for (const entry of listedFiles(manifest)) {
    if (/^https?:\/\//i.test(entry.path)) continue;
    const stats = await stat(join(dir, entry.path)).catch(() => undefined);
    if (!stats) throw new InputFileError(`${join(dir, entry.path)}: file not found (listed in ${path})`, 'ENOENT');
    if (!stats.isFile()) throw new InputFileError(`${join(dir, entry.path)} is not a regular file (listed in ${path})`, 'ENOTFILE');
  }
  return manifest;
}
