/**
 * The implementation of ConvertWorkerApi: plans and installs models into browser storage.
 * Installing a hub model runs four phases, each cancellable:
 *   download  every decoder range of the checkpoint and the side files, into storage (resumable)
 *   convert   side files copied (sha256 checked against the hub's), graphs built one at a time
 *   verify    every bundle file against the manifest, then the manifest is written (the commit)
 * workers/convert.worker.ts exposes it over comlink; tests run it in Node with in-memory storage.
 */
import { parseManifest, type BundleManifest, type FileEntry, type WeightDtype } from '../bundle/manifest';
import { blobSource } from '../checkpoint/byteSources';
import { fileListLocation } from '../checkpoint/location';
import { bundleFileNames, convertCheckpoint } from '../convert/convertCheckpoint';
import { bundleBytesByDtype, bundleBytesEstimate, chooseWeightDtype, sumBytes } from '../hub/downloadPlan';
import { fetchFileChunks, strictRangeCache } from '../hub/fetchRanges';
import { hubCheckpointLocation, hubSideFiles, openModelCheckpoint, type OpenedModelCheckpoint, type SideFileSource } from '../hub/hubCheckpoint';
import { hubModelLabel, hubStoredId, refuseUnsupportedRepo } from '../hub/modelRef';
import { transferRate } from '../hub/transferRate';
import { createBundleStore, manifestFiles, storedModelId, type BundleStore, type BundleWriter, type StoredModel } from '../storage/bundleStore';
import { COPY_CHUNK_BYTES, copyIntoBundle } from '../storage/copyIntoBundle';
import { isQuotaError, quotaMessage, type StorageDir } from '../storage/storageDir';
import type { ConvertWorkerApi, InstallPlan, InstallProgress, InstallRequest, InstallSource, StorageEstimate } from './convertApi';
import { messageOf } from '../errorMessage';

export interface ConvertServiceDeps {
  /** The lab's storage root (the OPFS folder); undefined where the browser has none. */
  openStorage(): Promise<StorageDir | undefined>;
  fetch: typeof fetch;
  hasShaderF16(): Promise<boolean>;
  estimate(): Promise<StorageEstimate | null>;
  now?(): number;
}

type HubSource = Extract<InstallSource, { kind: 'hub' }>;
type FilesSource = Extract<InstallSource, { kind: 'files' }>;

/** A one-line install failure the UI shows as is. */
export class InstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstallError';
  }
}

/** A download whose bytes do not match the hash the server vouches for. */
export class CorruptDownloadError extends InstallError {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptDownloadError';
  }
}

/** The storage quota is too small for the model. */
export class QuotaError extends InstallError {
  constructor(message: string) {
    super(message);
    this.name = 'QuotaError';
  }
}

const PROGRESS_INTERVAL_MS = 100;

function abortableFetch(fetchImpl: typeof fetch, signal: AbortSignal): typeof fetch {
  return (input, init) => fetchImpl(input, { ...init, signal });
}

function byName(files: readonly File[], name: string): File | undefined {
  return files.find((file) => file.name === name);
}

