/**
 * The bench's arithmetic on hand-made timings: medians with min and max, the alternated order of
 * measurements, each ratio's direction, memory against weights + KV, and the sweep's cost per site.
 */
import { describe, expect, it } from 'vitest';
import { alternatedSchedule, blockStepsFor, comparisonsFor, measurementValue, selectComparisons, variantsNeeded, type Comparison } from '../../src/bench/plan';
import { measurement, memoryRatios, ratioResult, sweepCost, type BackendEntry, type Block, type Measurement, type RunnerRun } from '../../src/bench/results';
import { median, spread } from '../../src/bench/stats';
import { medianStepSeconds, secondsPerStep, sumTimings } from '../../src/bench/timing';

const block = (workload: Block['workload'], ...stepSeconds: number[]): Block => ({ workload, timing: { steps: stepSeconds.length, stepSeconds } });
const byId = (backend: Parameters<typeof comparisonsFor>[0], key: Comparison['key']) => comparisonsFor(backend).find((c) => c.key === key)!;

describe('statistics', () => {
  it('takes the median of odd and even counts, and keeps min, max and every value', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(spread([1.2, 0.9, 1.5])).toEqual({ median: 1.2, min: 0.9, max: 1.5, values: [1.2, 0.9, 1.5] });
    expect(() => spread([])).toThrow(/nothing/);
  });

  it('drops the warm-up step from a block and adds chunks step by step', () => {
    const timing = { steps: 4, stepSeconds: [9, 0.1, 0.3, 0.2] };
    expect(medianStepSeconds(timing)).toBeCloseTo(0.2);
    expect(secondsPerStep(timing)).toBeCloseTo(0.2);
    expect(sumTimings([{ steps: 3, stepSeconds: [1, 2, 3] }, { steps: 3, stepSeconds: [10, 20, 30] }])).toEqual({ steps: 3, stepSeconds: [11, 22, 33] });
  });
});

describe('plan', () => {
  it('swaps the order of each pair every round', () => {
    const order = alternatedSchedule(2, 3).map(({ round, comparison, side }) => `${round}${comparison}${side}`);
    expect(order).toEqual(['00a', '00b', '01a', '01b', '10b', '10a', '11b', '11a', '20a', '20b', '21a', '21b']);
    expect(() => alternatedSchedule(1, 0)).toThrow(/repeat/);
  });

  it('measures time ratios as a over b and speed ratios as b over a', () => {
    expect(measurementValue({ measure: 'time' }, 0.3, 0.2)).toBeCloseTo(1.5);
    expect(measurementValue({ measure: 'speed' }, 0.1, 0.2)).toBeCloseTo(2);
  });

  it('compares the issue 10 configurations per backend, each with its target', () => {
    const targets = (backend: Parameters<typeof comparisonsFor>[0]) => Object.fromEntries(comparisonsFor(backend).map((c) => [c.key, c.target ? `${c.target.op}${c.target.limit}` : 'none']));
    const fusion = { perLayerVsFused: 'none', perLayerVsFusedFirstSteps: 'none', perLayerVsFusedHead: 'none', loopVsFused: 'none', engineVsLoop: 'none' };
    expect(targets('native')).toEqual({ perLayerVsMerged: '<=1.05', ...fusion, lensVsPlain: '<=2.6', sweepVsPlain: '<=11', sweepChunkedVsOneBatch: 'none' });
    expect(targets('wasmNode')).toEqual({ perLayerVsMerged: '<=1.05', ...fusion, q8VsFp32: '>=1.5', q8VsPeer: '>=1' });
    // Chromium does not load the fused graph (its runners share one renderer's memory).
    expect(targets('wasmChromium')).toEqual({ perLayerVsMerged: '<=1.05', q8VsFp32: '>=1.5', q8VsPeer: '>=1' });
    expect(variantsNeeded(comparisonsFor('wasmNode'))).toEqual(['fp32', 'fp32-merged', 'fp32-fused', 'fp32-fused-head', 'q8', 'peer-q8-merged']);
    expect(byId('native', 'perLayerVsFused')).toMatchObject({ a: { variant: 'fp32', workload: 'plain' }, b: { variant: 'fp32-fused', workload: 'plain' }, measure: 'time' });
    expect(variantsNeeded(comparisonsFor('webgpu'))).toEqual(['fp32', 'fp16', 'q4']);
    expect(new Set(comparisonsFor('webgpu').map((c) => c.id)).size).toBe(6);
  });

  it('times plain against plain over whole generations, lens and sweep over the first steps', () => {
    const spans = Object.fromEntries(comparisonsFor('native').map((c) => [c.key, blockStepsFor(c, 8, 203)]));
    // The fused graph is compared both ways: whole generations, and the first steps, where the split's per-call cost weighs most.
    expect(spans).toEqual({ perLayerVsMerged: 203, perLayerVsFused: 203, perLayerVsFusedFirstSteps: 8, perLayerVsFusedHead: 203, loopVsFused: 203, engineVsLoop: 203, lensVsPlain: 8, sweepVsPlain: 8, sweepChunkedVsOneBatch: 8 });
    expect(comparisonsFor('wasmNode').map((c) => blockStepsFor(c, 8, 203))).toEqual([203, 203, 8, 203, 203, 203, 203, 203]);
  });

  it('measures the ratios on request only when --only names them, and --only names exactly what runs', () => {
    const native = comparisonsFor('native');
    expect(selectComparisons(native).map((c) => c.key)).toEqual(['perLayerVsMerged', 'perLayerVsFused', 'perLayerVsFusedFirstSteps', 'lensVsPlain', 'sweepVsPlain', 'sweepChunkedVsOneBatch']);
    expect(selectComparisons(native, ['perLayerVsFusedHead', 'lensVsPlain']).map((c) => c.key)).toEqual(['perLayerVsFusedHead', 'lensVsPlain']);
    // Fusion measured on the same loop of calls on both sides; the engine against that loop apart.
    expect(variantsNeeded(selectComparisons(native, ['perLayerVsFusedHead']))).toEqual(['fp32-fused-head']);
    expect(byId('native', 'perLayerVsFusedHead')).toMatchObject({ a: { variant: 'fp32-fused-head', workload: 'plainUnfused' }, b: { variant: 'fp32-fused-head', workload: 'plain' } });
    expect(variantsNeeded(selectComparisons(native, ['loopVsFused', 'engineVsLoop']))).toEqual(['fp32-fused-head', 'fp32-fused', 'fp32']);
    expect(selectComparisons(comparisonsFor('wasmChromium'), ['perLayerVsFused'])).toEqual([]);
  });
});

