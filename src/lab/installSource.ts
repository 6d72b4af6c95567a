/**
 * Opening what an install or a plan works on: a hub repository, a dropped checkpoint folder or a
 * dropped bundle folder, with the weight dtype chosen, and the byte counts the plan shows.
 */
import { parseManifest, type BundleManifest, type WeightDtype } from '../bundle/manifest';
import { blobSource } from '../checkpoint/byteSources';
import { fileListLocation } from '../checkpoint/location';
import { bundleFileNames } from '../convert/convertCheckpoint';
import { messageOf } from '../errorMessage';
import { bundleBytesEstimate, chooseWeightDtype, sumBytes } from '../hub/downloadPlan';
import { strictRangeCache } from '../hub/fetchRanges';
import { hubCheckpointLocation, hubSideFiles, openModelCheckpoint, type OpenedModelCheckpoint, type SideFileSource } from '../hub/hubCheckpoint';
import { hubModelLabel, hubStoredId, refuseUnsupportedRepo } from '../hub/modelRef';
import { manifestFiles, storedModelId, type BundleStore } from '../storage/bundleStore';
import type { InstallRequest, InstallSource } from './convertApi';
import { InstallError } from './installErrors';

type FilesSource = Extract<InstallSource, { kind: 'files' }>;

export function byName(files: readonly File[], name: string): File | undefined {
  return files.find((file) => file.name === name);
}

/** What one install or plan works on, once opened. */
export interface Prepared {
  id: string;
  label: string;
  /** Where the weights came from, for the manifest (the label plus the endpoint or folder). */
  checkpointLabel: string;
  dtype: WeightDtype;
  dtypeReason: string;
  /** What auto means on this machine. */
  autoDtype: WeightDtype;
  checkpoint?: OpenedModelCheckpoint;
  sideFiles: SideFileSource[];
  /** A dropped bundle: its manifest and files. */
  bundle?: { manifest: BundleManifest; files: File[] };
  /** The first range that could not be stored (a full quota), if any. */
  cacheFailure(): unknown;
}

export async function sizesOf(sideFiles: SideFileSource[]): Promise<number> {
  return (await Promise.all(sideFiles.map((side) => side.source.size()))).reduce((a, b) => a + b, 0);
}

export async function prepareInstall(request: InstallRequest, hasShaderF16: boolean, fetchImpl: typeof fetch, bundleStore: BundleStore, forInstall: { onBytes(n: number): void; cache: boolean }): Promise<Prepared> {
  const { source } = request;
  const { dtype, reason } = chooseWeightDtype(request.dtype, hasShaderF16);
  const autoDtype = chooseWeightDtype('auto', hasShaderF16).dtype;
  if (source.kind === 'hub') {
    refuseUnsupportedRepo(source.repo);
    const id = hubStoredId(source, dtype);
    const cache = forInstall.cache ? strictRangeCache(await bundleStore.downloads(id)) : undefined;
    const options = { fetch: fetchImpl, cache, onBytes: forInstall.onBytes };
    const checkpoint = await openModelCheckpoint(hubCheckpointLocation({ ...source, kind: 'hub' }, options));
    return {
      id,
      label: hubModelLabel({ ...source, kind: 'hub' }),
      checkpointLabel: `${hubModelLabel({ ...source, kind: 'hub' })} from ${source.endpoint}`,
      dtype,
      dtypeReason: reason,
      autoDtype,
      checkpoint,
      sideFiles: hubSideFiles(source.endpoint, options),
      cacheFailure: () => cache?.failure(),
    };
  }
  return prepareFiles(source, { dtype, dtypeReason: reason, autoDtype }, fetchImpl, bundleStore, forInstall);
}

async function prepareFiles(source: FilesSource, choice: Pick<Prepared, 'dtype' | 'dtypeReason' | 'autoDtype'>, fetchImpl: typeof fetch, bundleStore: BundleStore, forInstall: { onBytes(n: number): void; cache: boolean }): Promise<Prepared> {
  const manifestFile = byName(source.files, bundleFileNames.manifest);
  if (manifestFile !== undefined) {
    let manifest: BundleManifest;
    try {
      manifest = parseManifest(JSON.parse(await manifestFile.text()), `${source.label}/manifest.json`);
    } catch (error) {
      throw new InstallError(`${source.label}/manifest.json: ${messageOf(error)}`);
    }
    const missing = manifestFiles(manifest).filter((entry) => byName(source.files, entry.path) === undefined);
    if (missing.length > 0) throw new InstallError(`${source.label} lacks ${missing.map((m) => m.path).join(', ')} listed in its manifest.json`);
    return {
      id: storedModelId(`local-${source.label}-${manifest.dtype}`),
      label: source.label,
      checkpointLabel: manifest.source.checkpoint,
      dtype: manifest.dtype,
      dtypeReason: `${manifest.dtype} weights, as converted`,
      autoDtype: choice.autoDtype,
      sideFiles: [],
      bundle: { manifest, files: source.files },
      cacheFailure: () => undefined,
    };
  }
  const id = storedModelId(`local-${source.label}-${choice.dtype}`);
  const checkpoint = await openModelCheckpoint(fileListLocation(source.files, source.label));
  // Side files from the dropped folder when it has them, else from the hub.
  const cache = forInstall.cache ? strictRangeCache(await bundleStore.downloads(id)) : undefined;
  const fromHub = hubSideFiles(source.endpoint, { fetch: fetchImpl, cache, onBytes: forInstall.onBytes });
  const sideFiles = fromHub.map((side): SideFileSource => {
    const dropped = byName(source.files, side.file.bundlePath);
    return dropped === undefined ? side : { file: side.file, source: blobSource(dropped), remote: false, expectedSha256: async () => undefined };
  });
  return { id, label: source.label, checkpointLabel: `local folder ${source.label}`, ...choice, checkpoint, sideFiles, cacheFailure: () => cache?.failure() };
}

export async function bundleBytesOf(prepared: Prepared): Promise<number> {
  if (prepared.bundle) return manifestFiles(prepared.bundle.manifest).reduce((n, f) => n + f.bytes, 0);
  return bundleBytesEstimate(prepared.checkpoint!.tensors, prepared.checkpoint!.config, prepared.dtype, await sizesOf(prepared.sideFiles));
}

/** Bytes that travel over the network (hub side files and hub checkpoint ranges). */
export async function networkBytesOf(request: InstallRequest, prepared: Prepared): Promise<number> {
  if (prepared.bundle) return 0;
  const remoteSides = prepared.sideFiles.filter((side) => side.remote);
  const sideBytes = await sizesOf(remoteSides);
  return sideBytes + (request.source.kind === 'hub' ? sumBytes(prepared.checkpoint!.tensors) : 0);
}

export async function storedBytesOf(bundleStore: BundleStore, id: string): Promise<number> {
  const entry = (await bundleStore.list()).find((model) => model.id === id);
  return entry !== undefined && !entry.complete ? entry.bytes : 0;
}
