import { describe, expect, it } from 'vitest';
import { memoryBundleFiles } from '../../src/bundle/bundleFiles';
import { BlockIO } from '../../src/bundle/graphContract';
import { checkBackendAgreement } from '../../src/engine/backendCheck';
import { createRuntime, type Runtime, type Session } from '../../src/runtime/ort';
import { goldenBundle } from './goldenEngine';

describe('checkBackendAgreement', () => {
  it('accepts two backends that compute the same thing', async () => {
    const { files, manifest } = await goldenBundle();
    const result = await checkBackendAgreement(memoryBundleFiles('golden', files), manifest, await createRuntime('wasm'), await createRuntime('node'));
    expect(result.ok).toBe(true);
    expect(result.maxAbsDiff).toBeLessThan(1e-4);
  });

  it('rejects a backend whose block output is wrong (the "loud hum" failure)', async () => {
    const { files, manifest } = await goldenBundle();
    const node = await createRuntime('node');
    // A runtime whose block sessions return a corrupted residual stream.
    const broken: Runtime = {
      backend: 'webgpu',
      description: 'broken GPU',
      async createSession(name, model) {
        const inner = await node.createSession(name, model);
        if (!name.startsWith('block_')) return inner;
        const session: Session = {
          name,
          inputNames: inner.inputNames,
          outputNames: inner.outputNames,
          release: () => inner.release(),
          async run(feeds, outputs) {
            const out = await inner.run(feeds, outputs);
            const resid = out[BlockIO.residPost];
            if (resid.type === 'float32') resid.data.fill(0.25);
            return out;
          },
        };
        return session;
      },
    };
    const result = await checkBackendAgreement(memoryBundleFiles('golden', files), manifest, broken, node);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/broken GPU vs onnxruntime-node/);
  });
});
