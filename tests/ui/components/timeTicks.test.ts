import { describe, expect, it } from 'vitest';
import { timeTicks } from '../../../src/ui/components/timeTicks';

describe('timeTicks', () => {
  it('labels about eight nice steps across the clip', () => {
    expect(timeTicks(1)).toEqual({ tick: 0.04, labelEvery: 5 }); // labels every 0.2 s
    expect(timeTicks(4)).toEqual({ tick: 0.1, labelEvery: 5 }); // every 0.5 s
    expect(timeTicks(30)).toEqual({ tick: 1, labelEvery: 5 }); // every 5 s
  });

  it('never ticks below one EnCodec frame', () => {
    expect(timeTicks(0.04)).toEqual({ tick: 0.02, labelEvery: 1 });
    expect(timeTicks(0.3)).toEqual({ tick: 0.025, labelEvery: 2 }); // labels every 0.05 s
  });
});
