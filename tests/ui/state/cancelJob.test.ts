import { describe, expect, it } from 'vitest';
import { cancelJob } from '../../../src/ui/state/cancelJob';

describe('cancelJob', () => {
  it('marks the current job as cancelling, then asks the worker to abort', () => {
    const order: string[] = [];
    let job: { id: number; cancelling: boolean } | null = { id: 3, cancelling: false };
    const cancel = cancelJob(
      () => job,
      (next) => {
        order.push('marked');
        job = next;
      },
      { cancel: () => order.push('aborted') },
    );
    cancel();
    expect(job).toEqual({ id: 3, cancelling: true });
    expect(order).toEqual(['marked', 'aborted']);
  });

  it('still aborts when the job already ended (nothing left to mark)', () => {
    let aborted = 0;
    cancelJob(() => null, () => expect.unreachable('no job to mark'), { cancel: () => aborted++ })();
    expect(aborted).toBe(1);
  });
});
