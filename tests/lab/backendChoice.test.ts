import { describe, expect, it } from 'vitest';
import { judgeWebGpu, loadOnPreferredBackend, parseBackendPreference } from '../../src/lab/backendChoice';
import type { BrowserBackend } from '../../src/lab/workerApi';
import type { GpuAdapterSummary, WebGpuProbe } from '../../src/runtime/webGpuAdapter';

const NVIDIA: GpuAdapterSummary = { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100', isFallbackAdapter: false };
/** What headless Chromium with --enable-unsafe-webgpu reports on a machine without a GPU. */
const SWIFTSHADER: GpuAdapterSummary = { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: false };

const probeOf = (probe: WebGpuProbe) => async () => probe;
const realGpu = probeOf({ ok: true, adapter: NVIDIA });
const swiftShader = probeOf({ ok: true, adapter: SWIFTSHADER });
const noAdapter = probeOf({ ok: false, reason: 'WebGPU is available but no GPU adapter was found' });

/** A loader that records which backends were tried and can fail on some. */
function recordingLoader(failOn: BrowserBackend[] = []) {
  const tried: BrowserBackend[] = [];
  const loadOn = async (backend: BrowserBackend) => {
    tried.push(backend);
    if (failOn.includes(backend)) throw new Error(`${backend} failed`);
    return `model on ${backend}`;
  };
  return { tried, loadOn };
}

describe('judgeWebGpu', () => {
  it('accepts a real GPU adapter', () => {
    expect(judgeWebGpu({ ok: true, adapter: NVIDIA })).toEqual({ usable: true, adapter: NVIDIA });
  });

  it('refuses a fallback adapter, whatever its name', () => {
    const verdict = judgeWebGpu({ ok: true, adapter: { ...NVIDIA, isFallbackAdapter: true } });
    expect(verdict.usable).toBe(false);
    expect(!verdict.usable && verdict.reason).toMatch(/fallback adapter/);
  });

  it('refuses SwiftShader named in the architecture, vendor or description', () => {
    for (const adapter of [SWIFTSHADER, { ...NVIDIA, vendor: 'SwiftShader' }, { ...NVIDIA, description: 'Google SwiftShader Device (Subzero)' }]) {
      const verdict = judgeWebGpu({ ok: true, adapter });
      expect(verdict.usable).toBe(false);
      expect(!verdict.usable && verdict.reason).toMatch(/software renderer \(swiftshader\)/i);
    }
  });

  it('passes a missing adapter on with its reason', () => {
    expect(judgeWebGpu({ ok: false, reason: 'no navigator.gpu' })).toEqual({ usable: false, reason: 'no navigator.gpu' });
  });
});

describe('parseBackendPreference', () => {
  it('reads the three choices, case-insensitively, and defaults to auto', () => {
    expect(parseBackendPreference('webgpu')).toEqual({ preference: 'webgpu' });
    expect(parseBackendPreference('WASM')).toEqual({ preference: 'wasm' });
    expect(parseBackendPreference(null)).toEqual({ preference: 'auto' });
    expect(parseBackendPreference('')).toEqual({ preference: 'auto' });
  });

  it('turns an unknown value into auto with a message naming it', () => {
    const { preference, problem } = parseBackendPreference('cuda');
    expect(preference).toBe('auto');
    expect(problem).toBe('Unknown backend "cuda" in the link: using auto (choices: auto, webgpu, wasm).');
  });
});

describe('loadOnPreferredBackend', () => {
  it('auto uses WebGPU on a real adapter', async () => {
    const { tried, loadOn } = recordingLoader();
    expect(await loadOnPreferredBackend('auto', realGpu, loadOn)).toEqual({ value: 'model on webgpu', backend: 'webgpu', adapter: NVIDIA });
    expect(tried).toEqual(['webgpu']);
  });

  it('auto goes straight to WASM on SwiftShader, without trying WebGPU, and says why', async () => {
    const { tried, loadOn } = recordingLoader();
    const choice = await loadOnPreferredBackend('auto', swiftShader, loadOn);
    expect(choice).toMatchObject({ value: 'model on wasm', backend: 'wasm', adapter: SWIFTSHADER });
    expect(choice.fallbackReason).toMatch(/software renderer \(swiftshader\)/);
    expect(tried).toEqual(['wasm']);
  });

  it('auto goes to WASM without an adapter, with the probe reason', async () => {
    const { loadOn } = recordingLoader();
    expect(await loadOnPreferredBackend('auto', noAdapter, loadOn)).toEqual({ value: 'model on wasm', backend: 'wasm', fallbackReason: 'WebGPU is available but no GPU adapter was found' });
  });

  it('auto falls back to WASM when loading on a real adapter fails, with that error', async () => {
    const { tried, loadOn } = recordingLoader(['webgpu']);
    expect(await loadOnPreferredBackend('auto', realGpu, loadOn)).toEqual({ value: 'model on wasm', backend: 'wasm', adapter: NVIDIA, fallbackReason: 'webgpu failed' });
    expect(tried).toEqual(['webgpu', 'wasm']);
  });

  it('an explicit webgpu runs even on SwiftShader, and its error is not hidden', async () => {
    const ok = recordingLoader();
    expect(await loadOnPreferredBackend('webgpu', swiftShader, ok.loadOn)).toEqual({ value: 'model on webgpu', backend: 'webgpu', adapter: SWIFTSHADER });
    const failing = recordingLoader(['webgpu']);
    await expect(loadOnPreferredBackend('webgpu', realGpu, failing.loadOn)).rejects.toThrow('webgpu failed');
    expect(failing.tried).toEqual(['webgpu']);
  });

  it('an explicit wasm never probes WebGPU', async () => {
    const { loadOn } = recordingLoader();
    const probe = async (): Promise<WebGpuProbe> => {
      throw new Error('probed');
    };
    expect(await loadOnPreferredBackend('wasm', probe, loadOn)).toEqual({ value: 'model on wasm', backend: 'wasm' });
  });

  it('reports the WASM error when both backends fail', async () => {
    const { loadOn } = recordingLoader(['webgpu', 'wasm']);
    await expect(loadOnPreferredBackend('auto', realGpu, loadOn)).rejects.toThrow('wasm failed');
  });
});
