/**
 * One runner in its own Node process (so its peak RSS is its own), driven over IPC by
 * scripts/bench/nodeRunners.ts:   node --import tsx scripts/bench/nodeRunner.ts <job.json> <label>
 */
import { readFileSync } from 'node:fs';
import { openRunner, type OpenedRunner, type RunnerJob } from '../../src/bench/runner';
import { trackWasmMemory, wasmHeapBytes } from '../../src/bench/wasmHeap';
import { nodeBundleFiles } from '../../src/bundle/nodeBundleFiles';
import { createRuntime } from '../../src/runtime/ort';
import { peakRssBytes } from './processMemory';
import type { GenerationInfo, OpenInfo, RunnerReply, RunnerRequest } from './protocol';

export interface NodeRunnerJob extends RunnerJob {
  backend: 'node' | 'wasm';
  bundleDir: string;
  /** The folder of a merged or fused variant's graph. */
  graphDir?: string;
}

const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as NodeRunnerJob;
if (job.backend === 'wasm') trackWasmMemory(); // before onnxruntime-web creates its memory
let runner: OpenedRunner | undefined;

const opened = (): OpenedRunner => {
  if (!runner) throw new Error('runner not opened');
  return runner;
};

async function handle(request: RunnerRequest): Promise<unknown> {
  switch (request.op) {
    case 'open': {
      const runtime = await createRuntime(job.backend, { numThreads: job.threads });
      runner = await openRunner(job, runtime, nodeBundleFiles(job.bundleDir), job.graphDir ? nodeBundleFiles(job.graphDir) : undefined);
      return { description: runner.description, loadSeconds: runner.loadSeconds, weightsBytes: runner.weightsBytes, rssAfterLoadBytes: process.memoryUsage().rss } satisfies OpenInfo;
    }
    case 'generation': {
      const plain = await opened().generation();
      const heap = job.backend === 'wasm' ? wasmHeapBytes() : 0;
      return { plain, peakRssBytes: peakRssBytes(), ...(heap ? { wasmHeapBytes: heap } : {}) } satisfies GenerationInfo;
    }
    case 'block':
      return opened().block(request.workload, request.steps);
    case 'close':
      await runner?.release();
      return null;
  }
}

// One request at a time: the bench waits for each answer before it sends the next.
process.on('message', (request: RunnerRequest) => {
  handle(request).then(
    (value) => {
      process.send!({ id: request.id, ok: true, value } satisfies RunnerReply);
      // onnxruntime-web's thread pool would keep the process alive.
      if (request.op === 'close') process.disconnect();
    },
    (error: unknown) => {
      process.stderr.write(`  [${process.argv[3]}] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.send!({ id: request.id, ok: false, error: error instanceof Error ? error.message.split('\n')[0] : String(error) } satisfies RunnerReply);
    },
  );
});
process.on('disconnect', () => process.exit(0));
