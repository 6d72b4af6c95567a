import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decoderSteps, delay, emptySequence, isValidCell, sequenceLength, stepInput, undelay, writeStep } from '../../src/engine/delayPattern';

const S = 2048; // special token of musicgen-small

/** Reads int64 tensors from a safetensors file as Int32Array (the fixture's ids are small). */
function readInt64Tensors(path: URL): Record<string, { shape: number[]; data: Int32Array }> {
  const bytes = readFileSync(path);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const tensors: Record<string, { shape: number[]; data: Int32Array }> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (entry.dtype !== 'I64') continue;
    const [from, to] = entry.data_offsets;
    const start = bytes.byteOffset + 8 + headerLength + from;
    const wide = new BigInt64Array(bytes.buffer.slice(start, start + to - from));
    tensors[name] = { shape: entry.shape, data: Int32Array.from(wide, Number) };
  }
  return tensors;
}

describe('delay pattern layout', () => {
  // frames = 3, K = 4: codebook k's frame f sits at column f + 1 + k.
  const codes = Int32Array.from([
    10, 11, 12, //
    20, 21, 22, //
    30, 31, 32, //
    40, 41, 42, //
  ]); // [4, 3]
  const expected = Int32Array.from([
    S, 10, 11, 12, S, S, S, //
    S, S, 20, 21, 22, S, S, //
    S, S, S, 30, 31, 32, S, //
    S, S, S, S, 40, 41, 42, //
  ]); // [4, 7]

  it('lays out frames=3, K=4 exactly as written by hand', () => {
    expect(Array.from(delay(codes, 3, 4, S))).toEqual(Array.from(expected));
  });

  it('undelays back to the codes', () => {
    expect(Array.from(undelay(expected, 3, 4))).toEqual(Array.from(codes));
  });

  it('round-trips random codes for several shapes', () => {
    for (const [frames, K] of [[1, 1], [1, 4], [5, 1], [7, 4], [200, 4], [3, 8]]) {
      const random = Int32Array.from({ length: K * frames }, (_, i) => (i * 7919) % S);
      const sequence = delay(random, frames, K, S);
      expect(sequence.length).toBe(K * (frames + K));
      expect(Array.from(undelay(sequence, frames, K))).toEqual(Array.from(random));
    }
  });

  it('counts steps and columns', () => {
    expect(decoderSteps(3, 4)).toBe(6);
    expect(decoderSteps(200, 4)).toBe(203);
    expect(decoderSteps(12, 4)).toBe(15);
    expect(decoderSteps(1, 1)).toBe(1);
    expect(sequenceLength(3, 4)).toBe(7);
  });

  it('marks exactly the cells that hold codes as valid', () => {
    const valid: string[] = [];
    for (let k = 0; k < 4; k++) for (let c = 0; c < 7; c++) if (isValidCell(k, c, 3)) valid.push(`${k},${c}`);
    expect(valid).toEqual(['0,1', '0,2', '0,3', '1,2', '1,3', '1,4', '2,3', '2,4', '2,5', '3,4', '3,5', '3,6']);
  });

  it('generates step by step: feeds column s, writes column s + 1, masks invalid cells', () => {
    const frames = 3;
    const K = 4;
    const sequence = emptySequence(frames, K, S);
    expect(sequence.every((token) => token === S)).toBe(true);
    const fed: number[][] = [];
    for (let step = 0; step < decoderSteps(frames, K); step++) {
      fed.push(Array.from(stepInput(sequence, step, K, frames)));
      // A "model" that proposes code 100·k + step for every codebook, valid or not.
      writeStep(sequence, step + 1, Int32Array.from({ length: K }, (_, k) => 100 * k + step), frames, K, S);
    }
    expect(fed[0]).toEqual([S, S, S, S]);
    expect(fed[1]).toEqual([0, S, S, S]);
    expect(fed[4]).toEqual([S, 103, 203, 303]);
    expect(fed[5]).toEqual([S, S, 204, 304]);
    expect(Array.from(undelay(sequence, frames, K))).toEqual([0, 1, 2, 101, 102, 103, 202, 203, 204, 303, 304, 305]);
    expect(Array.from(sequence)).toEqual(Array.from(delay(undelay(sequence, frames, K), frames, K, S)));
  });

  it("matches audiocraft's delayed sequence from the golden fixture", () => {
    const golden = readInt64Tensors(new URL('../../../shared/fixtures/golden-tiny/golden.safetensors', import.meta.url));
    const sequence = golden['generate.sequence']; // [4, 16]
    const codes = golden['generate.codes']; // [4, 12]
    expect(sequence.shape).toEqual([4, 16]);
    expect(codes.shape).toEqual([4, 12]);
    expect(Array.from(undelay(sequence.data, 12, 4))).toEqual(Array.from(codes.data));
    expect(Array.from(delay(codes.data, 12, 4, 32))).toEqual(Array.from(sequence.data));
    expect(decoderSteps(12, 4)).toBe(15);
  });
});

describe('delay pattern validation', () => {
  it('rejects bad sizes', () => {
    expect(() => decoderSteps(0, 4)).toThrow(/frames must be a positive integer, got 0/);
    expect(() => decoderSteps(3, 1.5)).toThrow(/K must be a positive integer/);
    expect(() => emptySequence(3, 4, -1)).toThrow(/special must be a non-negative integer/);
    expect(() => isValidCell(-1, 0, 3)).toThrow(/k must be/);
    expect(() => isValidCell(0, 0.5, 3)).toThrow(/column must be/);
  });

  it('rejects sequences, columns and tokens that do not fit', () => {
    const sequence = emptySequence(3, 4, S);
    expect(() => stepInput(new Int32Array(27), 0, 4, 3)).toThrow(/sequence has length 27, expected 28/);
    expect(() => stepInput(sequence, 6, 4, 3)).toThrow(/column must be an integer in \[0, 6\)/);
    expect(() => writeStep(sequence, 0, [1, 2, 3, 4], 3, 4, S)).toThrow(/column must be an integer in \[1, 7\)/);
    expect(() => writeStep(sequence, 1, [1, 2, 3], 3, 4, S)).toThrow(/tokens has length 3, expected K=4/);
    expect(() => writeStep(sequence, 1, [S, 0, 0, 0], 3, 4, S)).toThrow(/tokens\[0\] = 2048 is not a code in \[0, 2048\)/);
    expect(() => undelay(new Int32Array(5), 3, 4)).toThrow(/sequence has length 5/);
    expect(() => delay(new Int32Array(11), 3, 4, S)).toThrow(/codes has length 11, expected 12/);
    expect(() => delay(new Int32Array(12).fill(-2), 3, 4, S)).toThrow(/codes\[0, 0\] = -2/);
  });
});
