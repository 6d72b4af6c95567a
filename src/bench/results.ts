/**
 * The bench's JSON result and the figures derived from it (pure): ratios as medians of alternated
 * measurements with min and max, peak memory against weights + KV cache, the sweep's cost per site,
 * and a real GPU's steps/s, real-time factor and bandwidth share. Every raw measurement is kept.
 */
import { adapterBandwidth, gpuFigures, type Bandwidth, type GpuFigures } from './gpu';
import { measurementValue, meetsTarget, type BackendKey, type Comparison, type ComparisonKey, type Target, type Workload } from './plan';
import { spread, type Spread } from './stats';
import { medianStepSeconds, type StepTiming } from './timing';
import { GPU_VARIANTS, VARIANTS, type VariantKey } from './variants';

/** One timed block: the first steps of a generation. sweepChunked: `timing` adds up its chunks step by step. */
export interface Block {
  workload: Workload;
  timing: StepTiming;
  chunks?: StepTiming[];
}

/** One runner (a variant on a backend, in its own process or worker). */
export interface RunnerRun {
  description: string;
  loadSeconds: number;
  /** Bytes of the graph files the runner loaded (its weights). */
  weightsBytes: number;
  /** One full plain generation (the clip length of the mode). */
  plain: StepTiming;
  rssAfterLoadBytes?: number; // Node: resident set right after loading
  peakRssBytes?: number; // Node: process peak after the full generation
  wasmHeapBytes?: number; // onnxruntime-web: wasm memory after the full generation
}

export type Outcome<T> = ({ status: 'ok' } & T) | { status: 'skipped' | 'failed'; reason: string };
export type RunnerEntry = Outcome<{ run: RunnerRun }>;
export type BackendEntry = Outcome<{ runners: Partial<Record<VariantKey, RunnerEntry>> }>;
export type BuildEntry = Outcome<{ seconds: number; cached: boolean; bytes: number }>;

export interface Measurement {
  comparison: string; // Comparison.id
  round: number;
  a: Block;
  b: Block;
  aSeconds: number; // median seconds per step of each block
  bSeconds: number;
  value: number;
}

export interface RatioResult {
  id: string;
  key: ComparisonKey;
  backend: BackendKey;
  label: string;
  measure: Comparison['measure'];
  target?: Target;
  spread: Spread | null; // null when a side could not run (reason says why)
  met: boolean | null; // null without a target or a value
  reason?: string;
}

export interface MemoryRatio {
  backend: BackendKey;
  variant: VariantKey;
  what: string; // "peak RSS" or "wasm heap"
  peakBytes: number;
  budgetBytes: number; // weights + KV cache
  value: number;
  target: Target;
  met: boolean;
}

export interface SweepCost {
  sites: number;
  /** Extra time per decoder step one site's row adds to the batched sweep: (sweep − plain) / sites, per measurement. */
  perSiteStepSeconds: Spread;
  oneBatchStepSeconds: number; // median over measurements
  chunkedStepSeconds: number | null;
  chunks: number | null;
  chunkedVsOneBatch: Spread | null;
}

export interface GpuRow {
  variant: VariantKey;
  weightsBytes: number;
  /** From the plain blocks (the "b" side of every lens and sweep measurement). */
  plain: GpuFigures & { stepsPerSecondSpread: Spread };
  lensStepsPerSecond: Spread | null;
  sweepStepsPerSecond: Spread | null;
}

export interface GpuReport {
  adapter: string;
  bandwidth: Bandwidth | null;
  rows: GpuRow[];
}

export interface BenchResults {
  mode: string;
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string; onnxruntime: string; browser?: string; nodeAllocator?: string };
  workload: { frames: number; steps: number; blockSteps: number; repeat: number; layers: number; lensRows: number; sweepRows: number; threads: number; textTokens: number };
  sizes: { kvCacheBytes: number };
  builds: Partial<Record<VariantKey, BuildEntry>>;
  backends: Record<BackendKey, BackendEntry>;
  measurements: Measurement[];
  ratios: RatioResult[];
  memory: MemoryRatio[];
  sweepCost: SweepCost | null;
  gpu: GpuReport | null;
}

export const MEMORY_TARGET: Target = { op: '<=', limit: 1.3 };

/** KV cache of a plain generation at its last step: L × (key, value) × 2 rows × h × steps × hd floats. */
export function kvCacheBytes(config: { numLayers: number; numHeads: number; headDim: number }, steps: number): number {
  return config.numLayers * 2 * 2 * config.numHeads * steps * config.headDim * 4;
}

