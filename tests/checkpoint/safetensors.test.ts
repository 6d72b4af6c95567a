import { failure } from './expectCheckpointError';
import { describe, expect, it } from 'vitest';
import { arrayBufferSource } from '../../src/checkpoint/byteSources';
import { MAX_HEADER_BYTES, openSafetensors } from '../../src/checkpoint/safetensors';
import type { ByteSource } from '../../src/checkpoint/types';
import { makeSafetensors, ramp, u16Bytes, type MakeOptions, type TensorBytes } from './makeSafetensors';

/** Wraps a source and records every read, to prove what was (not) read. */
function recording(source: ByteSource): ByteSource & { reads: [number, number][] } {
  const reads: [number, number][] = [];
  return { name: source.name, size: () => source.size(), reads, read: (s, e) => (reads.push([s, e]), source.read(s, e)) };
}

const twoTensors: TensorBytes[] = [
  { name: 'a.weight', dtype: 'F32', shape: [2, 3], data: ramp(6) },
  { name: 'b.bias', dtype: 'F32', shape: [4], data: ramp(4, 10) },
];

function open(tensors: TensorBytes[], options?: MakeOptions, name = 'test.safetensors') {
  return openSafetensors(arrayBufferSource(makeSafetensors(tensors, options), name));
}


describe('openSafetensors: valid files', () => {
  it('lists tensors, ignores __metadata__ and reads float32 values with absolute offsets', async () => {
    const bytes = makeSafetensors(twoTensors, { metadata: { format: 'pt' }, padTo: 8 });
    const reader = await openSafetensors(arrayBufferSource(bytes, 'm.safetensors'));
    expect(reader.name).toBe('m.safetensors');
    expect(reader.names()).toEqual(['a.weight', 'b.bias']);
    expect(reader.has('__metadata__')).toBe(false);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    expect(reader.info('b.bias')).toEqual({ name: 'b.bias', dtype: 'F32', shape: [4], byteOffset: 8 + headerLength + 24, byteLength: 16 });
    expect(Array.from(await reader.readFloat32('a.weight', [2, 3]))).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(Array.from(await reader.readFloat32('b.bias'))).toEqual([10, 10.5, 11, 11.5]);
  });

  it('returns a fresh Float32Array each time', async () => {
    const reader = await open(twoTensors);
    const first = await reader.readFloat32('b.bias');
    first[0] = 99;
    expect((await reader.readFloat32('b.bias'))[0]).toBe(10);
  });

  it('converts F16 bit patterns to float32', async () => {
    // 1, -2, 65504 (max half), 2^-24 (smallest subnormal), 1/3 rounded to half, +Inf
    const bits = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x3555, 0x7c00];
    const reader = await open([{ name: 'h', dtype: 'F16', shape: [6], data: u16Bytes(bits) }]);
    expect(Array.from(await reader.readFloat32('h'))).toEqual([1, -2, 65504, 2 ** -24, 0.333251953125, Infinity]);
  });

  it('converts BF16 bit patterns to float32', async () => {
    // bfloat16 is the top half of a float32: 1, pi rounded (3.140625), -123.5, 2^-126
    const bits = [0x3f80, 0x4049, 0xc2f7, 0x0080];
    const reader = await open([{ name: 'b', dtype: 'BF16', shape: [2, 2], data: u16Bytes(bits) }]);
    expect(Array.from(await reader.readFloat32('b', [2, 2]))).toEqual([1, 3.140625, -123.5, 2 ** -126]);
  });

  it('converts tensors whose bytes arrive at any alignment, without aliasing the source', async () => {
    const tensors: TensorBytes[] = [
      { name: 'byte', dtype: 'U8', shape: [1], data: new Uint8Array([7]) }, // shifts everything after it by one byte
      { name: 'f32', dtype: 'F32', shape: [3], data: ramp(3, 1) },
      { name: 'f16', dtype: 'F16', shape: [2], data: u16Bytes([0x3c00, 0x4000]) },
      { name: 'bf16', dtype: 'BF16', shape: [1], data: u16Bytes([0x3f80]) },
    ];
    const file = makeSafetensors(tensors, { padTo: 8 });
    for (const shift of [0, 1, 2, 3]) {
      // A zero-copy source whose views start `shift` bytes into their buffer.
      const backing = new Uint8Array(file.length + shift);
      backing.set(file, shift);
      const bytes = backing.subarray(shift);
      const source: ByteSource = { name: `shift${shift}`, size: async () => bytes.length, read: async (s, e) => bytes.subarray(s, e) };
      const reader = await openSafetensors(source);
      expect(reader.info('f16').byteOffset % 2).toBe(1); // odd inside the file too
      const f32 = await reader.readFloat32('f32');
      expect(Array.from(f32)).toEqual([1, 1.5, 2]);
      expect(Array.from(await reader.readFloat32('f16'))).toEqual([1, 2]);
      expect(Array.from(await reader.readFloat32('bf16'))).toEqual([1]);
      expect(Array.from(await reader.readRaw('byte'))).toEqual([7]);
      expect(f32.buffer).not.toBe(backing.buffer);
    }
  });

  it('reads integer tensors raw and refuses to convert them to float32 before reading', async () => {
    const ints = new Uint8Array(16);
    new DataView(ints.buffer).setBigInt64(8, -5n, true);
    const source = recording(arrayBufferSource(makeSafetensors([{ name: 'ids', dtype: 'I64', shape: [2], data: ints }]), 'ints.safetensors'));
    const reader = await openSafetensors(source);
    const raw = await reader.readRaw('ids');
    expect(new DataView(raw.buffer, raw.byteOffset).getBigInt64(8, true)).toBe(-5n);
    const readsBefore = source.reads.length;
    const error = await failure(reader.readFloat32('ids'));
    expect(error.message).toMatch(/ints\.safetensors.*"ids".*I64/);
    expect(source.reads.length).toBe(readsBefore);
  });

  it('reads only the header and the requested tensor bytes', async () => {
    const tensors: TensorBytes[] = Array.from({ length: 8 }, (_, i) => ({ name: `t${i}`, dtype: 'F32', shape: [256], data: ramp(256, i) }));
    const source = recording(arrayBufferSource(makeSafetensors(tensors), 'big.safetensors'));
    const reader = await openSafetensors(source);
    expect(source.reads.length).toBe(2); // u64 length, then header
    const info = reader.info('t5');
    const values = await reader.readFloat32('t5');
    expect(values[3]).toBe(5 + 1.5);
    expect(source.reads.slice(2)).toEqual([[info.byteOffset, info.byteOffset + 1024]]);
  });
});

