/**
 * Measures every Generate run on a stored bundle and keeps the figure with that stored model:
 * decoder steps per second between the job's first and last progress report, so text encoding,
 * audio decoding and the first step's warm-up stay out of it. Cancelled or failed runs (no new run
 * in the history) record nothing.
 */
import { storedBundleId } from '../../../bundle/storedBundleFiles';
import type { SpeedSample } from '../../../lab/convertApi';
import type { LabState, LabStore } from '../../state/labStore';

/** Fewer timed steps than this say more about the machine's mood than about the model. */
export const MIN_TIMED_STEPS = 8;

interface Timing {
  jobId: number;
  newestRunAtStart: string | undefined;
  firstStep: number;
  firstAt: number;
  lastStep: number;
  lastAt: number;
}

/** Starts watching `lab`; returns the unsubscribe function. */
export function startSpeedRecorder(lab: LabStore, record: (id: string, sample: SpeedSample) => void, now: () => number = () => performance.now()): () => void {
  let timing: Timing | null = null;
  const onChange = (state: LabState, previous: LabState) => {
    const { job } = state;
    if (job && job.steps > 0 && job.step !== previous.job?.step) {
      // A new job, or the same job re-run from its start on another backend: time from here.
      if (timing === null || timing.jobId !== job.jobId || job.step < timing.lastStep) {
        timing = { jobId: job.jobId, newestRunAtStart: previous.runs[0]?.id, firstStep: job.step, firstAt: now(), lastStep: job.step, lastAt: now() };
      } else {
        timing = { ...timing, lastStep: job.step, lastAt: now() };
      }
    }
    if (job !== null || previous.job === null || timing === null) return;
    const finished = timing;
    timing = null;
    const run = state.runs[0];
    if (run === undefined || run.id === finished.newestRunAtStart || run.kind !== 'generate') return;
    const id = storedBundleId(run.model.bundleUrl);
    const steps = finished.lastStep - finished.firstStep;
    if (id === undefined || steps < MIN_TIMED_STEPS || finished.lastAt <= finished.firstAt) return;
    record(id, { backend: run.backend, stepsPerSecond: steps / ((finished.lastAt - finished.firstAt) / 1000), measuredAt: run.createdAt });
  };
  return lab.subscribe(onChange);
}
