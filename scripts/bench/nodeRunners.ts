/** The bench's side of a Node runner: a child process (its own RSS) answering requests over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeRunnerJob } from './nodeRunner';
import type { GenerationInfo, OpenInfo, RunnerHandle, RunnerReply, RunnerRequest } from './protocol';

/**
 * glibc's malloc raises its mmap threshold after large frees, so the load-time transients of the
 * model graphs (file bytes, protobuf copies) stay resident: 2.5 GiB instead of 1.9 GiB after loading
 * musicgen-small on onnxruntime-node, at the same speed (README, Benchmarks). A fixed threshold
 * returns them to the OS. An explicit setting in the environment wins.
 */
export const NODE_RUNNER_ALLOCATOR = { MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? String(1 << 20) };

/** Runners alive now: a stopped runner cannot see its parent go, so the parent takes them down. */
const live = new Set<ChildProcess>();
let cleanupInstalled = false;

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.once(name, () => {
      for (const child of live) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

type Request = RunnerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export function startNodeRunner(root: string, job: NodeRunnerJob, label: string): RunnerHandle {
  const jobPath = join(tmpdir(), `musicgen-lab-runner-${process.pid}-${label}.json`);
  writeFileSync(jobPath, JSON.stringify(job));
  const child = fork(join(root, 'scripts/bench/nodeRunner.ts'), [jobPath, label], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...NODE_RUNNER_ALLOCATOR },
  });
  installCleanup();
  live.add(child);
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let exited: string | undefined;
  let nextId = 0;
  child.on('message', (reply: RunnerReply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.value);
    else waiter?.reject(new Error(reply.error));
  });
  child.on('exit', (code, signal) => {
    live.delete(child);
    rmSync(jobPath, { force: true });
    exited = `${label} runner exited (${signal ?? `code ${code}`})`;
    for (const waiter of pending.values()) waiter.reject(new Error(exited));
    pending.clear();
  });
  // An idle onnxruntime-web process keeps using CPU (~14 % of a core measured here, its thread
  // pool polling); runners wait stopped, so only the runner being timed uses the machine.
  const signal = (name: 'SIGSTOP' | 'SIGCONT') => {
    if (!exited) child.kill(name);
  };
  const call = async <T>(request: Request): Promise<T> => {
    if (exited) throw new Error(exited);
    const id = nextId++;
    signal('SIGCONT');
    try {
      return await new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, ...request });
      });
    } finally {
      if (request.op !== 'close') signal('SIGSTOP');
    }
  };
  return {
    open: () => call<OpenInfo>({ op: 'open' }),
    generation: () => call<GenerationInfo>({ op: 'generation' }),
    block: (workload, steps) => call({ op: 'block', workload, steps }),
    async close() {
      if (exited) return;
      const gone = new Promise<void>((done) => child.once('exit', () => done()));
      await call({ op: 'close' }).catch(() => undefined);
      await gone;
    },
  };
}