describe('openSafetensors: bad files are refused before any tensor read', () => {
  it('refuses a truncated file, naming the file and the tensor past the end', async () => {
    const full = makeSafetensors(twoTensors);
    const source = recording(arrayBufferSource(full.slice(0, full.length - 5), 'cut.safetensors'));
    const error = await failure(openSafetensors(source));
    expect(error.code).toBe('truncated');
    expect(error.message).toContain('cut.safetensors');
    expect(error.message).toContain('"b.bias"');
    expect(error.message).toMatch(/truncated/);
    expect(source.reads.every(([start]) => start < 8 + Number(new DataView(full.buffer).getBigUint64(0, true)))).toBe(true);
  });

  it('refuses a header length that passes the end of the file', async () => {
    const bytes = makeSafetensors(twoTensors, { headerLength: 1_000_000n });
    const error = await failure(openSafetensors(arrayBufferSource(bytes, 'short.safetensors')));
    expect(error.message).toContain(`header length 1000000 passes the end of short.safetensors (size ${bytes.length})`);
  });

  it('refuses an absurd u64 header length (not a safetensors file)', async () => {
    const html = new TextEncoder().encode('<!DOCTYPE html><html>Sign in</html>');
    const error = await failure(openSafetensors(arrayBufferSource(html, 'page.safetensors')));
    expect(error.message).toMatch(/header length \d+ passes the end of page\.safetensors/);
  });

  it('refuses a header over 100 MiB without reading or allocating it', async () => {
    const declared = MAX_HEADER_BYTES + 1;
    // A sparse 1 GiB "file": its first 8 bytes declare the header length; nothing else may be read.
    const prefix = new Uint8Array(8);
    new DataView(prefix.buffer).setBigUint64(0, BigInt(declared), true);
    const reads: [number, number][] = [];
    const source: ByteSource = {
      name: 'huge-header.safetensors',
      size: async () => 2 ** 30,
      read: async (start, end) => {
        reads.push([start, end]);
        if (end > 8) throw new Error('test source: only the length prefix may be read');
        return prefix.slice(start, end);
      },
    };
    const error = await failure(openSafetensors(source));
    expect(error.message).toContain('huge-header.safetensors');
    expect(error.message).toContain(`header length ${declared}`);
    expect(error.message).toMatch(/limit/);
    expect(reads).toEqual([[0, 8]]);
  });

  it('refuses a file shorter than the length prefix', async () => {
    const error = await failure(openSafetensors(arrayBufferSource(new Uint8Array(5), 'tiny.bin')));
    expect(error.message).toContain('tiny.bin is 5 bytes');
  });

  it('refuses an invalid JSON header', async () => {
    const error = await failure(open(twoTensors, { rawHeader: '{"a.weight": {"dtype": "F32", ' }, 'json.safetensors'));
    expect(error.code).toBe('format');
    expect(error.message).toMatch(/json\.safetensors.*not valid UTF-8 JSON/);
  });

  it('refuses a header that is not a JSON object', async () => {
    const error = await failure(open(twoTensors, { rawHeader: '[1, 2, 3]' }));
    expect(error.message).toMatch(/must be a JSON object/);
  });

  it('refuses an unknown dtype, naming the tensor and the known dtypes', async () => {
    const error = await failure(open(twoTensors, { editHeader: (h) => ((h['a.weight'] as { dtype: string }).dtype = 'F64') }));
    expect(error.message).toMatch(/tensor "a\.weight" has unknown dtype "F64" \(known: F32, F16, BF16, I64, I32, U8\)/);
  });

  it.each([[[2.5, 2]], [[-2, -3]], ['6']])('refuses an invalid shape %j', async (shape) => {
    const error = await failure(open(twoTensors, { editHeader: (h) => ((h['a.weight'] as { shape: unknown }).shape = shape) }));
    expect(error.message).toMatch(/tensor "a\.weight" has an invalid shape/);
  });

  it('refuses data_offsets that do not match prod(shape) * itemsize', async () => {
    const error = await failure(open(twoTensors, { editHeader: (h) => ((h['a.weight'] as { shape: number[] }).shape = [2, 2]) }));
    expect(error.message).toContain('tensor "a.weight" data_offsets [0, 24] span 24 bytes, but F32 [2, 2] needs 16');
  });

  it('refuses data_offsets outside the data section', async () => {
    const reversed = await failure(open(twoTensors, { editHeader: (h) => ((h['b.bias'] as { data_offsets: number[] }).data_offsets = [40, 24]) }));
    expect(reversed.message).toMatch(/"b\.bias" has invalid data_offsets \[40,24\]/);
    const negative = await failure(open(twoTensors, { editHeader: (h) => ((h['b.bias'] as { data_offsets: number[] }).data_offsets = [-16, 0]) }));
    expect(negative.message).toMatch(/"b\.bias" has invalid data_offsets/);
    const past = await failure(open(twoTensors, { editHeader: (h) => ((h['b.bias'] as { data_offsets: number[] }).data_offsets = [100, 116]) }));
    expect(past.message).toMatch(/"b\.bias" ends at data byte 116, but the data section holds only 40 bytes/);
  });

  it('refuses overlapping tensors', async () => {
    const error = await failure(open(twoTensors, { editHeader: (h) => ((h['b.bias'] as { data_offsets: number[] }).data_offsets = [8, 24]) }));
    expect(error.message).toMatch(/"a\.weight" and "b\.bias" overlap/);
  });
});

