import { describe, expect, it } from 'vitest';
import { blockParams, dequantizeBlockwise, quantizeBlockwise } from '../../../src/convert/quantize/blockwise';
import { randomArray, seededRandom } from '../tinyCheckpoint';

describe('blockParams', () => {
  it('spans [min(0, lo), max(0, hi)] with 2^bits - 1 steps and a zero point that makes 0 exact', () => {
    // [-1, 2] in 4 bits: scale 3/15 = 0.2, zero point round(1 / 0.2) = 5.
    const { scale, zeroPoint } = blockParams([-1, 0.5, 2], 0, 3, 4);
    expect(scale).toBeCloseTo(0.2, 7);
    expect(zeroPoint).toBe(5);
    // All positive [1, 3] in 8 bits: the range still includes 0, so zero point 0, scale 3/255.
    expect(blockParams([1, 3], 0, 2, 8)).toEqual({ scale: Math.fround(3 / 255), zeroPoint: 0 });
  });
});

describe('quantizeBlockwise', () => {
  it('packs 4-bit codes low nibble first, per row and block, with packed zero points', () => {
    // One output row, k = 32: values -1, 2 and 30 zeros; scale 0.2, zero point 5.
    const row = new Float32Array(32);
    row[0] = -1; // code round(-5) + 5 = 0
    row[1] = 2; // code 10 + 5 = 15
    row[2] = 0.6; // code round(3) + 5 = 8
    const q = quantizeBlockwise(row, 1, 32, 4, 32);
    expect(q.blocksPerColumn).toBe(1);
    expect(q.packed.length).toBe(16);
    expect(q.packed[0]).toBe(0 | (15 << 4)); // element 0 low nibble, element 1 high nibble
    expect(q.packed[1]).toBe(8 | (5 << 4)); // element 2 = 8, element 3 = 0 -> zero point 5
    expect(q.packed[15]).toBe(5 | (5 << 4));
    expect(q.zeroPoints).toEqual(Uint8Array.from([5])); // one block: low nibble only
    expect(q.scales[0]).toBeCloseTo(0.2, 7);
  });

  it('pads a short last block with the zero point and packs two blocks of zero points per byte', () => {
    // k = 40 -> blocks of 32 and 8 (padded to 32); row 0's blocks have different ranges.
    const weight = new Float32Array(2 * 40);
    weight[0] = 1.5; // block 0: [0, 1.5] -> zero point 0
    weight[32] = -3; // block 1: [-3, 0] -> zero point 15
    const q = quantizeBlockwise(weight, 2, 40, 4, 32);
    expect(q.blocksPerColumn).toBe(2);
    expect(q.packed.length).toBe(2 * 2 * 16);
    expect(q.zeroPoints.length).toBe(2); // ceil(2 blocks * 4 bits / 8) = 1 byte per row
    expect(q.zeroPoints[0]).toBe(0 | (15 << 4));
    const block1 = q.packed.subarray(16, 32);
    expect(block1[0]).toBe(0 | (15 << 4)); // -3 -> 0, then 0 -> 15
    expect(block1[15]).toBe(15 | (15 << 4)); // padding: the zero point
    expect(Array.from(dequantizeBlockwise(q).subarray(0, 40))).toEqual(Array.from(weight.subarray(0, 40)).map((v) => (v === 0 ? 0 : v)));
  });

  it('stores 8-bit codes one per byte', () => {
    const q = quantizeBlockwise(Float32Array.from({ length: 16 }, (_, i) => i - 8), 1, 16, 8, 16);
    expect(q.scales[0]).toBeCloseTo(15 / 255, 7);
    expect(q.zeroPoints[0]).toBe(Math.round(8 / Math.fround(15 / 255)));
    expect(q.packed[0]).toBe(0);
    expect(q.packed[15]).toBe(255);
  });

  it('round-trips within half a step of each block', () => {
    const [n, k] = [6, 72];
    const weight = randomArray(seededRandom(5), n * k, 0.5);
    for (const bits of [4, 8] as const) {
      const q = quantizeBlockwise(weight, n, k, bits, 32);
      const back = dequantizeBlockwise(q);
      for (let i = 0; i < weight.length; i++) {
        const scale = q.scales[Math.floor(i / k) * q.blocksPerColumn + Math.floor((i % k) / 32)];
        expect(Math.abs(back[i] - weight[i])).toBeLessThanOrEqual(scale / 2 + 1e-7);
      }
    }
  });

  it('refuses block sizes MatMulNBits cannot take', () => {
    expect(() => quantizeBlockwise(new Float32Array(48), 1, 48, 4, 48)).toThrow('block size must be a power of two >= 16');
    expect(() => quantizeBlockwise(new Float32Array(5), 1, 4, 4, 32)).toThrow('do not form a [1, 4] matrix');
  });
});
