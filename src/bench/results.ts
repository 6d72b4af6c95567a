/** The benchmark's JSON result, the ratios derived from it, their targets, and the printed table. */
import type { StepTiming } from './timing';
import { median, secondsPerStep } from './timing';

/** What one backend's runner reports (node and wasm in a child process, Chromium in a worker). */
export interface BackendRun {
  description: string;
  loadSeconds: number;
  plain: StepTiming; // the full plain generation
  peakRssBytes?: number; // process peak after the plain generation (Node)
  rssAfterLoadBytes?: number; // resident set right after loading (Node)
  wasmHeapBytes?: number; // wasm memory after the plain generation (onnxruntime-web)
  /**
   * The same generation through merged_decoder.onnx, timed alternately with the per-layer engine
   * (per-layer, merged, per-layer again, merged again) so slow drift of the machine hits both sides.
   */
  merged?: { first: StepTiming; second: StepTiming; perLayerBetween: StepTiming };
  /** First heavySteps steps of each; the plain run is timed right before and right after the batched one. */
  lens?: { batched: StepTiming; plain: StepTiming; plainAfter: StepTiming };
  /** `chunks`: the same sweep rows in the chunks a 1 GiB budget gives, run one after another. */
  sweep?: { batched: StepTiming; plain: StepTiming; plainAfter: StepTiming; chunks?: StepTiming[] };
}

export type BackendKey = 'native' | 'wasmNode' | 'wasmChromium' | 'webgpu';
export type BackendEntry = { status: 'ok'; run: BackendRun } | { status: 'skipped' | 'failed'; reason: string };

export interface BenchResults {
  mode: string;
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string; onnxruntime: string; browser?: string; nodeAllocator?: string };
  workload: { frames: number; steps: number; heavySteps: number; layers: number; lensRows: number; sweepRows: number; threads: number; textTokens: number };
  sizes: { weightsBytes: number; mergedGraphBytes: number; kvCacheBytes: number };
  backends: Record<BackendKey, BackendEntry>;
  ratios: Ratio[];
}

export interface Ratio {
  key: 'chromiumVsNative' | 'wasmNodeVsNative' | 'perLayerVsMerged' | 'lensVsPlain' | 'sweepVsPlain' | 'memoryNative' | 'memoryWasmNode' | 'memoryChromium';
  label: string;
  backend: string;
  value: number | null; // null when a side is missing (reason says why)
  target: { op: '>=' | '<='; limit: number };
  met: boolean | null;
  detail: string;
  reason?: string;
}

export const RATIO_KEYS: readonly Ratio['key'][] = ['chromiumVsNative', 'wasmNodeVsNative', 'perLayerVsMerged', 'lensVsPlain', 'sweepVsPlain', 'memoryNative', 'memoryWasmNode', 'memoryChromium'];

export function stepsPerSecond(timing: StepTiming): number {
  return 1 / secondsPerStep(timing);
}

/**
 * Median seconds per step over one or more timings of the same workload (warm-up steps dropped):
 * the ratios use it because other processes on a shared machine add long outlier steps.
 */
export function medianStepSeconds(...timings: StepTiming[]): number {
  return median(timings.flatMap((t) => (t.stepSeconds.length > 1 ? t.stepSeconds.slice(1) : t.stepSeconds)));
}

/** KV cache of a plain generation at its last step: L × (key, value) × 2 rows × h × steps × hd floats. */
export function kvCacheBytes(config: { numLayers: number; numHeads: number; headDim: number }, steps: number): number {
  return config.numLayers * 2 * 2 * config.numHeads * steps * config.headDim * 4;
}

function ok(entry: BackendEntry | undefined): BackendRun | undefined {
  return entry?.status === 'ok' ? entry.run : undefined;
}

function whyMissing(entry: BackendEntry | undefined, what: string): string {
  return entry && entry.status !== 'ok' ? `${what} ${entry.status}: ${entry.reason}` : `${what} not measured`;
}

function ratio(key: Ratio['key'], label: string, backend: string, value: number | null, op: '>=' | '<=', limit: number, detail: string, reason?: string): Ratio {
  const met = value === null ? null : op === '>=' ? value >= limit : value <= limit;
  return { key, label, backend, value, target: { op, limit }, met, detail, ...(reason ? { reason } : {}) };
}

