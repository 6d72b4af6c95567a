import { describe, expect, it } from 'vitest';
import { addStep, createMeanSums, meanSumsBytes, meansOf } from '../../../src/analysis/means/kernel';
import { meanHandler } from '../../../src/analysis/means/handler';

describe('mean sums', () => {
  it('add each slot of a step into sums[step] and divide by the prompt count', () => {
    const state = createMeanSums(['blocks.0.hook_mlp_out'], 2, 2);
    // step 1, two slots: [cond, null] × d=2 each
    addStep(state, 'blocks.0.hook_mlp_out', Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8), 2, 1);
    state.count = 2;
    expect(Array.from(state.sums.get('blocks.0.hook_mlp_out')!)).toEqual([0, 0, 0, 0, 6, 8, 10, 12]);
    expect(Array.from(meansOf(state).get('blocks.0.hook_mlp_out')!)).toEqual([0, 0, 0, 0, 3, 4, 5, 6]);
  });

  it('only read the active slots of a batch (rows past them belong to nobody)', () => {
    const state = createMeanSums(['blocks.0.hook_attn_out'], 1, 1);
    addStep(state, 'blocks.0.hook_attn_out', Float32Array.of(1, 2, 100, 200), 1, 0);
    expect(Array.from(state.sums.get('blocks.0.hook_attn_out')!)).toEqual([1, 2]);
  });

  it('do not depend on the number of prompts in size', () => {
    expect(meanSumsBytes(72, 203, 1024)).toBe(72 * 203 * 2 * 1024 * 4);
    const handler = meanHandler(createMeanSums(['blocks.1.hook_mlp_out'], 3, 4));
    expect(handler.sites).toEqual(['blocks.1.hook_mlp_out']);
  });

  it('refuse bad input with a readable error', () => {
    expect(() => createMeanSums([], 2, 2)).toThrow(/at least one hook/);
    expect(() => createMeanSums(['blocks.0.hook_mlp_out', 'blocks.0.hook_mlp_out'], 2, 2)).toThrow(/repeat/);
    const state = createMeanSums(['blocks.0.hook_mlp_out'], 2, 2);
    expect(() => addStep(state, 'blocks.1.hook_mlp_out', new Float32Array(4), 1, 0)).toThrow(/not one of the means' hooks/);
    expect(() => addStep(state, 'blocks.0.hook_mlp_out', new Float32Array(4), 1, 2)).toThrow(/step must be/);
    expect(() => meansOf(state)).toThrow(/no prompt has finished/);
  });
});
