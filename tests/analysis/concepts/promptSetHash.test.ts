import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { promptSetHash } from '../../../src/analysis/concepts/promptSetHash';

describe('promptSetHash', () => {
  it('is the sha256 of the prompts as a JSON array', async () => {
    const prompts = ['a rock piece', 'a jazz piece'];
    expect(await promptSetHash(prompts)).toBe(createHash('sha256').update('["a rock piece","a jazz piece"]').digest('hex'));
  });

  it('changes with order, count and content, and cannot be fooled by joining prompts', async () => {
    const hashes = await Promise.all([['a', 'b'], ['b', 'a'], ['a'], ['a', 'b', 'b'], ['a\nb'], ['a,b']].map(promptSetHash));
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(await promptSetHash(['a', 'b'])).toBe(hashes[0]);
  });
});
