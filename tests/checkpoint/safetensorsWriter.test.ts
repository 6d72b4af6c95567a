import { describe, expect, it } from 'vitest';
import { arrayBufferSource } from '../../src/checkpoint/byteSources';
import { openSafetensors } from '../../src/checkpoint/safetensors';
import { writeSafetensors, type WritableTensor } from '../../src/checkpoint/safetensorsWriter';
import { float16ArrayToFloat32, float32ArrayToFloat16 } from '../../src/tensor/float16';

const matrix = Float32Array.from({ length: 6 }, (_, i) => i * 0.5 - 1); // [2, 3]
const halves = float32ArrayToFloat16(Float32Array.from([0.25, -2, 1000])); // [3]
const longs = BigInt64Array.from([-1n, 0n, 9007199254740993n]); // [3]
const scalar = Float32Array.from([7]); // []

const tensors: WritableTensor[] = [
  { name: 'a.matrix', dtype: 'F32', shape: [2, 3], data: matrix },
  { name: 'b.halves', dtype: 'F16', shape: [3], data: halves },
  { name: 'c.longs', dtype: 'I64', shape: [3], data: longs },
  { name: 'd.scalar', dtype: 'F32', shape: [], data: scalar },
];

/** Minimal independent parse: header length, header JSON, data section. */
function parseByHand(file: Uint8Array) {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const headerText = new TextDecoder().decode(file.subarray(8, 8 + headerLength));
  const header = JSON.parse(headerText) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const dataStart = 8 + headerLength;
  const bytesOf = (name: string) => {
    const [begin, end] = header[name].data_offsets;
    return file.slice(dataStart + begin, dataStart + end);
  };
  return { headerLength, headerText, header, dataStart, bytesOf };
}

describe('writeSafetensors', () => {
  const file = writeSafetensors(tensors, { format: 'pt' });

  it('writes an 8-byte-aligned, space-padded JSON header followed by the data in order', () => {
    const { headerLength, headerText, header, dataStart } = parseByHand(file);
    expect(headerLength % 8).toBe(0);
    expect(headerText.trimEnd().length).toBeGreaterThan(headerLength - 8);
    expect(headerText.slice(headerText.trimEnd().length)).toMatch(/^ *$/);
    expect(Object.keys(header)).toEqual(['__metadata__', 'a.matrix', 'b.halves', 'c.longs', 'd.scalar']);
    expect(header.__metadata__).toEqual({ format: 'pt' });
    expect(header['a.matrix']).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
    expect(header['b.halves']).toEqual({ dtype: 'F16', shape: [3], data_offsets: [24, 30] });
    expect(header['c.longs']).toEqual({ dtype: 'I64', shape: [3], data_offsets: [30, 54] });
    expect(header['d.scalar']).toEqual({ dtype: 'F32', shape: [], data_offsets: [54, 58] });
    expect(file.byteLength).toBe(dataStart + 58);
  });

  it('round-trips every dtype through a hand-written parse', () => {
    const { bytesOf } = parseByHand(file);
    expect(new Float32Array(bytesOf('a.matrix').buffer)).toEqual(matrix);
    expect(new Uint16Array(bytesOf('b.halves').buffer)).toEqual(halves);
    expect(new BigInt64Array(bytesOf('c.longs').buffer)).toEqual(longs);
    expect(new Float32Array(bytesOf('d.scalar').buffer)).toEqual(scalar);
  });

  it('round-trips through the project reader (openSafetensors)', async () => {
    const reader = await openSafetensors(arrayBufferSource(file, 'written.safetensors'));
    expect(reader.names()).toEqual(['a.matrix', 'b.halves', 'c.longs', 'd.scalar']);
    expect(reader.info('a.matrix')).toMatchObject({ dtype: 'F32', shape: [2, 3], byteLength: 24 });
    expect(await reader.readFloat32('a.matrix', [2, 3])).toEqual(matrix);
    expect(await reader.readFloat32('b.halves', [3])).toEqual(float16ArrayToFloat32(halves));
    expect(new BigInt64Array((await reader.readRaw('c.longs')).slice().buffer)).toEqual(longs);
    expect(await reader.readFloat32('d.scalar', [])).toEqual(scalar);
  });

  it('copies only the viewed bytes of a subarray', () => {
    const backing = Float32Array.from([9, 1, 2, 9]);
    const written = writeSafetensors([{ name: 'x', dtype: 'F32', shape: [2], data: backing.subarray(1, 3) }]);
    const { bytesOf, header } = parseByHand(written);
    expect(header.__metadata__).toBeUndefined();
    expect(new Float32Array(bytesOf('x').buffer)).toEqual(Float32Array.from([1, 2]));
  });

  it('is deterministic', () => {
    expect(writeSafetensors(tensors, { format: 'pt' })).toEqual(file);
  });

  it('rejects a shape that does not match the data, a wrong array type, and duplicate names', () => {
    expect(() => writeSafetensors([{ name: 'x', dtype: 'F32', shape: [2, 2], data: new Float32Array(3) }])).toThrow(/needs 4 values, data has 3/);
    expect(() => writeSafetensors([{ name: 'x', dtype: 'F16', shape: [2], data: new Float32Array(2) }])).toThrow(/F16 needs a Uint16Array/);
    expect(() =>
      writeSafetensors([
        { name: 'x', dtype: 'F32', shape: [1], data: new Float32Array(1) },
        { name: 'x', dtype: 'F32', shape: [1], data: new Float32Array(1) },
      ]),
    ).toThrow(/used twice/);
    expect(() => writeSafetensors([{ name: '__metadata__', dtype: 'F32', shape: [1], data: new Float32Array(1) }])).toThrow(/invalid tensor name/);
  });
});
