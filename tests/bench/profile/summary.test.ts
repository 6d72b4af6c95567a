import { describe, expect, it } from 'vitest';
import type { ProfileEvent, SessionProfile } from '../../../src/bench/profile/events';
import { matmulTotals, summariseSteps } from '../../../src/bench/profile/summary';

const run = (ts: number, dur: number): ProfileEvent => ({ cat: 'Session', name: 'model_run', ts, dur });
const matmul = (ts: number, dur: number): ProfileEvent => ({
  cat: 'Node',
  name: 'mm',
  ts,
  dur,
  op: 'MatMul',
  inputs: [{ type: 'float', dims: [2, 10] }],
  outputs: [{ type: 'float', dims: [2, 20] }],
});
const add = (ts: number, dur: number): ProfileEvent => ({ cat: 'Node', name: 'add', ts, dur, op: 'Add' });

/** A block run once per step for 3 steps; the warm-up (first) run is slow. */
const block: SessionProfile = {
  session: 'block_0',
  events: [
    { cat: 'Session', name: 'session_initialization', ts: 0, dur: 50 },
    run(100, 1000), matmul(110, 900), add(1010, 50),
    run(2000, 100), matmul(2010, 60), add(2070, 20),
    run(3000, 120), matmul(3010, 80), add(3090, 20),
  ],
};
/** Runs once per prompt: not per-step work. */
const crossKv: SessionProfile = { session: 'cross_kv', events: [run(0, 5000), matmul(10, 4000)] };

describe('summariseSteps', () => {
  it('averages kernels over the steps after the warm-up and leaves out sessions that did not run every step', () => {
    const profile = summariseSteps([block, crossKv], 3);
    expect(profile.steps).toBe(2);
    expect(profile.runMsPerStep).toBeCloseTo((100 + 120) / 1000 / 2);
    expect(profile.kernelMsPerStep).toBeCloseTo((60 + 20 + 80 + 20) / 1000 / 2);
    expect(profile.ops.map((o) => o.op)).toEqual(['MatMul', 'Add']);
    const [mm, addRow] = profile.ops;
    expect(mm).toEqual({ op: 'MatMul', msPerStep: 0.07, callsPerStep: 1, flopsPerStep: 2 * 2 * 20 * 10, weightBytesPerStep: 800 });
    expect(addRow).toEqual({ op: 'Add', msPerStep: 0.02, callsPerStep: 1 });
    expect(matmulTotals(profile)).toEqual({ msPerStep: 0.07, flopsPerStep: 800, weightBytesPerStep: 800 });
  });

  it('drops every warm-up run of a session that runs several times a step', () => {
    const twice: SessionProfile = { session: 'head', events: [run(0, 10), add(1, 5), run(20, 10), add(21, 5), run(40, 10), add(41, 2), run(60, 10), add(61, 2)] };
    const profile = summariseSteps([twice], 2);
    expect(profile.ops).toEqual([{ op: 'Add', msPerStep: 0.004, callsPerStep: 2 }]);
  });

  it('needs a step beside the warm-up', () => {
    expect(() => summariseSteps([block], 1)).toThrow(/at least 2 steps/);
  });
});
