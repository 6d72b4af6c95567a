import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Stream } from '../../src/storage/sha256Stream';

function bytesOf(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 255);
}

describe('sha256Stream', () => {
  it('matches node:crypto for lengths around the padding boundaries', () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const data = bytesOf(length);
      const stream = sha256Stream();
      stream.update(data);
      expect(stream.hex(), `length ${length}`).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('gives the same digest whatever the chunking', () => {
    const data = bytesOf(10_000);
    const stream = sha256Stream();
    for (let at = 0, size = 1; at < data.length; at += size, size = (size * 7) % 97 + 1) stream.update(data.subarray(at, at + size));
    expect(stream.hex()).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('refuses updates after the digest', () => {
    const stream = sha256Stream();
    stream.hex();
    expect(() => stream.update(new Uint8Array(1))).toThrow(/after hex/);
  });
});
