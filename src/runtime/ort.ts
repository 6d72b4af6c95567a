/**
 * The one module that touches onnxruntime. Everything else passes plain typed arrays, so the same
 * engine runs in a Web Worker (onnxruntime-web: WebGPU or WASM), in Node tests (onnxruntime-node or
 * onnxruntime-web's WASM build) and in Chromium. Every session call goes through `run`, which turns
 * onnxruntime's errors into messages that name the graph and the fed shapes.
 */
import type * as OrtTypes from 'onnxruntime-common';
import { adapterLabel, probeWebGpu, type GpuAdapterSummary } from './webGpuAdapter';
import { messageOf } from '../errorMessage';

export type Backend = 'node' | 'wasm' | 'webgpu';

export type HostTensor =
  | { type: 'float32'; data: Float32Array; dims: readonly number[] }
  | { type: 'int64'; data: BigInt64Array; dims: readonly number[] };

/**
 * A tensor that stays in the device's memory (a WebGPU buffer) between session calls: fed back as
 * an input without a copy. Its owner disposes it once it is no longer fed.
 */
export interface DeviceTensor {
  readonly location: 'device';
  readonly type: 'float32';
  readonly dims: readonly number[];
  dispose(): void;
}

export type Feeds = Record<string, HostTensor>;
/** Feeds of `runSplit`: host arrays and tensors a session kept on the device. */
export type SplitFeeds = Record<string, HostTensor | DeviceTensor>;
export type Fetches = Record<string, HostTensor>;

/** One call's outputs: those in host memory, and those the session keeps on the device. */
export interface SplitFetches {
  host: Fetches;
  device: Record<string, DeviceTensor>;
}

export interface SessionOptions {
  /** Outputs to keep on the device (WebGPU); on CPU backends they come back in host memory. */
  deviceOutputs?: readonly string[];
}

export interface Session {
  readonly name: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /**
   * The outputs this session keeps on the device: empty except on WebGPU with
   * SessionOptions.deviceOutputs. Optional, like runSplit: a wrapper without them runs on host memory.
   */
  readonly deviceOutputs?: readonly string[];
  /** Runs and returns host outputs; fails if a fetched output is on the device (use runSplit). */
  run(feeds: Feeds, outputNames?: readonly string[]): Promise<Fetches>;
  /** Runs and returns the fetched outputs, device-resident ones as DeviceTensor. */
  runSplit?(feeds: SplitFeeds, outputNames?: readonly string[]): Promise<SplitFetches>;
  release(): Promise<void>;
}

export interface Runtime {
  readonly backend: Backend;
  /** Human-readable details (thread count, adapter), shown in the UI. */
  readonly description: string;
  /** WASM threads (web WASM backend only). */
  readonly threads?: number;
  /** The WebGPU adapter sessions run on (webgpu only). */
  readonly adapter?: GpuAdapterSummary;
  /**
   * WebGPU only: settles with the reason once onnxruntime's GPU device is lost (driver reset,
   * GPU process crash, tab backgrounded on some systems); never settles otherwise.
   */
  readonly deviceLost?: Promise<string>;
  createSession(name: string, model: Uint8Array, options?: SessionOptions): Promise<Session>;
}

export interface RuntimeOptions {
  /** WASM threads; needs cross-origin isolation in browsers. Default: 1 in Node, min(4, cores) when isolated. */
  numThreads?: number;
  /** Base URL of onnxruntime-web's .wasm/.mjs files when the bundler does not resolve them. */
  wasmPaths?: string;
  /**
   * onnxruntime's own per-op profiler, for every session (scripts/bench/profile.ts). A session's
   * profile is closed by `release()`: onnxruntime-node writes `<filePrefix><session name>_<date>.json`;
   * onnxruntime-web's WASM build prints the JSON events to the console (stdout in Node) instead.
   */
  profiling?: { filePrefix: string };
}

export class RuntimeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RuntimeError';
  }
}

type OrtModule = typeof OrtTypes;

// Variable specifiers keep bundlers from pulling the Node binding into the browser build.
const NODE_PACKAGE = 'onnxruntime-node';

async function importOrt(backend: Backend): Promise<OrtModule> {
  if (backend === 'node') return (await import(/* @vite-ignore */ NODE_PACKAGE)) as OrtModule;
  if (backend === 'webgpu') return (await import('onnxruntime-web/webgpu')) as unknown as OrtModule;
  return (await import('onnxruntime-web')) as unknown as OrtModule;
}

