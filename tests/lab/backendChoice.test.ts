import { describe, expect, it } from 'vitest';
import { loadOnPreferredBackend } from '../../src/lab/backendChoice';
import type { BrowserBackend } from '../../src/lab/workerApi';

describe('loadOnPreferredBackend', () => {
  it('uses WebGPU when it loads', async () => {
    const tried: BrowserBackend[] = [];
    const choice = await loadOnPreferredBackend('auto', async (backend) => (tried.push(backend), `model on ${backend}`));
    expect(choice).toEqual({ value: 'model on webgpu', backend: 'webgpu' });
    expect(tried).toEqual(['webgpu']);
  });

  it('falls back to WASM with the WebGPU error as the reason', async () => {
    const choice = await loadOnPreferredBackend('auto', async (backend) => {
      if (backend === 'webgpu') throw new Error('WebGPU is available but no GPU adapter was found');
      return 'model on wasm';
    });
    expect(choice).toEqual({ value: 'model on wasm', backend: 'wasm', fallbackReason: 'WebGPU is available but no GPU adapter was found' });
  });

  it('tries an explicit backend alone and passes its error through', async () => {
    const tried: BrowserBackend[] = [];
    const failing = loadOnPreferredBackend('webgpu', async (backend) => {
      tried.push(backend);
      throw new Error('no adapter');
    });
    await expect(failing).rejects.toThrow('no adapter');
    expect(tried).toEqual(['webgpu']);
    expect(await loadOnPreferredBackend('wasm', async (backend) => backend)).toEqual({ value: 'wasm', backend: 'wasm' });
  });

  it('reports the WASM error when both backends fail', async () => {
    const failing = loadOnPreferredBackend('auto', async (backend) => {
      throw new Error(`${backend} failed`);
    });
    await expect(failing).rejects.toThrow('wasm failed');
  });
});