describe('ratios', () => {
  const split = byId('native', 'perLayerVsMerged');
  const rounds: [number[], number[]][] = [
    [[5, 0.11, 0.1, 0.12], [5, 0.1, 0.1, 0.1]], // 1.1
    [[5, 0.2, 0.2, 0.2], [5, 0.1, 0.1, 0.1]], // 2.0 (a busy round)
    [[5, 0.1, 0.1, 0.1], [5, 0.1, 0.1, 0.1]], // 1.0
  ];
  const measurements: Measurement[] = rounds.map(([a, b], round) => measurement(split, round, block('plain', ...a), block('plain', ...b)));

  it('is the median of the measurements, with min and max, and checks the target', () => {
    expect(measurements.map((m) => m.value).map((v) => +v.toFixed(6))).toEqual([1.1, 2, 1]);
    const ratio = ratioResult(split, measurements);
    expect(ratio.spread).toMatchObject({ median: expect.closeTo(1.1, 6), min: expect.closeTo(1, 6), max: expect.closeTo(2, 6) });
    expect(ratio.met).toBe(false); // 1.1 > 1.05
    expect(ratioResult(split, measurements.filter((m) => m.round !== 1)).spread?.median).toBeCloseTo(1.05);
  });

  it('gives the reason instead of a value when a side did not run', () => {
    const ratio = ratioResult(byId('wasmNode', 'q8VsPeer'), measurements, 'q8 per-layer failed: build failed: no q8');
    expect(ratio).toMatchObject({ spread: null, met: null, reason: 'q8 per-layer failed: build failed: no q8' });
  });

  it('is met for a speed ratio above its limit', () => {
    const q8 = byId('wasmNode', 'q8VsFp32');
    const ratio = (fp32Seconds: number) => ratioResult(q8, [0, 1, 2].map((round) => measurement(q8, round, block('plain', 1, 0.1, 0.1), block('plain', 1, fp32Seconds, fp32Seconds))));
    expect(ratio(0.16)).toMatchObject({ spread: { median: expect.closeTo(1.6, 6) }, met: true });
    expect(ratio(0.14)).toMatchObject({ spread: { median: expect.closeTo(1.4, 6) }, met: false });
  });
});

describe('memory and sweep cost', () => {
  const run = (extra: Partial<RunnerRun>): RunnerRun => ({ description: 'test', loadSeconds: 1, weightsBytes: 1000, plain: { steps: 2, stepSeconds: [1, 1] }, ...extra });

  it('divides each per-layer runner peak by its weights + KV cache', () => {
    const backends: Record<string, BackendEntry> = {
      native: { status: 'ok', runners: { fp32: { status: 'ok', run: run({ peakRssBytes: 1300 }) }, 'fp32-merged': { status: 'ok', run: run({ peakRssBytes: 9999 }) } } },
      wasmNode: { status: 'ok', runners: { q8: { status: 'ok', run: run({ weightsBytes: 250, wasmHeapBytes: 500 }) }, q4: { status: 'failed', reason: 'no q4' } } },
      wasmChromium: { status: 'skipped', reason: '--no-browser' },
      webgpu: { status: 'skipped', reason: '--no-browser' },
    };
    const memory = memoryRatios(backends as never, 250);
    expect(memory.map((m) => [m.backend, m.variant, m.what, m.budgetBytes, m.value, m.met])).toEqual([
      ['native', 'fp32', 'peak RSS', 1250, 1.04, true],
      ['wasmNode', 'q8', 'wasm heap', 500, 1, true],
    ]);
  });

  it('charges each site its share of the sweep over plain, and compares chunks with one batch', () => {
    const sweepC = byId('native', 'sweepVsPlain');
    const chunkedC = byId('native', 'sweepChunkedVsOneBatch');
    const sweeps = [0, 1, 2].map((round) => measurement(sweepC, round, block('sweep', 9, 0.82 + round * 0.1), block('plain', 9, 0.1)));
    const chunked = [0, 1, 2].map((round) => ({ ...measurement(chunkedC, round, { ...block('sweepChunked', 9, 1.2), chunks: [block('sweep', 4, 0.6).timing, block('sweep', 5, 0.6).timing] }, block('sweep', 9, 0.8)) }));
    const cost = sweepCost([...sweeps, ...chunked], 72)!;
    expect(cost.perSiteStepSeconds.median).toBeCloseTo(0.82 / 72);
    expect(cost.perSiteStepSeconds.min).toBeCloseTo(0.72 / 72);
    expect(cost.perSiteStepSeconds.max).toBeCloseTo(0.92 / 72);
    expect(cost.oneBatchStepSeconds).toBeCloseTo(0.92);
    expect(cost.chunks).toBe(2);
    expect(cost.chunkedStepSeconds).toBeCloseTo(1.2);
    expect(cost.chunkedVsOneBatch?.median).toBeCloseTo(1.5);
    expect(sweepCost([], 72)).toBeNull();
  });
});
