/**
 * WebGPU adapters as the lab sees them: asking the browser for one (in a page or a worker) and
 * describing it as plain data that crosses workers. No onnxruntime here.
 */
import { messageOf } from '../errorMessage';

/** What a WebGPU adapter says about itself (GPUAdapterInfo), as plain data that crosses workers. */
export interface GpuAdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU emulation (e.g. SwiftShader) rather than a GPU. */
  isFallbackAdapter: boolean;
}

/** The result of asking the browser for a WebGPU adapter: the adapter, or why there is none. */
export type WebGpuProbe = { ok: true; adapter: GpuAdapterSummary } | { ok: false; reason: string };

interface GpuAdapterLike {
  info?: Partial<GpuAdapterSummary>;
  isFallbackAdapter?: boolean;
}

/** Asks navigator.gpu for an adapter (in a page or a worker) and describes it; never throws. */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  const gpu = (globalThis.navigator as (Navigator & { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }) | undefined)?.gpu;
  if (!gpu) return { ok: false, reason: 'WebGPU is not available in this browser (navigator.gpu is missing)' };
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return { ok: false, reason: `WebGPU adapter request failed: ${messageOf(error)}` };
  }
  if (!adapter) return { ok: false, reason: 'WebGPU is available but no GPU adapter was found' };
  const info = adapter.info ?? {};
  return {
    ok: true,
    adapter: {
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      device: info.device ?? '',
      description: info.description ?? '',
      // Older Chromium puts the flag on the adapter, newer on adapter.info.
      isFallbackAdapter: info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
    },
  };
}

/** "vendor architecture" (or the description), e.g. "nvidia ampere", "google swiftshader". */
export function adapterLabel(adapter: GpuAdapterSummary): string {
  return [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') || adapter.description || 'unnamed adapter';
}
