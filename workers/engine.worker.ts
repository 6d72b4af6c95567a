/**
 * The engine worker: exposes the lab's engine service (src/lab/engineService.ts) to the UI
 * through comlink. Bundles are static folders over HTTP; runtimes are onnxruntime-web's; the
 * WebGPU adapter is probed here, in the worker, where the sessions will run.
 */
import * as Comlink from 'comlink';
import { urlBundleFiles } from '../src/bundle/bundleFiles';
import { createEngineService } from '../src/lab/engineService';
import { createRuntime, probeWebGpu } from '../src/runtime/ort';

Comlink.expose(
  createEngineService({
    // A relative bundle URL means relative to the page's origin, not to this worker's script.
    openBundle: (bundleUrl) => urlBundleFiles(new URL(bundleUrl, self.location.origin).href),
    createRuntime: (backend) => createRuntime(backend),
    probeWebGpu,
  }),
);
