import { describe, expect, it } from 'vitest';
import { resolveLabel } from '../../../src/analysis/concepts/labelLookup';

describe('resolveLabel', () => {
  it('takes an index, its decimal string, or a display name in any case', () => {
    expect(resolveLabel(140)).toBe(140);
    expect(resolveLabel(' 140 ')).toBe(140);
    expect(resolveLabel('violin, FIDDLE')).toBe(191);
    expect(resolveLabel('  Electronic dance music ')).toBe(245);
  });

  it('refuses indices outside 0..526 and unknown names, suggesting close ones', () => {
    expect(() => resolveLabel(1.5)).toThrow('label index 1.5 is outside the AudioSet classes 0..526');
    expect(() => resolveLabel(-1)).toThrow(/outside/);
    expect(() => resolveLabel('Guitars')).toThrow('"Guitars" is not an AudioSet label (did you mean "Guitar"');
    expect(() => resolveLabel('Kazoo')).toThrow(/^"Kazoo" is not an AudioSet label$/);
  });
});
