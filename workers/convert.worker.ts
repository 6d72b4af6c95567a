/**
 * The convert worker: downloads MusicGen checkpoints and converts them into lab bundles in the
 * Origin Private File System (src/lab/convertService.ts), off the page's main thread.
 */
import * as Comlink from 'comlink';
import { createConvertService } from '../src/lab/convertService';
import { openOpfsRoot } from '../src/storage/opfsDir';

async function hasShaderF16(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ features: ReadonlySet<string> } | null> } }).gpu;
  const adapter = await gpu?.requestAdapter().catch(() => null);
  return adapter?.features.has('shader-f16') ?? false;
}

Comlink.expose(
  createConvertService({
    openStorage: () => openOpfsRoot(),
    fetch: (input, init) => fetch(input, init),
    hasShaderF16,
    estimate: async () => {
      const estimate = await navigator.storage?.estimate?.();
      return estimate?.quota === undefined ? null : { usage: estimate.usage ?? 0, quota: estimate.quota };
    },
  }),
);
