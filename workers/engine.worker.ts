/**
 * The engine worker: exposes the lab's engine service (src/lab/engineService.ts) to the UI
 * through comlink. Bundles are static folders over HTTP, or `stored:<id>` for a bundle in the
 * Origin Private File System; runtimes are onnxruntime-web's; the WebGPU adapter is probed here,
 * in the worker, where the sessions will run.
 */
import * as Comlink from 'comlink';
import { urlBundleFiles } from '../src/bundle/bundleFiles';
import { storedBundleFiles, storedBundleId } from '../src/bundle/storedBundleFiles';
import { createEngineService } from '../src/lab/engineService';
import { MeansStore } from '../src/analysis/means/meansStore';
import { createRuntime } from '../src/runtime/ort';
import { probeWebGpu } from '../src/runtime/webGpuAdapter';
import { createBundleStore } from '../src/storage/bundleStore';
import { openOpfsRoot } from '../src/storage/opfsDir';

function openBundle(bundleUrl: string) {
  const storedId = storedBundleId(bundleUrl);
  if (storedId !== undefined) {
    return storedBundleFiles(`stored model ${storedId}`, async () => {
      const root = await openOpfsRoot();
      return root === undefined ? undefined : createBundleStore(root).open(storedId);
    });
  }
  // A relative bundle URL means relative to the page's origin, not to this worker's script.
  return urlBundleFiles(new URL(bundleUrl, self.location.origin).href);
}

Comlink.expose(createEngineService({ openBundle, createRuntime: (backend) => createRuntime(backend), probeWebGpu, openMeansStore: () => MeansStore.open() }));
