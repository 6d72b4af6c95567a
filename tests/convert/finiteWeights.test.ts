import { describe, expect, it } from 'vitest';
import { checkWeightValues, firstFloat16Overflow, firstNonFinite, scanningReader, unflattenIndex } from '../../src/convert/finiteWeights';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../../src/tensor/float16';
import { memoryReader } from './tinyCheckpoint';

describe('weight scans', () => {
  it('finds the first NaN/Infinity and the first value float16 cannot hold', () => {
    expect(firstNonFinite(Float32Array.of(1, 2, 3))).toBe(-1);
    expect(firstNonFinite(Float32Array.of(1, Number.NaN, Infinity))).toBe(1);
    // 65519 still rounds to 65504; 65520 is the first value that becomes Infinity in float16.
    expect(float16BitsToFloat32(float32ToFloat16Bits(65519))).toBe(65504);
    expect(float16BitsToFloat32(float32ToFloat16Bits(65520))).toBe(Infinity);
    expect(firstFloat16Overflow(Float32Array.of(65519, -65519))).toBe(-1);
    expect(firstFloat16Overflow(Float32Array.of(0, -65520))).toBe(1);
  });

  it('names the tensor and the element', () => {
    expect(unflattenIndex(7, [2, 3, 2])).toEqual([1, 0, 1]);
    expect(() => checkWeightValues('ckpt', 'w', [2, 2], Float32Array.of(0, 0, 0, Number.NaN), 'fp32')).toThrow('ckpt: tensor "w" holds NaN at [1, 1] (flat index 3)');
    expect(() => checkWeightValues('ckpt', 'w', [2], Float32Array.of(7e4, 0), 'fp32')).not.toThrow();
    expect(() => checkWeightValues('ckpt', 'w', [2], Float32Array.of(7e4, 0), 'fp16')).toThrow('holds 70000 at [0] (flat index 0), beyond float16');
  });

  it('scans every float32 read of a reader', async () => {
    const reader = scanningReader(memoryReader(new Map([['w', { shape: [2], data: Float32Array.of(1, -Infinity) }]])), 'fp32');
    await expect(reader.readFloat32('w', [2])).rejects.toThrow('tensor "w" holds -Infinity at [1]');
  });
});
