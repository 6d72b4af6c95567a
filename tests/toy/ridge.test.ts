import { describe, expect, it } from 'vitest';
import { fitRidge, predict } from '../../src/toy/ridge';

describe('fitRidge', () => {
  it('recovers an exact linear map when lambda is tiny', () => {
    const samples = 12;
    const x = Float64Array.from({ length: samples * 2 }, (_, i) => Math.sin(i * 1.7) * 3 + (i % 5));
    const y = new Float64Array(samples * 2);
    for (let i = 0; i < samples; i++) {
      y[i * 2] = 2 * x[i * 2] - x[i * 2 + 1] + 0.5;
      y[i * 2 + 1] = -3 * x[i * 2 + 1] + 4;
    }
    const model = fitRidge(x, y, samples, 2, 2, 1e-9);
    expect(Array.from(model.weight).map((w) => +w.toFixed(6) + 0)).toEqual([2, 0, -1, -3]);
    expect(Array.from(model.bias).map((b) => +b.toFixed(6) + 0)).toEqual([0.5, 4]);
    expect(predict(model, [1, 1])[0]).toBeCloseTo(1.5, 6);
  });

  it('shrinks towards the mean as lambda grows, and checks its inputs', () => {
    const x = [0, 1, 2, 3];
    const y = [0, 2, 4, 6];
    expect(fitRidge(x, y, 4, 1, 1, 1e6).weight[0]).toBeLessThan(1e-3);
    expect(fitRidge(x, y, 4, 1, 1, 1e6).bias[0]).toBeCloseTo(3, 2);
    expect(() => fitRidge(x, y, 3, 1, 1, 1)).toThrow(/does not match/);
  });
});
