/**
 * The classifier worker: exposes the classifier service (src/lab/classifierService.ts) to the UI
 * through comlink. Folders come from the hub or static URLs (hub bytes cached in the Cache API);
 * runtimes are onnxruntime-web's.
 */
import * as Comlink from 'comlink';
import { cacheStorageRangeCache } from '../src/checkpoint/browserCache';
import { classifierLocation } from '../src/classifier/classifierSource';
import { createClassifierService } from '../src/lab/classifierService';
import { createRuntime } from '../src/runtime/ort';
import { probeWebGpu } from '../src/runtime/webGpuAdapter';

const cache = cacheStorageRangeCache();

Comlink.expose(
  createClassifierService({
    // A relative folder URL means relative to the page's origin, not to this worker's script.
    openLocation: (source) => classifierLocation(source, `${self.location.origin}/`, { cache }),
    createRuntime: (backend) => createRuntime(backend),
    probeWebGpu,
  }),
);
