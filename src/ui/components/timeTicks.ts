/** Time-axis spacing for a clip (pure): a 1-2-5 step giving about `labels` labelled ticks. */

const NICE_STEPS = [0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60];

export interface TimeTicks {
  /** Seconds between ticks. */
  tick: number;
  /** Every how many ticks a label is drawn. */
  labelEvery: number;
}

export function timeTicks(durationSeconds: number, labels = 8): TimeTicks {
  const wanted = durationSeconds / Math.max(1, labels);
  const labelStep = NICE_STEPS.find((step) => step >= wanted) ?? NICE_STEPS[NICE_STEPS.length - 1];
  // Five (or two) ticks per label, as long as a tick stays at least one EnCodec frame (0.02 s).
  const labelEvery = labelStep / 5 >= 0.02 ? 5 : labelStep / 2 >= 0.02 ? 2 : 1;
  return { tick: labelStep / labelEvery, labelEvery };
}
