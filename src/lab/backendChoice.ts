/**
 * Which onnxruntime-web backend the lab runs on. `auto` takes WebGPU only on a real GPU adapter:
 * a fallback or software adapter (SwiftShader, what a GPU-less machine or a blocklisted driver
 * gives) is a CPU emulation, measured 13-15x slower than multi-threaded WASM, so auto goes to WASM
 * and keeps the reason for the UI. The rules are pure; probing and loading are passed in.
 */
import type { GpuAdapterSummary, WebGpuProbe } from '../runtime/webGpuAdapter';
import type { BackendPreference, BrowserBackend } from './workerApi';
import { messageOf } from '../errorMessage';

export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'webgpu', 'wasm'];

export interface BackendChoice<T> {
  value: T;
  backend: BrowserBackend;
  /** The adapter WebGPU runs on, or the one auto passed over. */
  adapter?: GpuAdapterSummary;
  /** Why WebGPU was skipped or failed; absent when WebGPU runs, or when WASM was asked for. */
  fallbackReason?: string;
}

export type WebGpuVerdict = { usable: true; adapter: GpuAdapterSummary } | { usable: false; reason: string; adapter?: GpuAdapterSummary };

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|software|microsoft basic render/i;

/** Whether auto may run on this probe's adapter, and if not, why (in words for the header). */
export function judgeWebGpu(probe: WebGpuProbe): WebGpuVerdict {
  if (!probe.ok) return { usable: false, reason: probe.reason };
  const { adapter } = probe;
  const named = [adapter.vendor, adapter.architecture, adapter.description, adapter.device].join(' ');
  const software = SOFTWARE_RENDERER.exec(named)?.[0];
  if (adapter.isFallbackAdapter || software) {
    const what = software ? `a software renderer (${software})` : 'a fallback adapter';
    return { usable: false, adapter, reason: `the only WebGPU adapter is ${what}, a CPU emulation far slower than multi-threaded WASM` };
  }
  return { usable: true, adapter };
}

/** Reads a `?backend=` value; anything else falls back to auto with a message that says so. */
export function parseBackendPreference(value: string | null): { preference: BackendPreference; problem?: string } {
  if (value === null || value === '') return { preference: 'auto' };
  const preference = BACKEND_PREFERENCES.find((known) => known === value.toLowerCase());
  if (preference) return { preference };
  return { preference: 'auto', problem: `Unknown backend "${value}" in the link: using auto (choices: ${BACKEND_PREFERENCES.join(', ')}).` };
}


/**
 * Loads on the preferred backend. `auto` probes WebGPU first: a missing, fallback or software
 * adapter sends it straight to WASM; a real adapter is tried, and any failure there (an unsupported
 * operator, out of GPU memory, disagreement with WASM) falls back to WASM with that error as the
 * reason. An explicit preference is tried alone, even on a software adapter: a user who asks for
 * WebGPU wants it, or its error, not a silent switch.
 */
export async function loadOnPreferredBackend<T>(
  preference: BackendPreference,
  probeWebGpu: () => Promise<WebGpuProbe>,
  loadOn: (backend: BrowserBackend) => Promise<T>,
): Promise<BackendChoice<T>> {
  if (preference === 'wasm') return { value: await loadOn('wasm'), backend: 'wasm' };
  const verdict = judgeWebGpu(await probeWebGpu());
  const adapter = verdict.adapter ? { adapter: verdict.adapter } : {};
  if (preference === 'webgpu') return { value: await loadOn('webgpu'), backend: 'webgpu', ...adapter };
  if (!verdict.usable) return { value: await loadOn('wasm'), backend: 'wasm', ...adapter, fallbackReason: verdict.reason };
  try {
    return { value: await loadOn('webgpu'), backend: 'webgpu', ...adapter };
  } catch (error) {
    return { value: await loadOn('wasm'), backend: 'wasm', ...adapter, fallbackReason: messageOf(error) };
  }
}
