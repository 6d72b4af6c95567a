import { describe, expect, it } from 'vitest';
import { intendedCodes } from '../../src/toy/intendedCodes';
import { renderReference } from '../../src/toy/referenceSynth';
import { midiToHz, STYLES } from '../../src/toy/synth';

describe('renderReference', () => {
  it('rejects codes that are not [4, frames]', () => {
    expect(() => renderReference(new Int32Array(7), 2)).toThrow(/do not form \[4, 2\]/);
  });

  it('plays the neutral sine at the default phrase root when nothing is decided', () => {
    const frames = 50;
    const audio = renderReference(intendedCodes({}, frames), frames);
    // Zero crossings upwards over the last half second ≈ the root's frequency × 0.5 s.
    let crossings = 0;
    for (let n = 16000 + 1; n < audio.length; n++) if (audio[n - 1] < 0 && audio[n] >= 0) crossings++;
    expect(crossings).toBeGreaterThanOrEqual(Math.floor(midiToHz(STYLES.none.root) * 0.5) - 1);
    expect(crossings).toBeLessThanOrEqual(Math.ceil(midiToHz(STYLES.none.root) * 0.5) + 1);
  });
});
