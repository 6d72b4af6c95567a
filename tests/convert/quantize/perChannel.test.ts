import { describe, expect, it } from 'vitest';
import { dequantizeInt8PerChannel, quantizeInt8PerChannel, roundHalfEven } from '../../../src/convert/quantize/perChannel';
import { randomArray, seededRandom } from '../tinyCheckpoint';

describe('roundHalfEven', () => {
  it('rounds ties to the even neighbour, like numpy', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2, -3]);
  });
});

describe('quantizeInt8PerChannel', () => {
  it('gives each output row its own scale peak/127 and stores the weight transposed [k, n]', () => {
    // rows (output channels): [1.27, -0.635] and [0, 2.54]
    const q = quantizeInt8PerChannel(Float32Array.from([1.27, -0.635, 0, 2.54]), 2, 2);
    expect(q.scales[0]).toBeCloseTo(0.01, 7);
    expect(q.scales[1]).toBeCloseTo(0.02, 7);
    // [k, n]: values[c * n + row]
    expect(Array.from(q.values)).toEqual([127, 0, -64, 127]); // -63.5 rounds half to even: -64
  });

  it('uses [-64, 64] with reduceRange, as quantize_dynamic(reduce_range=True)', () => {
    const q = quantizeInt8PerChannel(Float32Array.from([0.64, -0.32]), 1, 2, { reduceRange: true });
    expect(q.scales[0]).toBeCloseTo(0.01, 7);
    expect(Array.from(q.values)).toEqual([64, -32]);
  });

  it('keeps an all-zero channel exact', () => {
    const q = quantizeInt8PerChannel(new Float32Array(3), 1, 3);
    expect(Array.from(dequantizeInt8PerChannel(q))).toEqual([0, 0, 0]);
  });

  it('round-trips within half a step per channel', () => {
    const [n, k] = [5, 33];
    const weight = randomArray(seededRandom(9), n * k, 0.3);
    for (const reduceRange of [false, true]) {
      const q = quantizeInt8PerChannel(weight, n, k, { reduceRange });
      const back = dequantizeInt8PerChannel(q);
      for (let i = 0; i < weight.length; i++) expect(Math.abs(back[i] - weight[i])).toBeLessThanOrEqual(q.scales[Math.floor(i / k)] / 2 + 1e-7);
    }
  });
});
