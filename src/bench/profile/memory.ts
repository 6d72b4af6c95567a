/**
 * Where a runner's memory goes (issue 10's memory target, peak ≤ 1.3 × (weights + KV cache)):
 * the Node process and onnxruntime before any session, the growth while the sessions are created
 * against the weights they hold, and the peak over the profiled steps.
 */
import type { ProfileRunResult } from './job';

const MiB = 2 ** 20;
const mib = (bytes: number) => `${Math.round(bytes / MiB)} MiB`;

export interface MemoryBreakdown {
  weightsBytes: number; // the graphs' bytes (embed, blocks, cross_kv, head)
  baselineBytes: number; // RSS with onnxruntime loaded and no session (native); 0 for the WASM heap
  /** Growth while the sessions were created (RSS natively, the wasm heap on WASM), ÷ weights. */
  loadGrowthPerWeightByte: number;
  peakBytes: number; // peak RSS natively, the wasm heap (it only grows) on WASM
  /** peak ÷ (weights + KV), and the same without the baseline. */
  peakRatio: number;
  peakRatioAboveBaseline: number;
}

export function memoryBreakdown(result: ProfileRunResult, backend: 'node' | 'wasm', kvBytes: number): MemoryBreakdown {
  const { sessions } = result;
  if (sessions.length === 0) throw new Error('no sessions were created');
  const weightsBytes = sessions.reduce((sum, s) => sum + s.modelBytes, 0);
  const native = backend === 'node';
  const baselineBytes = native ? result.rssWithRuntimeBytes : 0;
  const loaded = native ? sessions[sessions.length - 1].rssBytes : sessions[sessions.length - 1].wasmHeapBytes;
  const peakBytes = native ? result.peakRssBytes : result.wasmHeapBytes;
  return {
    weightsBytes,
    baselineBytes,
    loadGrowthPerWeightByte: (loaded - baselineBytes) / weightsBytes,
    peakBytes,
    peakRatio: peakBytes / (weightsBytes + kvBytes),
    peakRatioAboveBaseline: (peakBytes - baselineBytes) / (weightsBytes + kvBytes),
  };
}

export function memoryLines(result: ProfileRunResult, backend: 'node' | 'wasm', kvBytes: number): string[] {
  const m = memoryBreakdown(result, backend, kvBytes);
  const r = (x: number) => x.toFixed(2);
  if (backend === 'node') {
    return [
      `memory (native RSS): Node alone ${mib(result.rssAtStartBytes)}, with onnxruntime loaded and no session ${mib(m.baselineBytes)}; ` +
        `loading ${mib(m.weightsBytes)} of graphs added ${r(m.loadGrowthPerWeightByte)} bytes per weight byte; peak ${mib(m.peakBytes)} = ${r(m.peakRatio)} × (weights + KV ${mib(kvBytes)}), ` +
        `${r(m.peakRatioAboveBaseline)} × without the baseline`,
    ];
  }
  return [
    `memory (wasm heap): ${mib(m.weightsBytes)} of graphs grew the heap to ${mib(result.sessions[result.sessions.length - 1].wasmHeapBytes)} (${r(m.loadGrowthPerWeightByte)} bytes per weight byte); ` +
      `peak ${mib(m.peakBytes)} = ${r(m.peakRatio)} × (weights + KV ${mib(kvBytes)}); Node RSS ${mib(result.peakRssBytes)} at peak`,
  ];
}
