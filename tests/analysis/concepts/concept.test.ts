import { describe, expect, it } from 'vitest';
import { conceptPrompts, firstRelevantLabel, type Concept } from '../../../src/analysis/concepts/concept';

const custom: Concept = { id: 'lofi', name: 'Lo-fi', relevantLabels: [217, 137], source: { kind: 'custom', prompts: ['a', 'b'] } };
const template: Concept = { id: 'guitar', name: 'guitar', relevantLabels: [140], source: { kind: 'template', slot: 'INSTRUMENTS', value: 'guitar' } };

describe('conceptPrompts', () => {
  it('gives a template concept the paper\'s 100 by default, a custom one all of its prompts', () => {
    expect(conceptPrompts(template)).toHaveLength(100);
    expect(conceptPrompts(template, 3)).toHaveLength(3);
    expect(conceptPrompts(custom)).toEqual(['a', 'b']);
    expect(conceptPrompts(custom, 1)).toEqual(['a']);
  });

  it('refuses to give more prompts than exist, or a count that is not a whole number', () => {
    expect(() => conceptPrompts(custom, 3)).toThrow('concept "Lo-fi" has 2 prompts, asked for 3');
    expect(() => conceptPrompts(custom, 0)).toThrow(/whole number ≥ 1/);
    expect(() => conceptPrompts(template, 200)).toThrow(/only 125 template prompts/);
  });

  it('reads the effect metric\'s label as the first relevant one', () => {
    expect(firstRelevantLabel(custom)).toBe(217);
  });
});