function describeFeeds(feeds: SplitFeeds): string {
  return Object.entries(feeds)
    .map(([name, t]) => `${name}:${t.type}[${t.dims.join(',')}]${'location' in t ? '@device' : ''}`)
    .join(' ');
}

/** A DeviceTensor over onnxruntime's GPU tensor; only this module sees the onnxruntime object. */
class OrtDeviceTensor implements DeviceTensor {
  readonly location = 'device';
  readonly type = 'float32';
  private disposed = false;

  constructor(
    readonly tensor: OrtTypes.Tensor,
    readonly dims: readonly number[],
  ) {}

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.tensor.dispose();
  }

  /** The onnxruntime tensor to feed; a disposed tensor's buffer is gone. */
  feed(what: string): OrtTypes.Tensor {
    if (this.disposed) throw new RuntimeError(`${what}: a disposed device tensor was fed`);
    return this.tensor;
  }
}

function toOrt(ort: OrtModule, name: string, tensor: HostTensor | DeviceTensor): OrtTypes.Tensor {
  if (tensor instanceof OrtDeviceTensor) return tensor.feed(name);
  if ('location' in tensor) throw new RuntimeError(`${name}: a device tensor from another runtime was fed`);
  return new ort.Tensor(tensor.type, tensor.data, tensor.dims as number[]);
}

function fromOrt(name: string, sessionName: string, tensor: OrtTypes.Tensor): HostTensor {
  const dims = [...tensor.dims];
  if (tensor.type === 'float32') return { type: 'float32', data: tensor.data as Float32Array, dims };
  if (tensor.type === 'int64') return { type: 'int64', data: tensor.data as BigInt64Array, dims };
  throw new RuntimeError(`${sessionName}: output ${name} has unsupported type ${tensor.type}`);
}

class OrtSession implements Session {
  constructor(
    private readonly ort: OrtModule,
    private readonly session: OrtTypes.InferenceSession,
    readonly name: string,
    readonly deviceOutputs: readonly string[],
    private readonly profiling: boolean,
  ) {}

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  async run(feeds: Feeds, outputNames?: readonly string[]): Promise<Fetches> {
    const { host, device } = await this.runSplit(feeds, outputNames);
    const onDevice = Object.keys(device);
    if (onDevice.length > 0) {
      Object.values(device).forEach((tensor) => tensor.dispose());
      throw new RuntimeError(`${this.name}: outputs ${onDevice.join(', ')} are kept on the device; fetch them with runSplit`);
    }
    return host;
  }

  async runSplit(feeds: SplitFeeds, outputNames?: readonly string[]): Promise<SplitFetches> {
    const ortFeeds: Record<string, OrtTypes.Tensor> = {};
    for (const [name, tensor] of Object.entries(feeds)) ortFeeds[name] = toOrt(this.ort, `${this.name} ${name}`, tensor);
    let results: OrtTypes.InferenceSession.ReturnType;
    try {
      results = outputNames ? await this.session.run(ortFeeds, outputNames as string[]) : await this.session.run(ortFeeds);
    } catch (error) {
      const reason = messageOf(error);
      throw new RuntimeError(`${this.name}: inference failed: ${reason} (fed ${describeFeeds(feeds)})`, { cause: error });
    }
    const out: SplitFetches = { host: {}, device: {} };
    for (const [name, tensor] of Object.entries(results)) {
      if (tensor.location === 'gpu-buffer' && tensor.type === 'float32') {
        out.device[name] = new OrtDeviceTensor(tensor, [...tensor.dims]);
        continue;
      }
      // onnxruntime already hands back JS-owned arrays (copied out of the WASM heap or GPU), so they are kept, not copied.
      if (tensor.location !== 'cpu') throw new RuntimeError(`${this.name}: output ${name} is on ${tensor.location}, expected cpu`);
      out.host[name] = fromOrt(name, this.name, tensor);
    }
    return out;
  }

  async release(): Promise<void> {
    if (this.profiling) await this.session.endProfiling();
    await this.session.release();
  }
}

function defaultThreads(backend: Backend): number {
  if (backend === 'node') return 0; // onnxruntime-node picks its own pool
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const cores = (globalThis.navigator as Navigator | undefined)?.hardwareConcurrency ?? 1;
  return isolated ? Math.max(1, Math.min(4, cores)) : 1;
}

