import { describe, expect, it } from 'vitest';
import type { RunningJob } from '../../../src/lab/workerApi';
import { runTrackedJob, storeJobSlot, withSteps, type JobControls, type StepProgress } from '../../../src/ui/state/jobState';

interface TestJob extends JobControls, StepProgress {
  kind: string;
}

interface TestState {
  job: TestJob | null;
  message: string | null;
}

/** A store stand-in recording every update, and a worker job the test drives by hand. */
function setup() {
  let state: TestState = { job: null, message: 'old message' };
  const updates: TestState[] = [];
  const slot = storeJobSlot<TestState, TestJob>(
    () => state,
    (patch) => {
      state = { ...state, ...patch };
      updates.push(state);
    },
    { message: null },
  );
  let report: (progress: StepProgress) => void = () => {};
  let finish: (value: string) => void = () => {};
  let fail: (error: Error) => void = () => {};
  let cancelled = 0;
  const start = (onProgress: (progress: StepProgress) => void): RunningJob<string> => {
    report = onProgress;
    return { jobId: 7, result: new Promise<string>((resolve, reject) => ((finish = resolve), (fail = reject))), cancel: () => cancelled++ };
  };
  return { state: () => state, updates, slot, start, report: (p: StepProgress) => report(p), finish: (v: string) => finish(v), fail: (e: Error) => fail(e), cancelled: () => cancelled };
}

describe('runTrackedJob', () => {
  it('shows the job (clearing the message in the same update), applies progress, and clears it after settle', async () => {
    const t = setup();
    const settled: string[] = [];
    const done = runTrackedJob(t.slot, { start: t.start, fields: { kind: 'lens', step: 0, steps: 0 }, progress: withSteps }, async (result) => {
      const value = await result;
      settled.push(`${value}, job still shown: ${t.state().job !== null}`);
      return value.length;
    });
    expect(t.updates).toHaveLength(1);
    expect(t.state()).toMatchObject({ message: null, job: { jobId: 7, kind: 'lens', step: 0, steps: 0, cancelling: false } });
    t.report({ step: 2, steps: 9 });
    expect(t.state().job).toMatchObject({ step: 2, steps: 9, kind: 'lens' });
    t.finish('abc');
    await expect(done).resolves.toBe(3);
    expect(settled).toEqual(['abc, job still shown: true']);
    expect(t.state().job).toBeNull();
    // A progress message trailing the result changes nothing.
    t.report({ step: 9, steps: 9 });
    expect(t.state().job).toBeNull();
  });

  it('Cancel marks the job as cancelling and asks the worker to abort; errors of settle pass through', async () => {
    const t = setup();
    const done = runTrackedJob(t.slot, { start: t.start, fields: { kind: 'lens', step: 0, steps: 0 }, progress: withSteps }, async (result) => {
      try {
        return await result;
      } catch (error) {
        throw new Error(`settled: ${(error as Error).message}`);
      }
    });
    t.state().job!.cancel();
    expect(t.state().job?.cancelling).toBe(true);
    expect(t.cancelled()).toBe(1);
    t.fail(new Error('aborted'));
    await expect(done).rejects.toThrow('settled: aborted');
    expect(t.state().job).toBeNull();
  });

  it('keeps other stores\' messages when no start patch is given', async () => {
    let state: TestState = { job: null, message: 'kept' };
    const slot = storeJobSlot<TestState, TestJob>(() => state, (patch) => (state = { ...state, ...patch }));
    const done = runTrackedJob(slot, { start: () => ({ jobId: 1, result: Promise.resolve('x'), cancel: () => {} }), fields: { kind: 'k', step: 0, steps: 0 }, progress: withSteps }, (result) => result);
    expect(state.message).toBe('kept');
    await expect(done).resolves.toBe('x');
    expect(state.job).toBeNull();
  });
});
