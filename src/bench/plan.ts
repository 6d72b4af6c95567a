/**
 * What the bench compares and in which order. Each comparison is a ratio between two blocks of the
 * same decoder steps (same positions, same KV lengths): whole generations where both sides are
 * plain generations (a user's clip, its KV cache growing to the end), the first steps otherwise
 * (lens and sweep batches are too slow to run whole). One measurement is one block of each side,
 * back to back, and the sides swap order every round so that neither always runs first. The
 * ratio printed is the median over rounds (pure: no timing).
 */
import { GPU_VARIANTS, type VariantKey } from './variants';

export type BackendKey = 'native' | 'wasmNode' | 'wasmChromium' | 'webgpu';

/**
 * plain: one prompt (guidance batch 2); lens: every depth in one batch; sweep: every site + baseline
 * in one batch; sweepChunked: the sweep's rows in memory-budget chunks, one after another;
 * plainUnfused (fp32-fused-head only): plain through the runner's own loop with every block and the
 * head as separate session calls, the reference its fused tail is measured against.
 */
export type Workload = 'plain' | 'lens' | 'sweep' | 'sweepChunked' | 'plainUnfused';

export interface Side {
  variant: VariantKey;
  workload: Workload;
}

export type ComparisonKey = 'perLayerVsMerged' | 'perLayerVsFused' | 'perLayerVsFusedFirstSteps' | 'perLayerVsFusedHead' | 'loopVsFused' | 'engineVsLoop' | 'lensVsPlain' | 'sweepVsPlain' | 'sweepChunkedVsOneBatch' | 'q8VsFp32' | 'q8VsPeer';

export interface Target {
  op: '>=' | '<=';
  limit: number;
}

export interface Comparison {
  /** Unique within a run: backend, key and (for per-variant comparisons) the variant. */
  id: string;
  key: ComparisonKey;
  backend: BackendKey;
  label: string;
  a: Side;
  b: Side;
  /** 'time': a's time per step over b's (lower is better); 'speed': a's steps/s over b's. */
  measure: 'time' | 'speed';
  /** 'generation': each block is a whole plain generation; 'first-steps' (default): the bench's first-steps block. */
  span?: 'generation' | 'first-steps';
  target?: Target; // issue 10's targets; none for the figures issue 7 only asks to report
  /** Measured only when `--only` names it: its side loads a second fp32 bundle's worth of sessions in the backend's phase. */
  onRequest?: true;
}

const lensAndSweep = (backend: BackendKey, variant: VariantKey, suffix: string): Comparison[] => [
  { id: `${backend}.lensVsPlain${suffix}`, key: 'lensVsPlain', backend, label: 'DecoderLens, all depths in one batch vs plain (time/step)', a: { variant, workload: 'lens' }, b: { variant, workload: 'plain' }, measure: 'time', target: { op: '<=', limit: 2.6 } },
  { id: `${backend}.sweepVsPlain${suffix}`, key: 'sweepVsPlain', backend, label: 'intervention sweep (every site + baseline) vs plain (time/step)', a: { variant, workload: 'sweep' }, b: { variant, workload: 'plain' }, measure: 'time', target: { op: '<=', limit: 11 } },
];

const splitCost = (backend: BackendKey): Comparison => ({
  id: `${backend}.perLayerVsMerged`,
  key: 'perLayerVsMerged',
  backend,
  label: 'fp32 per-layer graphs vs one merged graph (time/step)',
  a: { variant: 'fp32', workload: 'plain' },
  b: { variant: 'fp32-merged', workload: 'plain' },
  measure: 'time',
  span: 'generation',
  target: { op: '<=', limit: 1.05 },
});

/**
 * What fusing every block and the head into one graph would save (issue 10): the same KV cache
 * I/O, 2 session calls per step instead of L + 2; over whole generations and over the first steps,
 * where the split's per-call cost weighs most. And fusing only the last block with the head (one
 * call fewer). Reported, no target.
 */
