import { describe, expect, it } from 'vitest';
import { topLabels } from '../../src/classifier/topLabels';

describe('topLabels', () => {
  it('ranks by probability, ties by index', () => {
    expect(topLabels([0.1, 0.5, 0.2, 0.2], ['a', 'b', 'c', 'd'], 3)).toEqual([
      { index: 1, label: 'b', probability: 0.5 },
      { index: 2, label: 'c', probability: 0.2 },
      { index: 3, label: 'd', probability: 0.2 },
    ]);
    expect(topLabels([1], ['a'], 5)).toHaveLength(1);
    expect(topLabels([1], ['a'], 0)).toEqual([]);
  });

  it('refuses probabilities and labels of different lengths', () => {
    expect(() => topLabels([1, 0], ['a'], 1)).toThrow('topLabels: 2 probabilities for 1 labels');
  });
});