/** A comparison's ratio: the median of its measurements, or the reason it has none. */
export function ratioResult(comparison: Comparison, measurements: readonly Measurement[], missing?: string): RatioResult {
  const values = measurements.filter((m) => m.comparison === comparison.id).map((m) => m.value);
  const base = { id: comparison.id, key: comparison.key, backend: comparison.backend, label: comparison.label, measure: comparison.measure, ...(comparison.target ? { target: comparison.target } : {}) };
  if (values.length === 0) return { ...base, spread: null, met: null, reason: missing ?? 'not measured' };
  const summary = spread(values);
  return { ...base, spread: summary, met: comparison.target ? meetsTarget(summary.median, comparison.target) : null };
}

export function runnerOf(backends: Record<BackendKey, BackendEntry>, backend: BackendKey, variant: VariantKey): RunnerRun | undefined {
  const entry = backends[backend];
  const runner = entry.status === 'ok' ? entry.runners[variant] : undefined;
  return runner?.status === 'ok' ? runner.run : undefined;
}

/** Peak memory of every per-layer runner on a CPU backend against its weights + the KV cache. */
export function memoryRatios(backends: Record<BackendKey, BackendEntry>, kvBytes: number): MemoryRatio[] {
  const out: MemoryRatio[] = [];
  for (const backend of ['native', 'wasmNode', 'wasmChromium'] as const) {
    const entry = backends[backend];
    if (entry.status !== 'ok') continue;
    for (const [variant, runner] of Object.entries(entry.runners) as [VariantKey, RunnerEntry][]) {
      if (runner.status !== 'ok' || VARIANTS[variant].layout !== 'per-layer') continue;
      const peak = backend === 'native' ? runner.run.peakRssBytes : runner.run.wasmHeapBytes;
      if (!peak) continue;
      const budget = runner.run.weightsBytes + kvBytes;
      const value = peak / budget;
      out.push({ backend, variant, what: backend === 'native' ? 'peak RSS' : 'wasm heap', peakBytes: peak, budgetBytes: budget, value, target: MEMORY_TARGET, met: meetsTarget(value, MEMORY_TARGET) });
    }
  }
  return out;
}

const of = (measurements: readonly Measurement[], id: string) => measurements.filter((m) => m.comparison === id);

/** The sweep's cost per site and chunked against one batch (issue 7), from the native measurements. */
export function sweepCost(measurements: readonly Measurement[], sites: number): SweepCost | null {
  const sweep = of(measurements, 'native.sweepVsPlain');
  if (sweep.length === 0) return null;
  const chunked = of(measurements, 'native.sweepChunkedVsOneBatch');
  return {
    sites,
    perSiteStepSeconds: spread(sweep.map((m) => (m.aSeconds - m.bSeconds) / sites)),
    oneBatchStepSeconds: spread(sweep.map((m) => m.aSeconds)).median,
    chunkedStepSeconds: chunked.length ? spread(chunked.map((m) => m.aSeconds)).median : null,
    chunks: chunked[0]?.a.chunks?.length ?? null,
    chunkedVsOneBatch: chunked.length ? spread(chunked.map((m) => m.value)) : null,
  };
}

/** A real GPU's figures per variant, from the WebGPU measurements (null when WebGPU did not run). */
export function gpuReport(backends: Record<BackendKey, BackendEntry>, measurements: readonly Measurement[], adapter: string | undefined, bandwidthOverride?: number): GpuReport | null {
  if (backends.webgpu.status !== 'ok' || !adapter) return null;
  const bandwidth = adapterBandwidth(adapter, bandwidthOverride);
  const rows: GpuRow[] = [];
  for (const variant of GPU_VARIANTS) {
    const run = runnerOf(backends, 'webgpu', variant);
    const lens = of(measurements, `webgpu.lensVsPlain.${variant}`);
    const sweep = of(measurements, `webgpu.sweepVsPlain.${variant}`);
    const plainSeconds = [...lens, ...sweep].map((m) => m.bSeconds);
    if (!run || plainSeconds.length === 0) continue;
    const plainSpread = spread(plainSeconds.map((s) => 1 / s));
    rows.push({
      variant,
      weightsBytes: run.weightsBytes,
      plain: { ...gpuFigures(run.weightsBytes, 1 / plainSpread.median, bandwidth), stepsPerSecondSpread: plainSpread },
      lensStepsPerSecond: lens.length ? spread(lens.map((m) => 1 / m.aSeconds)) : null,
      sweepStepsPerSecond: sweep.length ? spread(sweep.map((m) => 1 / m.aSeconds)) : null,
    });
  }
  return { adapter, bandwidth, rows };
}

/** One measurement from two timed blocks. */
export function measurement(comparison: Comparison, round: number, a: Block, b: Block): Measurement {
  const aSeconds = medianStepSeconds(a.timing);
  const bSeconds = medianStepSeconds(b.timing);
  return { comparison: comparison.id, round, a, b, aSeconds, bSeconds, value: measurementValue(comparison, aSeconds, bSeconds) };
}
