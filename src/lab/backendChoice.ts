/**
 * Which onnxruntime-web backend the lab runs on: WebGPU first (when the browser has an adapter and
 * the model loads there), else WASM, remembering why WebGPU was not used so the UI can say so.
 */
import type { BackendPreference, BrowserBackend } from './workerApi';

export interface BackendChoice<T> {
  value: T;
  backend: BrowserBackend;
  /** Why WebGPU was skipped or failed; absent when WebGPU runs, or when WASM was asked for. */
  fallbackReason?: string;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `loadOn('webgpu')` and falls back to `loadOn('wasm')` on any failure (no adapter, an
 * unsupported operator, out of GPU memory). An explicit preference is tried alone: a user who asks
 * for WebGPU wants its error, not a silent switch.
 */
export async function loadOnPreferredBackend<T>(preference: BackendPreference, loadOn: (backend: BrowserBackend) => Promise<T>): Promise<BackendChoice<T>> {
  if (preference !== 'auto') return { value: await loadOn(preference), backend: preference };
  try {
    return { value: await loadOn('webgpu'), backend: 'webgpu' };
  } catch (error) {
    const fallbackReason = reasonOf(error);
    return { value: await loadOn('wasm'), backend: 'wasm', fallbackReason };
  }
}
