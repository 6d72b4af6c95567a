/**
 * The typed bridge between the UI and the convert worker (workers/convert.worker.ts): plan a model
 * (sizes against the storage estimate), install it (download, convert, verify, commit to browser
 * storage), list and delete stored models. Cancellation is a job id plus `cancel(jobId)`, as for
 * the engine worker.
 */
import * as Comlink from 'comlink';
import type { WeightDtype } from '../bundle/manifest';
import type { DtypeChoice } from '../hub/downloadPlan';
import type { StoredModel } from '../storage/bundleStore';
import type { SpeedSample } from '../storage/speedRecord';

export type { StoredModel } from '../storage/bundleStore';
export type { SpeedSample } from '../storage/speedRecord';

export type InstallSource =
  | { kind: 'hub'; repo: string; revision: string; endpoint: string }
  /**
   * A checkpoint folder (config.json + model.safetensors) or a lab bundle folder (manifest.json +
   * graphs), picked or dropped. Side files the checkpoint folder lacks come from the hub at `endpoint`.
   */
  | { kind: 'files'; label: string; files: File[]; endpoint: string };

export interface InstallRequest {
  source: InstallSource;
  /** The weight format asked for; a dropped bundle keeps its own. */
  dtype: DtypeChoice;
}

export interface StorageEstimate {
  usage: number;
  quota: number;
}

export interface InstallPlan {
  /** The stored model's id once installed. */
  id: string;
  label: string;
  kind: 'checkpoint' | 'bundle';
  numLayers: number;
  hiddenSize: number;
  dtype: WeightDtype;
  dtypeReason: string;
  /** What auto means here (fp16 on shader-f16, else fp32). */
  autoDtype: WeightDtype;
  /** The bundle's estimated size in every dtype (a checkpoint; null for a bundle, whose dtype is fixed). */
  bundleBytesByDtype: Record<WeightDtype, number> | null;
  /** Bytes still to fetch over the network (decoder ranges + side files), resumed ranges excluded. */
  downloadBytes: number;
  /** Bytes already downloaded by an earlier, interrupted attempt. */
  resumedBytes: number;
  /** The converted bundle's size. */
  bundleBytes: number;
  /** Peak storage while installing: downloads plus the bundle being written. */
  neededBytes: number;
  storage: StorageEstimate | null;
}

export type InstallPhase = 'prepare' | 'download' | 'convert' | 'verify';

/** Network transfer so far: side files in the download phase, decoder ranges during conversion. */
export interface DownloadStatus {
  bytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  etaSeconds?: number;
}

export interface InstallProgress {
  phase: InstallPhase;
  label: string;
  /** Files written (`convert`, `verify`); bytes for `download` and 0/1 for `prepare`. */
  done: number;
  total: number;
  download: DownloadStatus;
}

export interface ConvertWorkerApi {
  plan(request: InstallRequest): Promise<InstallPlan>;
  install(jobId: number, request: InstallRequest, onProgress?: (progress: InstallProgress) => void): Promise<StoredModel>;
  cancel(jobId: number): void;
  list(): Promise<StoredModel[]>;
  remove(id: string): Promise<void>;
  /** The stored id of a complete bundle for this hub model (for auto, either float dtype, the preferred one first), without any network request. */
  findStored(source: Extract<InstallSource, { kind: 'hub' }>, dtype: DtypeChoice): Promise<string | undefined>;
  /** Keeps a generation speed measured on stored model `id` (shown in the stored-models list). */
  recordSpeed(id: string, sample: SpeedSample): Promise<void>;
  estimate(): Promise<StorageEstimate | null>;
}

export interface RunningInstall {
  jobId: number;
  result: Promise<StoredModel>;
  cancel(): void;
}

export class ConvertWorkerClient {
  private readonly remote: Comlink.Remote<ConvertWorkerApi>;
  private nextJobId = 1;

  constructor(
    endpoint: Comlink.Endpoint,
    private readonly closeEndpoint: () => void = () => {},
  ) {
    this.remote = Comlink.wrap<ConvertWorkerApi>(endpoint);
  }

  static start(): ConvertWorkerClient {
    const worker = new Worker(new URL('../../workers/convert.worker.ts', import.meta.url), { type: 'module', name: 'musicgen-convert' });
    return new ConvertWorkerClient(worker, () => worker.terminate());
  }

  plan(request: InstallRequest): Promise<InstallPlan> {
    return this.remote.plan(request);
  }

  install(request: InstallRequest, onProgress?: (progress: InstallProgress) => void): RunningInstall {
    const jobId = this.nextJobId++;
    const result = this.remote.install(jobId, request, onProgress ? Comlink.proxy(onProgress) : undefined);
    return { jobId, result, cancel: () => void this.remote.cancel(jobId) };
  }

  list(): Promise<StoredModel[]> {
    return this.remote.list();
  }

  remove(id: string): Promise<void> {
    return this.remote.remove(id);
  }

  findStored(source: Extract<InstallSource, { kind: 'hub' }>, dtype: DtypeChoice): Promise<string | undefined> {
    return this.remote.findStored(source, dtype);
  }

  recordSpeed(id: string, sample: SpeedSample): Promise<void> {
    return this.remote.recordSpeed(id, sample);
  }

  estimate(): Promise<StorageEstimate | null> {
    return this.remote.estimate();
  }

  terminate(): void {
    this.remote[Comlink.releaseProxy]();
    this.closeEndpoint();
  }
}