const ms = (seconds: number) => `${(seconds * 1000).toFixed(1)} ms`;
const gib = (bytes: number) => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`);

/** Every ratio the issue asks for, computed from the backends' runs. */
export function computeRatios(backends: Record<BackendKey, BackendEntry>, sizes: BenchResults['sizes'], heavySteps: number): Ratio[] {
  const native = ok(backends.native);
  const out: Ratio[] = [];
  for (const [key, backendKey, label] of [
    ['chromiumVsNative', 'wasmChromium', 'web WASM in Chromium vs native (steps/s)'],
    ['wasmNodeVsNative', 'wasmNode', 'web WASM in Node vs native (steps/s)'],
  ] as const) {
    const web = ok(backends[backendKey]);
    if (web && native) {
      const [webStep, nativeStep] = [medianStepSeconds(web.plain), medianStepSeconds(native.plain)];
      out.push(ratio(key, label, `${web.description} / native`, nativeStep / webStep, '>=', 0.6, `median ${ms(webStep)} vs ${ms(nativeStep)} per step`));
    } else {
      out.push(ratio(key, label, backendKey, null, '>=', 0.6, '', web ? whyMissing(backends.native, 'native') : whyMissing(backends[backendKey], backendKey)));
    }
  }
  const nativeDesc = native?.description ?? 'native';
  if (native?.merged) {
    const split = medianStepSeconds(native.plain, native.merged.perLayerBetween);
    const merged = medianStepSeconds(native.merged.first, native.merged.second);
    out.push(ratio('perLayerVsMerged', 'per-layer graphs vs one merged graph (time/step)', nativeDesc, split / merged, '<=', 1.15, `median ${ms(split)} vs ${ms(merged)} per step, two full generations each, alternated`));
  } else out.push(ratio('perLayerVsMerged', 'per-layer graphs vs one merged graph (time/step)', nativeDesc, null, '<=', 1.15, '', whyMissing(backends.native, 'native')));
  for (const [key, label, limit, pick] of [
    ['lensVsPlain', 'DecoderLens, all depths in one batch vs one plain generation', 3, (run: BackendRun) => run.lens],
    ['sweepVsPlain', 'intervention sweep (every site + baseline) vs one plain generation', 12, (run: BackendRun) => run.sweep],
  ] as const) {
    const pair = native ? pick(native) : undefined;
    if (pair) {
      const batched = medianStepSeconds(pair.batched);
      const plain = medianStepSeconds(pair.plain, pair.plainAfter);
      out.push(ratio(key, label, nativeDesc, batched / plain, '<=', limit, `median ${ms(batched)} vs ${ms(plain)} per step, first ${heavySteps} steps of the same generation (plain timed before and after)`));
    } else out.push(ratio(key, label, nativeDesc, null, '<=', limit, '', whyMissing(backends.native, 'native')));
  }
  const budget = sizes.weightsBytes + sizes.kvCacheBytes;
  for (const [key, backendKey, what, pick] of [
    ['memoryNative', 'native', 'native peak RSS', (run: BackendRun) => run.peakRssBytes],
    ['memoryWasmNode', 'wasmNode', 'wasm heap in Node', (run: BackendRun) => run.wasmHeapBytes],
    ['memoryChromium', 'wasmChromium', 'wasm heap in Chromium', (run: BackendRun) => run.wasmHeapBytes],
  ] as const) {
    const run = ok(backends[backendKey]);
    const peak = run ? pick(run) : undefined;
    const label = `${what} vs weights + KV cache`;
    if (run && peak) {
      out.push(ratio(key, label, run.description, peak / budget, '<=', 1.5, `${gib(peak)} vs ${gib(sizes.weightsBytes)} weights + ${gib(sizes.kvCacheBytes)} KV`));
    } else out.push(ratio(key, label, backendKey, null, '<=', 1.5, '', run ? `${what} not available` : whyMissing(backends[backendKey], backendKey)));
  }
  return out;
}

export interface SweepCost {
  sites: number;
  /** Median extra time per decoder step that one site's row adds to the batched sweep. */
  perSiteStepSeconds: number;
  oneBatchStepSeconds: number;
  /** Σ over chunks of each chunk's median time per step: one step of every row, chunk by chunk. */
  chunkedStepSeconds: number;
  chunks: number;
  chunkedVsOneBatch: number;
}

/** The sweep's cost per site and chunked against one batch, from the native runner's timings. */
export function sweepCost(run: BackendRun | undefined, sites: number): SweepCost | null {
  const sweep = run?.sweep;
  if (!sweep?.chunks?.length) return null;
  const oneBatch = medianStepSeconds(sweep.batched);
  const plain = medianStepSeconds(sweep.plain, sweep.plainAfter);
  const chunked = sweep.chunks.reduce((sum, chunk) => sum + medianStepSeconds(chunk), 0);
  return { sites, perSiteStepSeconds: (oneBatch - plain) / sites, oneBatchStepSeconds: oneBatch, chunkedStepSeconds: chunked, chunks: sweep.chunks.length, chunkedVsOneBatch: chunked / oneBatch };
}

function sweepCostLine(results: BenchResults): string {
  const native = ok(results.backends.native);
  const cost = sweepCost(native, results.workload.sweepRows - 1);
  if (!cost) return 'sweep cost: not measured (native runner missing)';
  const perClip = cost.perSiteStepSeconds * results.workload.steps;
  return `sweep cost [native]: ${ms(cost.perSiteStepSeconds)} per site per step (${perClip.toFixed(1)} s per site over ${results.workload.steps} steps); one batch of ${results.workload.sweepRows} rows ${ms(cost.oneBatchStepSeconds)} per step, in ${cost.chunks} chunks (1 GiB KV budget) ${ms(cost.chunkedStepSeconds)}: ${cost.chunkedVsOneBatch.toFixed(2)}× one batch`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => pad(c, widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

const BACKEND_LABELS: Record<BackendKey, string> = {
  native: 'onnxruntime-node (native CPU)',
  wasmNode: 'onnxruntime-web WASM in Node',
  wasmChromium: 'onnxruntime-web WASM in Chromium worker',
  webgpu: 'onnxruntime-web WebGPU',
};

/** The printed report: backends (steps/s), then every ratio with its target. Markdown tables. */
export function formatResults(results: BenchResults): string {
  const { workload: w } = results;
  const backendRows = (Object.keys(BACKEND_LABELS) as BackendKey[]).map((key) => {
    const entry = results.backends[key];
    if (entry.status !== 'ok') return [BACKEND_LABELS[key], entry.status, '', '', '', entry.reason];
    const run = entry.run;
    const memory = [run.peakRssBytes ? `RSS ${gib(run.peakRssBytes)}` : '', run.wasmHeapBytes ? `heap ${gib(run.wasmHeapBytes)}` : ''].filter(Boolean).join(', ');
    return [BACKEND_LABELS[key], stepsPerSecond(run.plain).toFixed(2), ms(secondsPerStep(run.plain)), `${run.loadSeconds.toFixed(1)} s`, memory, run.description];
  });
  const ratioRows = results.ratios.map((r) => [
    r.label,
    r.value === null ? 'n/a' : r.value.toFixed(2),
    `${r.target.op} ${r.target.limit}`,
    r.met === null ? 'not measured' : r.met ? 'met' : 'MISSED',
    r.reason ?? `${r.detail} [${r.backend}]`,
  ]);
  return [
    `MusicGen Lab bench (${results.mode}): ${w.layers} layers, ${w.frames} frames = ${w.steps} decoder steps, guidance batch 2, ${w.threads} WASM threads`,
    `machine: ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGiB} GiB, ${results.machine.os}, Node ${results.machine.node}, onnxruntime ${results.machine.onnxruntime}${results.machine.browser ? `, ${results.machine.browser}` : ''}${results.machine.nodeAllocator ? `; Node runners: ${results.machine.nodeAllocator}` : ''}`,
    `weights ${gib(results.sizes.weightsBytes)} (per-layer bundle), merged graph ${gib(results.sizes.mergedGraphBytes)}, KV cache at the last step ${gib(results.sizes.kvCacheBytes)}`,
    '',
    table(['backend', 'steps/s', 'time/step', 'load', 'memory', 'runtime'], backendRows),
    '',
    table(['ratio', 'value', 'target', 'status', 'measured'], ratioRows),
    '',
    sweepCostLine(results),
    '',
    `steps/s and time/step: mean over the generation; ratios: median time per step (robust to other processes); both exclude the first (warm-up) step. Lens: ${w.lensRows} rows (${2 * w.lensRows} batch rows); sweep: ${w.sweepRows} rows (${2 * w.sweepRows} batch rows).`,
  ].join('\n');
}
