/**
 * The benchmark's browser side: one runner (src/bench/runner.ts) per worker, where the lab's
 * engine runs, fetching the bundle from the bench's cache over HTTP; or a WebGPU probe.
 */
import * as Comlink from 'comlink';
import { urlBundleFiles } from '../../../src/bundle/bundleFiles';
import type { WebGpuProbe } from '../../../src/bench/gpu';
import type { Workload } from '../../../src/bench/plan';
import { openRunner, type OpenedRunner, type RunnerJob } from '../../../src/bench/runner';
import { trackWasmMemory, wasmHeapBytes } from '../../../src/bench/wasmHeap';
import { createRuntime } from '../../../src/runtime/ort';
import type { GenerationInfo, OpenInfo } from '../../../scripts/bench/protocol';

trackWasmMemory(); // before onnxruntime-web creates its memory

export interface BrowserRunnerJob extends RunnerJob {
  backend: 'wasm' | 'webgpu';
  bundleUrl: string;
  mergedUrl?: string;
}

type GpuAdapterLike = { info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean }; isFallbackAdapter?: boolean };

let runner: OpenedRunner | undefined;
let backend: BrowserRunnerJob['backend'] = 'wasm';

const opened = (): OpenedRunner => {
  if (!runner) throw new Error('runner not opened');
  return runner;
};

const api = {
  async probeWebGpu(): Promise<WebGpuProbe> {
    const gpu = (self.navigator as Navigator & { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
    if (!gpu) return { adapter: null, reason: 'navigator.gpu is missing in the worker' };
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { adapter: null, reason: 'requestAdapter() returned null' };
    const info = adapter.info ?? {};
    return {
      adapter: {
        vendor: info.vendor ?? '',
        architecture: info.architecture ?? '',
        description: info.description ?? '',
        isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
      },
    };
  },

  async open(job: BrowserRunnerJob): Promise<OpenInfo> {
    if (job.backend === 'wasm' && !self.crossOriginIsolated) throw new Error('the worker is not cross-origin isolated: WASM threads are off');
    backend = job.backend;
    const runtime = await createRuntime(job.backend, { numThreads: job.threads });
    runner = await openRunner(job, runtime, urlBundleFiles(job.bundleUrl), job.mergedUrl ? urlBundleFiles(job.mergedUrl) : undefined);
    return { description: runner.description, loadSeconds: runner.loadSeconds, weightsBytes: runner.weightsBytes };
  },

  async generation(): Promise<GenerationInfo> {
    const plain = await opened().generation();
    const heap = backend === 'wasm' ? wasmHeapBytes() : 0;
    return { plain, ...(heap ? { wasmHeapBytes: heap } : {}) };
  },

  block: (workload: Workload, steps: number) => opened().block(workload, steps),

  async close(): Promise<void> {
    await runner?.release();
    runner = undefined;
  },
};

export type BenchWorkerApi = typeof api;
Comlink.expose(api);