describe('TensorReader errors', () => {
  it('names the file and the missing tensor, and suggests close names', async () => {
    const reader = await open(
      [
        { name: 'decoder.model.decoder.layers.0.fc1.weight', dtype: 'F32', shape: [1], data: ramp(1) },
        { name: 'decoder.model.decoder.layers.0.fc2.weight', dtype: 'F32', shape: [1], data: ramp(1) },
        { name: 'enc_to_dec_proj.weight', dtype: 'F32', shape: [1], data: ramp(1) },
      ],
      {},
      'ckpt.safetensors',
    );
    const typo = await failure(reader.readFloat32('decoder.model.decoder.layer.0.fc1.weight'));
    expect(typo.code).toBe('missing-tensor');
    expect(typo.message).toContain('ckpt.safetensors has no tensor "decoder.model.decoder.layer.0.fc1.weight"');
    expect(typo.message).toContain('did you mean "decoder.model.decoder.layers.0.fc1.weight"');
    const noPrefix = await failure(reader.readRaw('model.decoder.layers.0.fc2.weight'));
    expect(noPrefix.message).toContain('did you mean "decoder.model.decoder.layers.0.fc2.weight"');
    expect(() => reader.info('text_encoder.shared.weight')).toThrow(/has no tensor "text_encoder\.shared\.weight" \(3 tensors\)$/);
  });

  it('names the expected and actual shape', async () => {
    const reader = await open(twoTensors, {}, 'shape.safetensors');
    const error = await failure(reader.readFloat32('a.weight', [3, 2]));
    expect(error.code).toBe('shape');
    expect(error.message).toBe('shape.safetensors: tensor "a.weight" has shape [2, 3], expected [3, 2]');
  });
});
