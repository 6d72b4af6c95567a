/**
 * The implementation of ConvertWorkerApi: plans and installs models into browser storage.
 * Installing a hub model runs four phases, each cancellable:
 *   download  every decoder range of the checkpoint and the side files, into storage (resumable)
 *   convert   side files copied (sha256 checked against the hub's), graphs built one at a time
 *   verify    every bundle file against the manifest, then the manifest is written (the commit)
 * workers/convert.worker.ts exposes it over comlink; tests run it in Node with in-memory storage.
 */
import type { WeightDtype } from '../bundle/manifest';
import { bundleBytesByDtype, chooseWeightDtype } from '../hub/downloadPlan';
import { fetchFileChunks } from '../hub/fetchRanges';
import { hubStoredId } from '../hub/modelRef';
import { transferRate } from '../hub/transferRate';
import { createBundleStore, manifestFiles, type BundleStore, type BundleWriter, type StoredModel } from '../storage/bundleStore';
import { COPY_CHUNK_BYTES } from '../storage/copyIntoBundle';
import { isQuotaError, quotaMessage, type StorageDir } from '../storage/storageDir';
import type { ConvertWorkerApi, InstallPlan, InstallProgress, InstallRequest, StorageEstimate } from './convertApi';
import { CorruptDownloadError, InstallError, QuotaError } from './installErrors';
import { copyBundle, convertInto } from './installPhases';
import { bundleBytesOf, networkBytesOf, prepareInstall, sizesOf, storedBytesOf } from './installSource';

export interface ConvertServiceDeps {
  /** The lab's storage root (the OPFS folder); undefined where the browser has none. */
  openStorage(): Promise<StorageDir | undefined>;
  fetch: typeof fetch;
  hasShaderF16(): Promise<boolean>;
  estimate(): Promise<StorageEstimate | null>;
  now?(): number;
}

const PROGRESS_INTERVAL_MS = 100;

function abortableFetch(fetchImpl: typeof fetch, signal: AbortSignal): typeof fetch {
  return (input, init) => fetchImpl(input, { ...init, signal });
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
    const prepared = await prepareInstall(request, await deps.hasShaderF16(), abortableFetch(deps.fetch, signal), bundleStore, {
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
      const manifest = prepared.bundle ? await copyBundle(prepared, writer, signal, setStage) : await convertInto(prepared, writer, signal, setStage);
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

  return {
    async plan(request) {
      const bundleStore = await store();
      const prepared = await prepareInstall(request, await deps.hasShaderF16(), deps.fetch, bundleStore, { cache: false, onBytes: () => undefined });
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
