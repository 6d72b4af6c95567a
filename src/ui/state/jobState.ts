/**
 * The job-state boilerplate the lab, DecoderLens and Interventions stores share: a worker job shown
 * in the store's `job` field (its id, Cancel and "cancelling", plus the store's own fields such as
 * step counts or a title), updated by the job's progress reports while it is the running one, and
 * cleared (null, idle) when the store has settled its result (shown it, or shown its error).
 */
import type { RunningJob } from '../../lab/workerApi';
import { cancelJob } from './cancelJob';

/** What every running job carries: the worker's job id, and Cancel (which marks it as cancelling at once). */
export interface JobControls {
  jobId: number;
  cancelling: boolean;
  cancel(): void;
}

/** Where a store keeps its running job. */
export interface JobSlot<J extends JobControls> {
  current(): J | null;
  /** Shows a job, or none; `starting` marks the job's first write. */
  show(job: J | null, starting: boolean): void;
}

/** A store's `job` field as a slot; `onStart` goes into the job's first update (e.g. clearing the last message). */
export function storeJobSlot<S extends { job: J | null }, J extends JobControls>(get: () => S, set: (patch: Partial<S>) => void, onStart: Partial<S> = {}): JobSlot<J> {
  return {
    current: () => get().job,
    show: (job, starting) => set({ ...(starting ? onStart : {}), job } as Partial<S>),
  };
}

export interface TrackedJob<T, P, J extends JobControls> {
  /** Starts the worker job, reporting progress through `onProgress`. */
  start(onProgress: (report: P) => void): RunningJob<T>;
  /** The job's own fields when it starts (kind, title, zero progress…). */
  fields: Omit<J, keyof JobControls>;
  /** The job after a progress report. */
  progress(job: J, report: P): J;
}

/**
 * Runs one worker job in a slot: shows it (Cancel wired to the worker), applies its progress while
 * it is the running job (progress messages can trail the result), lets `settle` await and use its
 * result, then clears the slot. Returns what `settle` returns; its errors pass through.
 */
export async function runTrackedJob<T, P, J extends JobControls, R>(slot: JobSlot<J>, job: TrackedJob<T, P, J>, settle: (result: Promise<T>) => Promise<R>): Promise<R> {
  const running = job.start((report) => {
    const current = slot.current();
    if (current?.jobId === running.jobId) slot.show(job.progress(current, report), false);
  });
  const controls: JobControls = { jobId: running.jobId, cancelling: false, cancel: cancelJob(slot.current, (next) => slot.show(next, false), running) };
  slot.show({ ...job.fields, ...controls } as J, true);
  try {
    return await settle(running.result);
  } finally {
    slot.show(null, false);
  }
}

/** Step counts of a generation-shaped job (0 steps until the first report). */
export interface StepProgress {
  step: number;
  steps: number;
}

/** `progress` for jobs that count decoder steps. */
export function withSteps<J extends JobControls & StepProgress>(job: J, { step, steps }: StepProgress): J {
  return { ...job, step, steps };
}
