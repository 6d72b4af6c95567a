/** The bench page: one fresh worker per call, so each backend gets its own wasm heap. */
import * as Comlink from 'comlink';
import type { BenchJob, BenchWorkerApi } from './bench.worker';

async function withWorker<T>(use: (api: Comlink.Remote<BenchWorkerApi>) => Promise<T>): Promise<T> {
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: 'bench' });
  const api = Comlink.wrap<BenchWorkerApi>(worker);
  try {
    return await use(api);
  } finally {
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}

const page = window as unknown as Record<string, unknown>;
page.benchRun = (job: BenchJob) => withWorker((api) => api.run(job));
page.benchProbeWebGpu = () => withWorker((api) => api.probeWebGpu());
page.benchReady = true;
