/** The bench's printed report (markdown tables) from its JSON result. */
import { REAL_TIME_STEPS_PER_SECOND } from './gpu';
import type { BackendKey, Target } from './plan';
import type { BenchResults, GpuReport, RatioResult, SweepCost } from './results';
import type { Spread } from './stats';
import { secondsPerStep } from './timing';
import { VARIANTS, type VariantKey } from './variants';

export const BACKEND_LABELS: Record<BackendKey, string> = {
  native: 'onnxruntime-node (native CPU)',
  wasmNode: 'onnxruntime-web WASM in Node',
  wasmChromium: 'onnxruntime-web WASM in Chromium worker',
  webgpu: 'onnxruntime-web WebGPU',
};

/** fp16 on a real GPU: real time, and at least half the adapter's bandwidth (issue 10). */
export const GPU_TARGETS = { variant: 'fp16' as VariantKey, stepsPerSecond: REAL_TIME_STEPS_PER_SECOND, bandwidthFraction: 0.5 };

const ms = (seconds: number) => `${(seconds * 1000).toFixed(1)} ms`;
const gib = (bytes: number) => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`);
const fixed = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2));
const range = (s: Spread, format: (v: number) => string = fixed) => `${format(s.min)}–${format(s.max)}`;
const targetText = (t: Target | undefined) => (t ? `${t.op === '>=' ? '≥' : '≤'} ${t.limit}` : '(reported)');
const status = (met: boolean | null, measured: boolean) => (!measured ? 'not measured' : met === null ? '' : met ? 'met' : 'MISSED');

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => pad(c, widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

function runnerRows(results: BenchResults): string[][] {
  const rows: string[][] = [];
  for (const backend of Object.keys(BACKEND_LABELS) as BackendKey[]) {
    const entry = results.backends[backend];
    if (entry.status !== 'ok') {
      rows.push([BACKEND_LABELS[backend], '', entry.status, '', '', '', `${entry.status}: ${entry.reason}`]);
      continue;
    }
    for (const [variant, runner] of Object.entries(entry.runners) as [VariantKey, NonNullable<(typeof entry.runners)[VariantKey]>][]) {
      const label = VARIANTS[variant].label;
      if (runner.status !== 'ok') {
        rows.push([BACKEND_LABELS[backend], label, runner.status, '', '', '', `${runner.status}: ${runner.reason}`]);
        continue;
      }
      const run = runner.run;
      const memory = [run.peakRssBytes ? `RSS ${gib(run.peakRssBytes)}` : '', run.wasmHeapBytes ? `heap ${gib(run.wasmHeapBytes)}` : ''].filter(Boolean).join(', ');
      const step = secondsPerStep(run.plain);
      rows.push([BACKEND_LABELS[backend], label, (1 / step).toFixed(2), ms(step), `${run.loadSeconds.toFixed(1)} s`, memory, `${run.description}; weights ${gib(run.weightsBytes)}`]);
    }
  }
  return rows;
}

function ratioRow(r: RatioResult): string[] {
  if (!r.spread) return [r.label, BACKEND_LABELS[r.backend], 'n/a', '', '0', targetText(r.target), status(null, false), r.reason ?? ''];
  const unit = r.measure === 'time' ? 'time/step' : 'steps/s';
  return [r.label, BACKEND_LABELS[r.backend], fixed(r.spread.median), range(r.spread), String(r.spread.values.length), targetText(r.target), status(r.met, true), `${unit}; each: [${r.spread.values.map(fixed).join(', ')}]`];
}

/** Every ratio; a backend that did not run gets one row saying why instead of one per ratio. */
function ratioRows(results: BenchResults): string[][] {
  const rows: string[][] = [];
  for (const backend of Object.keys(BACKEND_LABELS) as BackendKey[]) {
    const entry = results.backends[backend];
    const ratios = results.ratios.filter((r) => r.backend === backend);
    if (entry.status !== 'ok' && ratios.length) rows.push([`all ${ratios.length} ratios`, BACKEND_LABELS[backend], 'n/a', '', '0', '', status(null, false), `${entry.status}: ${entry.reason}`]);
    else rows.push(...ratios.map(ratioRow));
  }
  return rows;
}

function sweepCostLines(cost: SweepCost | null, steps: number): string {
  if (!cost) return 'sweep cost [native fp32]: not measured';
  const perSite = cost.perSiteStepSeconds;
  const chunked = cost.chunkedVsOneBatch && cost.chunkedStepSeconds !== null
    ? `in ${cost.chunks} chunks (1 GiB KV budget) ${ms(cost.chunkedStepSeconds)}: ${fixed(cost.chunkedVsOneBatch.median)}× one batch (${range(cost.chunkedVsOneBatch)})`
    : 'chunked: not measured';
  return `sweep cost [native fp32]: ${(perSite.median * 1000).toFixed(2)} ms per site per step (${range(perSite, (v) => (v * 1000).toFixed(2))}), ${(perSite.median * steps).toFixed(1)} s per site over ${steps} steps; one batch of ${cost.sites + 1} rows ${ms(cost.oneBatchStepSeconds)} per step, ${chunked}`;
}

function gpuLines(gpu: GpuReport | null, results: BenchResults): string {
  const webgpu = results.backends.webgpu;
  if (!gpu) return `real GPU: ${webgpu.status === 'ok' ? 'no measurement' : `${webgpu.status}: ${webgpu.reason}`}`;
  const bandwidth = gpu.bandwidth ? `${gpu.bandwidth.gbPerSecond} GB/s (${gpu.bandwidth.source})` : 'unknown bandwidth (pass --gpu-bandwidth GBps)';
  const rows = gpu.rows.map((row) => [
    VARIANTS[row.variant].label,
    gib(row.weightsBytes),
    `${fixed(row.plain.stepsPerSecond)} (${range(row.plain.stepsPerSecondSpread)})`,
    `${row.plain.realTimeFactor.toFixed(2)}×`,
    row.plain.bandwidthFraction === null ? 'n/a' : `${(row.plain.bandwidthFraction * 100).toFixed(1)} %`,
    row.lensStepsPerSecond ? `${fixed(row.lensStepsPerSecond.median)} (${range(row.lensStepsPerSecond)})` : 'n/a',
    row.sweepStepsPerSecond ? `${fixed(row.sweepStepsPerSecond.median)} (${range(row.sweepStepsPerSecond)})` : 'n/a',
  ]);
  const target = gpu.rows.find((row) => row.variant === GPU_TARGETS.variant);
  const verdict = target
    ? `fp16 target (≥ ${GPU_TARGETS.stepsPerSecond} steps/s and ≥ ${GPU_TARGETS.bandwidthFraction * 100} % of bandwidth): ${target.plain.stepsPerSecond >= GPU_TARGETS.stepsPerSecond ? 'real time met' : 'real time MISSED'}, ${target.plain.bandwidthFraction === null ? 'bandwidth not known' : target.plain.bandwidthFraction >= GPU_TARGETS.bandwidthFraction ? 'bandwidth met' : 'bandwidth MISSED'}`
    : 'fp16 target: fp16 did not run';
  return [
    `real GPU: ${gpu.adapter}, ${bandwidth}`,
    table(['variant', 'weights', 'plain steps/s (min–max)', 'real-time factor', 'bandwidth used', 'lens steps/s', 'sweep steps/s'], rows),
    verdict,
  ].join('\n');
}

export function formatResults(results: BenchResults): string {
  const { workload: w } = results;
  const m = results.machine;
  const builds = (Object.entries(results.builds) as [VariantKey, NonNullable<BenchResults['builds'][VariantKey]>][])
    .map(([variant, b]) => `${VARIANTS[variant].label} ${b.status === 'ok' ? `${gib(b.bytes)}${b.cached ? ' (cached)' : ` (built in ${b.seconds.toFixed(0)} s)`}` : `${b.status}: ${b.reason}`}`);
  const memoryRows = results.memory.map((r) => [BACKEND_LABELS[r.backend], VARIANTS[r.variant].label, `${r.what} ${gib(r.peakBytes)}`, gib(r.budgetBytes), r.value.toFixed(2), targetText(r.target), r.met ? 'met' : 'MISSED']);
  return [
    `MusicGen Lab bench (${results.mode}): ${w.layers} layers, ${w.frames} frames = ${w.steps} decoder steps, guidance batch 2, ${w.threads} WASM threads; ratios: median of ${w.repeat} alternated measurements (whole generations for plain vs plain, ${w.blockSteps}-step blocks for lens, sweep and fusion's first-steps ratio)`,
    `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, onnxruntime ${m.onnxruntime}${m.browser ? `, ${m.browser}` : ''}${m.nodeAllocator ? `; Node runners: ${m.nodeAllocator}` : ''}`,
    `bundles: ${builds.join('; ')}; KV cache at the last step ${gib(results.sizes.kvCacheBytes)}`,
    '',
    table(['backend', 'variant', 'steps/s', 'time/step', 'load', 'memory', 'runtime'], runnerRows(results)),
    '',
    table(['ratio', 'backend', 'median', 'min–max', 'n', 'target', 'status', 'measurements'], ratioRows(results)),
    '',
    memoryRows.length ? table(['memory', 'variant', 'peak', 'weights + KV', 'ratio', 'target', 'status'], memoryRows) : 'memory: no runner measured',
    '',
    sweepCostLines(results.sweepCost, w.steps),
    '',
    gpuLines(results.gpu, results),
    '',
    `steps/s and time/step: one full generation per runner, mean without the first (warm-up) step. Ratios: each measurement times both sides back to back (order swapped every round) over the same decoder steps, whole ${w.steps}-step generations for the plain-against-plain ratios (split, fusion, q8) except fusion's first-steps one, else the first ${w.blockSteps} steps (lens, sweep), and compares their median step times; the median over ${w.repeat} rounds is printed with min–max. Memory: one figure per runner, after its full generation. Lens: ${w.lensRows} rows (${2 * w.lensRows} batch rows); sweep: ${w.sweepRows} rows (${2 * w.sweepRows} batch rows).`,
  ].join('\n');
}
