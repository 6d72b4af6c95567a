/**
 * The convert phase of an install: side files copied into the bundle (sha256 checked against the
 * hub's), then the graphs converted one at a time, or a dropped bundle's files copied as they are.
 */
import type { BundleManifest, FileEntry } from '../bundle/manifest';
import { blobSource } from '../checkpoint/byteSources';
import { bundleFileNames, convertCheckpoint } from '../convert/convertCheckpoint';
import { manifestFiles, type BundleWriter } from '../storage/bundleStore';
import { copyIntoBundle } from '../storage/copyIntoBundle';
import type { InstallProgress } from './convertApi';
import { CorruptDownloadError } from './installErrors';
import { byName, type Prepared } from './installSource';

export type StageReport = (stage: Omit<InstallProgress, 'download'>) => void;

async function copySideFiles(prepared: Prepared, writer: BundleWriter, signal: AbortSignal, report: StageReport, total: number): Promise<Map<string, FileEntry>> {
  const entries = new Map<string, FileEntry>();
  for (const side of prepared.sideFiles) {
    report({ phase: 'convert', label: side.file.bundlePath, done: entries.size, total });
    const entry = await copyIntoBundle(writer, side.file.bundlePath, side.source, { signal });
    const expected = await side.expectedSha256();
    if (expected !== undefined && expected !== entry.sha256) {
      throw new CorruptDownloadError(
        `${side.source.name} arrived corrupted: its sha256 is ${entry.sha256.slice(0, 12)}…, the server says ${expected.slice(0, 12)}…. Nothing was stored; try again.`,
      );
    }
    entries.set(side.file.bundlePath, entry);
  }
  return entries;
}

export async function convertInto(prepared: Prepared, writer: BundleWriter, signal: AbortSignal, report: StageReport): Promise<BundleManifest> {
  const { config, reader } = prepared.checkpoint!;
  // Side files first: a corrupted download fails before minutes of conversion.
  const graphCount = 2 + config.numLayers + 1; // embed, blocks, head, ≥ 1 cross_kv
  const total = prepared.sideFiles.length + graphCount;
  const sides = await copySideFiles(prepared, writer, signal, report, total);
  const converted = await convertCheckpoint({
    reader,
    config,
    dtype: prepared.dtype,
    name: prepared.label,
    checkpointLabel: prepared.checkpointLabel,
    // The manifest is written by the commit, after verification, with the side files added.
    writeFile: (path, bytes) => (path === bundleFileNames.manifest ? Promise.resolve() : writer.writeFile(path, bytes)),
    onProgress: ({ done, total: graphs, label }) => {
      // A range that could not be stored (full quota) must stop the conversion, not just cost a re-download.
      const cacheFailure = prepared.cacheFailure();
      if (cacheFailure !== undefined) throw cacheFailure;
      report({ phase: 'convert', label, done: sides.size + done, total: sides.size + graphs });
    },
    signal,
    notes: `Converted in this browser from ${prepared.label} (${prepared.dtype} weights).`,
  });
  const side = (path: string) => sides.get(path)!;
  return {
    ...converted,
    text: { tokenizer: side(bundleFileNames.tokenizer), encoder: side(bundleFileNames.textEncoder) },
    audio: { decoder: side(bundleFileNames.audioDecoder) },
  };
}

export async function copyBundle(prepared: Prepared, writer: BundleWriter, signal: AbortSignal, report: StageReport): Promise<BundleManifest> {
  const { manifest, files } = prepared.bundle!;
  const entries = manifestFiles(manifest);
  for (const [i, entry] of entries.entries()) {
    report({ phase: 'convert', label: `copying ${entry.path}`, done: i, total: entries.length });
    await copyIntoBundle(writer, entry.path, blobSource(byName(files, entry.path)!), { signal });
  }
  return manifest;
}
