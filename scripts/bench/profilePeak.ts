/**
 * What this machine's onnxruntime sustains on one backend (src/bench/profile/peakGraphs.ts), in a
 * process of its own:   node --import tsx scripts/bench/profilePeak.ts <node|wasm> <threads> <rounds> <out.json>
 * Each round runs every graph once, in turn (alternated), after two warm-up runs each.
 */
import { writeFileSync } from 'node:fs';
import { peakGraphs } from '../../src/bench/profile/peakGraphs';
import type { PeakTimes } from '../../src/bench/profile/peaks';
import { createRuntime } from '../../src/runtime/ort';

const [backend, threads, rounds, out] = [process.argv[2] as 'node' | 'wasm', Number(process.argv[3]), Number(process.argv[4]), process.argv[5]];
const runtime = await createRuntime(backend, { numThreads: threads });
const graphs = peakGraphs();
const loaded = [];
for (const graph of graphs) {
  const session = await runtime.createSession(graph.kind, graph.bytes);
  const x = new Float32Array(graph.inputDims.reduce((a, b) => a * b, 1)).fill(0.25); // [rows, k]
  const run = () => session.run({ x: { type: 'float32', data: x, dims: graph.inputDims } });
  await run();
  await run();
  loaded.push({ graph, run, ms: [] as number[] });
}
for (let round = 0; round < rounds; round++) {
  for (const entry of loaded) {
    const started = performance.now();
    await entry.run();
    entry.ms.push(performance.now() - started);
  }
}
const result: PeakTimes[] = loaded.map(({ graph, ms }) => ({ kind: graph.kind, label: graph.label, flops: graph.flops, weightBytes: graph.weightBytes, ms }));
writeFileSync(out, JSON.stringify(result));
process.exit(0); // onnxruntime-web's thread pool would keep the process alive