const fusionGain = (backend: BackendKey): Comparison[] => [
  { id: `${backend}.perLayerVsFused`, key: 'perLayerVsFused', backend, label: 'fp32 per-layer vs fused (all blocks + head in one graph), whole generations (time/step)', a: { variant: 'fp32', workload: 'plain' }, b: { variant: 'fp32-fused', workload: 'plain' }, measure: 'time', span: 'generation' },
  { id: `${backend}.perLayerVsFusedFirstSteps`, key: 'perLayerVsFusedFirstSteps', backend, label: 'fp32 per-layer vs fused (all blocks + head in one graph), first steps (time/step)', a: { variant: 'fp32', workload: 'plain' }, b: { variant: 'fp32-fused', workload: 'plain' }, measure: 'time', span: 'first-steps' },
  // The same loop of session calls on both sides (not the engine's): what the fusion itself saves.
  { id: `${backend}.perLayerVsFusedHead`, key: 'perLayerVsFusedHead', backend, label: 'fp32 per-layer vs last block + head fused, same loop, whole generations (time/step)', a: { variant: 'fp32-fused-head', workload: 'plainUnfused' }, b: { variant: 'fp32-fused-head', workload: 'plain' }, measure: 'time', span: 'generation', onRequest: true },
  { id: `${backend}.loopVsFused`, key: 'loopVsFused', backend, label: 'fp32 per-layer vs fused (all blocks + head), same loop, whole generations (time/step)', a: { variant: 'fp32-fused-head', workload: 'plainUnfused' }, b: { variant: 'fp32-fused', workload: 'plain' }, measure: 'time', span: 'generation', onRequest: true },
  // What the engine's own per-layer work (hooks, patch plans, row layout) costs over that loop.
  { id: `${backend}.engineVsLoop`, key: 'engineVsLoop', backend, label: "fp32 per-layer: the engine vs the bench's loop of the same session calls, whole generations (time/step)", a: { variant: 'fp32', workload: 'plain' }, b: { variant: 'fp32-fused-head', workload: 'plainUnfused' }, measure: 'time', span: 'generation', onRequest: true },
];

/** Every comparison a backend's phase measures. */
export function comparisonsFor(backend: BackendKey): Comparison[] {
  if (backend === 'native') {
    return [
      splitCost(backend),
      ...fusionGain(backend),
      ...lensAndSweep(backend, 'fp32', ''),
      { id: `${backend}.sweepChunkedVsOneBatch`, key: 'sweepChunkedVsOneBatch', backend, label: 'sweep in 1 GiB-budget chunks vs one batch (time/step)', a: { variant: 'fp32', workload: 'sweepChunked' }, b: { variant: 'fp32', workload: 'sweep' }, measure: 'time' },
    ];
  }
  if (backend === 'webgpu') return GPU_VARIANTS.flatMap((variant) => lensAndSweep(backend, variant, `.${variant}`).map((c) => ({ ...c, label: `${variant}: ${c.label}` })));
  return [
    splitCost(backend),
    // Not in Chromium: its runners share one renderer process, whose wasm heaps already add up to
    // ~8 GiB at musicgen-small's size; the fused runner's would add 3.6 GiB.
    ...(backend === 'wasmNode' ? fusionGain(backend) : []),
    { id: `${backend}.q8VsFp32`, key: 'q8VsFp32', backend, label: 'q8 per-layer vs fp32 per-layer (steps/s)', a: { variant: 'q8', workload: 'plain' }, b: { variant: 'fp32', workload: 'plain' }, measure: 'speed', span: 'generation', target: { op: '>=', limit: 1.5 } },
    { id: `${backend}.q8VsPeer`, key: 'q8VsPeer', backend, label: "q8 per-layer vs the peer's q8 merged (steps/s)", a: { variant: 'q8', workload: 'plain' }, b: { variant: 'peer-q8-merged', workload: 'plain' }, measure: 'speed', span: 'generation', target: { op: '>=', limit: 1 } },
  ];
}

/** What a run measures: `only` (bench --only) names ratios, else every ratio not on request. */
export function selectComparisons(comparisons: readonly Comparison[], only?: readonly ComparisonKey[]): Comparison[] {
  return comparisons.filter((c) => (only ? only.includes(c.key) : !c.onRequest));
}

/** Decoder steps one block of `comparison` times. */
export function blockStepsFor(comparison: Pick<Comparison, 'span'>, blockSteps: number, generationSteps: number): number {
  return comparison.span === 'generation' ? generationSteps : blockSteps;
}

/** One measurement's value from the two sides' median seconds per step. */
export function measurementValue(comparison: Pick<Comparison, 'measure'>, aSeconds: number, bSeconds: number): number {
  return comparison.measure === 'time' ? aSeconds / bSeconds : bSeconds / aSeconds;
}

export function meetsTarget(value: number, target: Target): boolean {
  return target.op === '>=' ? value >= target.limit : value <= target.limit;
}

export interface ScheduledBlock {
  round: number;
  comparison: number; // index into the comparisons
  side: 'a' | 'b';
}

/**
 * The order of blocks: round by round, every comparison's pair, a before b in even rounds and
 * b before a in odd ones.
 */
export function alternatedSchedule(comparisons: number, repeat: number): ScheduledBlock[] {
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('repeat must be a positive integer');
  const blocks: ScheduledBlock[] = [];
  for (let round = 0; round < repeat; round++) {
    for (let comparison = 0; comparison < comparisons; comparison++) {
      const order: ('a' | 'b')[] = round % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
      for (const side of order) blocks.push({ round, comparison, side });
    }
  }
  return blocks;
}

/** The variants a set of comparisons needs loaded. */
export function variantsNeeded(comparisons: readonly Comparison[]): VariantKey[] {
  return [...new Set(comparisons.flatMap((c) => [c.a.variant, c.b.variant]))];
}