/** What one install or plan works on, once opened. */
interface Prepared {
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

export function createConvertService(deps: ConvertServiceDeps): ConvertWorkerApi {
  const now = deps.now ?? (() => performance.now());
  const jobs = new Map<number, AbortController>();
  let storePromise: Promise<BundleStore> | undefined;

  const store = (): Promise<BundleStore> =>
    (storePromise ??= deps.openStorage().then((root) => {
      if (root === undefined) throw new InstallError('This browser has no Origin Private File System, so models cannot be stored; use a recent Chrome, Edge, Firefox or Safari.');
      return createBundleStore(root);
    }));

  async function sizesOf(sideFiles: SideFileSource[]): Promise<number> {
    return (await Promise.all(sideFiles.map((side) => side.source.size()))).reduce((a, b) => a + b, 0);
  }

  async function prepare(request: InstallRequest, fetchImpl: typeof fetch, bundleStore: BundleStore, forInstall: { onBytes(n: number): void; cache: boolean }): Promise<Prepared> {
    const { source } = request;
    const hasShaderF16 = await deps.hasShaderF16();
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

  async function bundleBytesOf(prepared: Prepared): Promise<number> {
    if (prepared.bundle) return manifestFiles(prepared.bundle.manifest).reduce((n, f) => n + f.bytes, 0);
    return bundleBytesEstimate(prepared.checkpoint!.tensors, prepared.checkpoint!.config, prepared.dtype, await sizesOf(prepared.sideFiles));
  }

  /** Bytes that travel over the network (hub side files and hub checkpoint ranges). */
  async function networkBytesOf(request: InstallRequest, prepared: Prepared): Promise<number> {
    if (prepared.bundle) return 0;
    const remoteSides = prepared.sideFiles.filter((side) => side.remote);
    const sideBytes = await sizesOf(remoteSides);
    return sideBytes + (request.source.kind === 'hub' ? sumBytes(prepared.checkpoint!.tensors) : 0);
  }

  async function storedBytesOf(bundleStore: BundleStore, id: string): Promise<number> {
    const entry = (await bundleStore.list()).find((model) => model.id === id);
    return entry !== undefined && !entry.complete ? entry.bytes : 0;
  }

  async function install(request: InstallRequest, signal: AbortSignal, report: (progress: InstallProgress) => void): Promise<StoredModel> {
    const bundleStore = await store();
    // Network bytes are counted across phases: side files download first, decoder ranges stream during conversion.
    let fetched = 0;
    let networkTotal = 0;
    let downloadStart = now();
    let lastReport = -Infinity;
    let stage: Omit<InstallProgress, 'download'> = { phase: 'prepare', label: 'reading config.json and the checkpoint header', done: 0, total: 1 };
    const emit = (force: boolean) => {
      const t = now();
      if (!force && t - lastReport < PROGRESS_INTERVAL_MS) return;
      lastReport = t;
      const rate = transferRate(fetched, t - downloadStart, networkTotal - fetched);
      report({ ...stage, download: { bytes: Math.min(fetched, networkTotal), totalBytes: networkTotal, bytesPerSecond: rate.bytesPerSecond, etaSeconds: rate.etaSeconds } });
    };
    const setStage = (next: typeof stage) => {
      stage = next;
      emit(true);
    };
    emit(true);
    const prepared = await prepare(request, abortableFetch(deps.fetch, signal), bundleStore, {
      cache: true,
      onBytes: (n) => {
        fetched += n;
        if (stage.phase === 'download') stage = { ...stage, done: fetched };
        emit(false);
      },
    });
    const { id } = prepared;
    let writer: BundleWriter | undefined;
    try {
      const resumed = await storedBytesOf(bundleStore, id);
      const bundleBytes = await bundleBytesOf(prepared);
      const networkBytes = await networkBytesOf(request, prepared);
      const estimate = await deps.estimate();
      const needed = Math.max(0, networkBytes - resumed) + bundleBytes;
      if (estimate !== null && estimate.quota - estimate.usage < needed) throw new QuotaError(quotaMessage(needed));

      // Download the side files whole (their sha256 is checked); stored ranges of an earlier attempt are skipped.
      fetched = 0;
      networkTotal = Math.max(0, networkBytes - resumed);
      downloadStart = now();
      for (const side of prepared.sideFiles) {
        if (!side.remote) continue;
        setStage({ phase: 'download', label: side.file.path, done: fetched, total: networkTotal });
        await fetchFileChunks(side.source, COPY_CHUNK_BYTES, { signal, cacheFailure: prepared.cacheFailure });
      }

      writer = await bundleStore.begin(id);
      const manifest = prepared.bundle ? await copyBundle(prepared, writer, signal, setStage) : await convert(prepared, writer, signal, setStage);
      setStage({ phase: 'verify', label: `checking the sha256 of ${manifestFiles(manifest).length} files`, done: 0, total: 1 });
      await writer.commit(manifest, signal);
      setStage({ phase: 'verify', label: 'stored', done: 1, total: 1 });
      await bundleStore.dropDownloads(id);
      const stored = (await bundleStore.list()).find((model) => model.id === id);
      if (stored === undefined || !stored.complete) throw new InstallError(`${prepared.label}: the stored bundle could not be read back`);
      return stored;
    } catch (error) {
      await writer?.discard().catch(() => undefined);
      const cacheFailure = prepared.cacheFailure();
      if (error instanceof QuotaError || isQuotaError(error) || isQuotaError(cacheFailure)) {
        await bundleStore.dropDownloads(id).catch(() => undefined);
        throw error instanceof QuotaError ? error : new QuotaError(quotaMessage());
      }
      if (error instanceof CorruptDownloadError) await bundleStore.dropDownloads(id).catch(() => undefined);
      throw error;
    }
  }

  type StageReport = (stage: Omit<InstallProgress, 'download'>) => void;

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

  async function convert(prepared: Prepared, writer: BundleWriter, signal: AbortSignal, report: StageReport): Promise<BundleManifest> {
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

  async function copyBundle(prepared: Prepared, writer: BundleWriter, signal: AbortSignal, report: StageReport): Promise<BundleManifest> {
    const { manifest, files } = prepared.bundle!;
    const entries = manifestFiles(manifest);
    for (const [i, entry] of entries.entries()) {
      report({ phase: 'convert', label: `copying ${entry.path}`, done: i, total: entries.length });
      await copyIntoBundle(writer, entry.path, blobSource(byName(files, entry.path)!), { signal });
    }
    return manifest;
  }

  return {
    async plan(request) {
      const bundleStore = await store();
      const prepared = await prepare(request, deps.fetch, bundleStore, { cache: false, onBytes: () => undefined });
      const resumedBytes = await storedBytesOf(bundleStore, prepared.id);
      const networkBytes = await networkBytesOf(request, prepared);
      const bundleBytes = await bundleBytesOf(prepared);
      const config = prepared.bundle?.manifest.config ?? prepared.checkpoint!.config;
      const plan: InstallPlan = {
        id: prepared.id,
        label: prepared.label,
        kind: prepared.bundle ? 'bundle' : 'checkpoint',
        numLayers: config.numLayers,
        hiddenSize: config.hiddenSize,
        dtype: prepared.dtype,
        dtypeReason: prepared.dtypeReason,
        autoDtype: prepared.autoDtype,
        bundleBytesByDtype: prepared.checkpoint ? bundleBytesByDtype(prepared.checkpoint.tensors, prepared.checkpoint.config, await sizesOf(prepared.sideFiles)) : null,
        downloadBytes: Math.max(0, networkBytes - resumedBytes),
        resumedBytes,
        bundleBytes,
        neededBytes: Math.max(0, networkBytes - resumedBytes) + bundleBytes,
        storage: await deps.estimate(),
      };
      return plan;
    },

    async install(jobId, request, onProgress) {
      const controller = new AbortController();
      jobs.set(jobId, controller);
      try {
        return await install(request, controller.signal, (progress) => onProgress?.({ ...progress }));
      } catch (error) {
        if (controller.signal.aborted) throw new DOMException('Model install cancelled; downloaded ranges are kept so a retry resumes.', 'AbortError');
        throw error;
      } finally {
        jobs.delete(jobId);
      }
    },

    cancel(jobId) {
      jobs.get(jobId)?.abort();
    },

    list: async () => (await store()).list(),

    async remove(id) {
      await (await store()).remove(id);
    },

    async findStored(source, dtype) {
      const bundleStore = await store();
      const preferred = chooseWeightDtype(dtype, await deps.hasShaderF16()).dtype;
      const order: WeightDtype[] = dtype === 'auto' ? [preferred, preferred === 'fp16' ? 'fp32' : 'fp16'] : [preferred];
      for (const candidate of order) {
        const id = hubStoredId(source, candidate);
        if ((await bundleStore.open(id)) !== undefined) return id;
      }
      return undefined;
    },

    async recordSpeed(id, sample) {
      await (await store()).recordSpeed(id, sample);
    },

    estimate: () => deps.estimate(),
  };
}
