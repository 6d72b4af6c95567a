/** The bench page: one worker per runner (each its own wasm heap), addressed by the bench's id. */
import * as Comlink from 'comlink';
import type { Workload } from '../../../src/bench/plan';
import type { BenchWorkerApi, BrowserRunnerJob } from './bench.worker';

interface Runner {
  worker: Worker;
  api: Comlink.Remote<BenchWorkerApi>;
}

const runners = new Map<string, Runner>();

function startWorker(name: string): Runner {
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name });
  return { worker, api: Comlink.wrap<BenchWorkerApi>(worker) };
}

function stop(runner: Runner): void {
  runner.api[Comlink.releaseProxy]();
  runner.worker.terminate();
}

function runner(id: string): Runner {
  const found = runners.get(id);
  if (!found) throw new Error(`no runner ${id}`);
  return found;
}

const page = window as unknown as Record<string, unknown>;
page.benchOpen = async (id: string, job: BrowserRunnerJob) => {
  const started = startWorker(id);
  runners.set(id, started);
  return started.api.open(job);
};
page.benchGeneration = (id: string) => runner(id).api.generation();
page.benchBlock = (id: string, workload: Workload, steps: number) => runner(id).api.block(workload, steps);
page.benchClose = async (id: string) => {
  const found = runners.get(id);
  if (!found) return;
  runners.delete(id);
  try {
    await found.api.close();
  } finally {
    stop(found);
  }
};
page.benchProbeWebGpu = async () => {
  const probe = startWorker('webgpu-probe');
  try {
    return await probe.api.probeWebGpu();
  } finally {
    stop(probe);
  }
};
page.benchReady = true;