interface GpuDeviceLike {
  lost: Promise<{ reason?: string; message?: string }>;
}

/** Watches onnxruntime-web's GPU device (created with the first session) for loss. */
function watchDeviceLoss(ort: OrtModule): { lost: Promise<string>; watch(): void } {
  let resolveLost: (reason: string) => void = () => {};
  const lost = new Promise<string>((resolve) => (resolveLost = resolve));
  let watching = false;
  return {
    lost,
    watch() {
      if (watching) return;
      const device = (ort.env.webgpu as { device?: GpuDeviceLike | Promise<GpuDeviceLike> } | undefined)?.device;
      if (!device) return;
      watching = true;
      void Promise.resolve(device)
        .then((gpuDevice) => gpuDevice.lost)
        .then((info) => resolveLost(`the WebGPU device was lost (${info.reason ?? 'unknown'}${info.message ? `: ${info.message}` : ''})`))
        .catch(() => {});
    },
  };
}

/** Creates a runtime for one backend. Throws RuntimeError with the reason when it is unavailable. */
export async function createRuntime(backend: Backend, options: RuntimeOptions = {}): Promise<Runtime> {
  const ort = await importOrt(backend);
  const numThreads = options.numThreads ?? defaultThreads(backend);
  if (backend !== 'node') {
    ort.env.wasm.numThreads = numThreads;
    if (options.wasmPaths) ort.env.wasm.wasmPaths = options.wasmPaths;
  }
  let adapter: GpuAdapterSummary | undefined;
  if (backend === 'webgpu') {
    const probe = await probeWebGpu();
    if (!probe.ok) throw new RuntimeError(probe.reason);
    adapter = probe.adapter;
  }
  const executionProviders = backend === 'webgpu' ? ['webgpu'] : backend === 'wasm' ? ['wasm'] : ['cpu'];
  const description =
    backend === 'node' ? 'onnxruntime-node (native CPU)' : adapter ? `onnxruntime-web WebGPU on ${adapterLabel(adapter)}` : `onnxruntime-web WASM, ${numThreads} thread${numThreads === 1 ? '' : 's'}`;
  const deviceLoss = backend === 'webgpu' ? watchDeviceLoss(ort) : undefined;
  return {
    backend,
    description,
    ...(backend === 'wasm' ? { threads: numThreads } : {}),
    ...(adapter ? { adapter } : {}),
    ...(deviceLoss ? { deviceLost: deviceLoss.lost } : {}),
    async createSession(name: string, model: Uint8Array, sessionOptions: SessionOptions = {}): Promise<Session> {
      // Only WebGPU has a device memory worth keeping outputs in.
      const deviceOutputs = backend === 'webgpu' ? [...(sessionOptions.deviceOutputs ?? [])] : [];
      try {
        const session = await ort.InferenceSession.create(model, {
          executionProviders,
          graphOptimizationLevel: 'all',
          // Warnings (e.g. about unused initializers) would reach browsers' consoles as errors.
          logSeverityLevel: 3,
          ...(backend === 'node' && options.numThreads ? { intraOpNumThreads: options.numThreads } : {}),
          // Native only: no busy-waiting between ops/runs. The engine calls many small graphs per
          // step from JS; spinning pool threads starve the calling thread (musicgen-small blocks on
          // 2 cores: 27 ms per block spinning, 4 ms without; see README "Benchmarks").
          ...(backend === 'node' ? { extra: { session: { 'intra_op.allow_spinning': '0', 'inter_op.allow_spinning': '0' } } } : {}),
          ...(options.profiling ? { enableProfiling: true, profileFilePrefix: `${options.profiling.filePrefix}${name.replace(/[^\w.-]/g, '_')}` } : {}),
          ...(deviceOutputs.length > 0 ? { preferredOutputLocation: Object.fromEntries(deviceOutputs.map((output) => [output, 'gpu-buffer' as const])) } : {}),
        });
        deviceLoss?.watch();
        return new OrtSession(ort, session, name, deviceOutputs, options.profiling !== undefined);
      } catch (error) {
        const reason = messageOf(error);
        throw new RuntimeError(`${name}: could not create an onnxruntime session on ${backend}: ${reason}`, { cause: error });
      }
    },
  };
}
