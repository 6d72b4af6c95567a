/**
 * The benchmark's browser side: times the plain 4 s generation on onnxruntime-web inside a Web
 * Worker (where the lab's engine runs), fetching the bundle from the bench's cache over HTTP.
 */
import * as Comlink from 'comlink';
import { urlBundleFiles } from '../../../src/bundle/bundleFiles';
import type { BackendRun } from '../../../src/bench/results';
import { timeSteps } from '../../../src/bench/timing';
import { trackWasmMemory, wasmHeapBytes } from '../../../src/bench/wasmHeap';
import { engineGeneration, plainRows, randomConditioning } from '../../../src/bench/workloads';
import { loadModel } from '../../../src/engine/loadedModel';
import { createRuntime } from '../../../src/runtime/ort';

trackWasmMemory(); // before onnxruntime-web creates its memory

export interface BenchJob {
  bundleUrl: string;
  backend: 'wasm' | 'webgpu';
  threads: number;
  frames: number;
  textTokens: number;
  seed: number;
}

export interface WebGpuProbe {
  adapter: { vendor: string; architecture: string; description: string; isFallbackAdapter: boolean } | null;
  reason?: string;
}

type GpuAdapterLike = { info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean }; isFallbackAdapter?: boolean };

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

  async run(job: BenchJob): Promise<BackendRun & { crossOriginIsolated: boolean }> {
    const runtime = await createRuntime(job.backend, { numThreads: job.threads });
    const started = performance.now();
    const model = await loadModel(urlBundleFiles(job.bundleUrl), runtime, { verify: false });
    const loadSeconds = (performance.now() - started) / 1000;
    try {
      const conditioning = randomConditioning(job.textTokens, model.manifest.config.textHiddenSize, job.seed);
      const plain = await timeSteps(engineGeneration(model, conditioning, job.frames, plainRows()));
      const heap = wasmHeapBytes();
      return { description: runtime.description, loadSeconds, plain, ...(heap ? { wasmHeapBytes: heap } : {}), crossOriginIsolated: self.crossOriginIsolated };
    } finally {
      await model.release();
    }
  },
};

export type BenchWorkerApi = typeof api;
Comlink.expose(api);
