/** Step timing of a generation: timestamps from the engine's progress callback, optionally cut short. */
import { median } from './stats';

export interface StepTiming {
  steps: number; // decoder steps that ran
  /** Seconds per step, in order; step 0 includes one-time warm-up (prompt K/V, first run of each session). */
  stepSeconds: number[];
}

/** A generation to time: it must report every finished step and honour the signal. */
export type TimedGeneration = (onProgress: (progress: { step: number }) => void, signal: AbortSignal) => Promise<unknown>;

/** Runs `generation`, stopping it (through its AbortSignal) once `maxSteps` steps have finished. */
export async function timeSteps(generation: TimedGeneration, maxSteps = Infinity): Promise<StepTiming> {
  const controller = new AbortController();
  const stepSeconds: number[] = [];
  let last = performance.now();
  try {
    await generation(({ step }) => {
      const now = performance.now();
      stepSeconds.push((now - last) / 1000);
      last = now;
      if (step >= maxSteps) controller.abort();
    }, controller.signal);
  } catch (error) {
    // The engine throws an AbortError at the start of the next step: that is the planned stop.
    if (!(controller.signal.aborted && error instanceof Error && error.name === 'AbortError')) throw error;
  }
  return { steps: stepSeconds.length, stepSeconds };
}

/** The steps that measure steady work: all but the warm-up step (unless it is the only one). */
function steadySteps(timing: StepTiming): number[] {
  const steady = timing.stepSeconds.length > 1 ? timing.stepSeconds.slice(1) : timing.stepSeconds;
  if (steady.length === 0) throw new Error('no steps were timed');
  return steady;
}

/** Mean seconds per step without the warm-up step. */
export function secondsPerStep(timing: StepTiming): number {
  const steady = steadySteps(timing);
  return steady.reduce((a, b) => a + b, 0) / steady.length;
}

/** Median seconds per step without the warm-up step: robust to the outlier steps other processes cause. */
export function medianStepSeconds(timing: StepTiming): number {
  return median(steadySteps(timing));
}

/**
 * Runs made one after another over the same steps (the sweep's chunks) as one timing: step i
 * costs the sum of every run's step i.
 */
export function sumTimings(timings: readonly StepTiming[]): StepTiming {
  if (timings.length === 0) throw new Error('no timings to add');
  const steps = Math.min(...timings.map((t) => t.steps));
  const stepSeconds = Array.from({ length: steps }, (_, i) => timings.reduce((sum, t) => sum + t.stepSeconds[i], 0));
  return { steps, stepSeconds };
}
