import { describe, expect, it } from 'vitest';
import { arrayBufferSource, blobSource } from '../../src/checkpoint/byteSources';
import { CheckpointError, openSafetensors } from '../../src/checkpoint/safetensors';
import { makeSafetensors, ramp } from './makeSafetensors';

const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);

describe('arrayBufferSource', () => {
  it('reads ranges of an ArrayBuffer or a Uint8Array view as copies', async () => {
    const fromBuffer = arrayBufferSource(bytes.buffer, 'buf');
    expect(await fromBuffer.size()).toBe(100);
    expect(Array.from(await fromBuffer.read(10, 14))).toEqual([10, 11, 12, 13]);
    const view = arrayBufferSource(bytes.subarray(50), 'view');
    expect(await view.size()).toBe(50);
    const read = await view.read(0, 2);
    expect(Array.from(read)).toEqual([50, 51]);
    read[0] = 0;
    expect(bytes[50]).toBe(50);
    expect((await view.read(3, 3)).length).toBe(0);
  });

  it('rejects reads past the end or with a bad range, naming the source', async () => {
    const source = arrayBufferSource(bytes, 'mem.bin');
    await expect(source.read(90, 101)).rejects.toThrow('mem.bin: read [90, 101) passes the end of mem.bin (size 100)');
    await expect(source.read(5, 4)).rejects.toThrow(CheckpointError);
    await expect(source.read(-1, 4)).rejects.toThrow(/invalid read range/);
  });
});

describe('blobSource', () => {
  it('uses a File name and reads only slices', async () => {
    const file = new File([bytes], 'weights.bin');
    const source = blobSource(file);
    expect(source.name).toBe('weights.bin');
    expect(await source.size()).toBe(100);
    expect(Array.from(await source.read(97, 100))).toEqual([97, 98, 99]);
    await expect(source.read(0, 200)).rejects.toThrow(/passes the end of weights\.bin \(size 100\)/);
    expect(blobSource(new Blob([bytes])).name).toBe('blob');
    expect(blobSource(new Blob([bytes]), 'named').name).toBe('named');
  });

  it('serves a safetensors file from a Blob', async () => {
    const blob = new Blob([makeSafetensors([{ name: 'w', dtype: 'F32', shape: [2, 2], data: ramp(4) }])]);
    const reader = await openSafetensors(blobSource(blob, 'dropped.safetensors'));
    expect(Array.from(await reader.readFloat32('w', [2, 2]))).toEqual([0, 0.5, 1, 1.5]);
  });
});
