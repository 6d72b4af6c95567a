import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashBlob } from '../../src/storage/hashBlob';

describe('hashBlob', () => {
  it('hashes small blobs in one call and large ones slice by slice, with the same digest', async () => {
    const small = Uint8Array.from({ length: 1000 }, (_, i) => i & 255);
    expect(await hashBlob(new Blob([small]))).toBe(createHash('sha256').update(small).digest('hex'));
    const large = new Uint8Array(256 * 1024 * 1024 + 3); // just over the one-call limit
    large[large.length - 1] = 9;
    expect(await hashBlob(new Blob([large]))).toBe(createHash('sha256').update(large).digest('hex'));
  });
});
