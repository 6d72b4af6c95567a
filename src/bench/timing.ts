/** Step timing of a generation: timestamps from the engine's progress callback, optionally cut short. */

export interface StepTiming {
  steps: number; // decoder steps that ran
  /** Seconds per step, in order; step 0 includes one-time warm-up (first run of each session). */
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

/** Mean seconds per step, without the warm-up step (unless it is the only one). */
export function secondsPerStep(timing: StepTiming): number {
  const steady = timing.stepSeconds.length > 1 ? timing.stepSeconds.slice(1) : timing.stepSeconds;
  if (steady.length === 0) throw new Error('no steps were timed');
  return steady.reduce((a, b) => a + b, 0) / steady.length;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
