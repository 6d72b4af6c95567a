/**
 * Keeps a long CLI run's garbage bounded. onnxruntime hands back every output (the growing KV
 * cache included) as a fresh ArrayBuffer; V8 frees them only when its external-memory heuristics
 * say so, up to ~64 MiB later, and when depends on the run's history: a short run then peaks
 * lower than a long one. Collecting whenever dead buffers pass a limit makes the peak that of one
 * batch, whatever the number of batches. A full collection of the lab's small JS heap takes a few ms
 * (a minor one frees too little: the buffers live through a step and get promoted).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

function collect(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as typeof gc;
  }
  gc!();
}

/** A check to call often (every decoder step): collects when ArrayBuffer memory passes `limitBytes`. */
export function garbageGuard(limitBytes: number): () => void {
  return () => {
    if (process.memoryUsage().arrayBuffers > limitBytes) collect();
  };
}
