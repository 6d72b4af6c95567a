import { describe, expect, it } from 'vitest';
import { transposeMatrix } from '../../../src/convert/graphs/graphParts';

describe('transposeMatrix', () => {
  it('turns a row-major [2, 3] into [3, 2]', () => {
    expect(Array.from(transposeMatrix(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3))).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('rejects data that does not fill the matrix', () => {
    expect(() => transposeMatrix(new Float32Array(5), 2, 3)).toThrow(/5 values do not form a \[2, 3\] matrix/);
  });
});
