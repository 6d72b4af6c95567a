import { describe, expect, it } from 'vitest';
import { sinusoidTable } from '../../src/convert/graphs/embed';
import { ANCHOR, ANCHOR_NEG, ANCHOR_POS, D, FEATURE, FRAMES_PER_NOTE, GENRE, INSTRUMENT, LEVEL_VOTE, MOOD, MOOD_READ, ONSET, PITCH_VOTE, START, TEMPO_CLASS, TEMPO_VALUE, TEXTURE_VOTE, TIMBRE_VOTE, featureRead, lnRead } from '../../src/toy/residual';

/** LayerNorm (weight 1, bias 0, eps 1e-5) of one residual vector. */
function layerNorm(x: Float64Array): Float64Array {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
  return x.map((v) => (v - mean) / Math.sqrt(variance + 1e-5));
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((sum, v, i) => sum + v * b[i], 0);
/** Within the sinusoid's ±1 on a feature dim (±1/F in feature units) plus the layer norm's drift. */
const near = (value: number, expected: number) => expect(Math.abs(value - expected)).toBeLessThan(0.1);

describe('toy residual layout', () => {
  it('gives every subspace its own dims, clear of the anchors and the onset clocks', () => {
    const used = [ANCHOR_POS, ANCHOR_NEG, START, TEMPO_VALUE, ONSET, ...PITCH_VOTE, ...TIMBRE_VOTE, ...LEVEL_VOTE, ...TEXTURE_VOTE, ...GENRE, ...MOOD_READ, ...MOOD, ...TEMPO_CLASS, ...INSTRUMENT];
    expect(new Set(used).size).toBe(used.length);
    for (const i of [3, 4, 5, 6, 7]) {
      expect(used).not.toContain(i);
      expect(used).not.toContain(D / 2 + i);
    }
    expect(Math.max(...used)).toBeLessThan(D);
    expect(FRAMES_PER_NOTE[0]).toBeGreaterThan(FRAMES_PER_NOTE[4]);
  });

  it('reads raw features through a layer norm, whatever else the residual holds', () => {
    const positions = sinusoidTable(300, D);
    for (const p of [0, 57, 203]) {
      const x = Float64Array.from(positions.subarray(p * D, (p + 1) * D));
      x[ANCHOR_POS] += ANCHOR;
      x[ANCHOR_NEG] -= ANCHOR;
      for (const dim of [...GENRE.slice(0, 2), INSTRUMENT[3], PITCH_VOTE[2], TEMPO_CLASS[1], LEVEL_VOTE[0]]) x[dim] += FEATURE; // a busy residual
      const normed = layerNorm(x);
      near(dot(featureRead(INSTRUMENT[3]), normed), 1); // on, within the sinusoid's ±1/F
      near(dot(featureRead(INSTRUMENT[2]), normed), 0);
      near(dot(featureRead(PITCH_VOTE[2]), normed), 1); // quiet dim: its ≈1 offset is removed
      near(dot(lnRead([], 7), normed), 7); // a constant
      near(dot(lnRead([[D / 2 + 5, 1]]), normed), x[D / 2 + 5]); // a clock's sin, mean-free
    }
  });
});
