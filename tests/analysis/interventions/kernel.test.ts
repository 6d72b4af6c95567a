import { describe, expect, it } from 'vitest';
import { allSites, frameWindowToSteps, interventionPatches, siteHook, type InterventionContext } from '../../../src/analysis/interventions/kernel';

const d = 2;
const steps = 2;
// [steps, 2, d] per hook
const from = new Map([['blocks.1.hook_mlp_out', Float32Array.of(1, 1, 1, 1, 2, 2, 2, 2)]]);
const to = new Map([['blocks.1.hook_mlp_out', Float32Array.of(3, 4, 5, 6, 7, 8, 9, 10)]]);
const context: InterventionContext = { numLayers: 2, d, numCodebooks: 4, totalFrames: steps - 3 + 3, from, to };
const site = { layer: 1, module: 'mlp' as const };

describe('interventions as patches', () => {
  it('replace writes the desired mean, on the conditional branch by default', () => {
    const [patch] = interventionPatches({ method: 'replace', sites: [site] }, context);
    expect(patch).toMatchObject({ hook: 'blocks.1.hook_mlp_out', kind: 'replace', branches: 'cond' });
    expect(Array.from(patch.values)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(patch.steps).toBeUndefined();
  });

  it('adjust adds mean_to − mean_from', () => {
    const [patch] = interventionPatches({ method: 'adjust', sites: [site], branches: 'both' }, context);
    expect(patch).toMatchObject({ kind: 'adjust', branches: 'both' });
    expect(Array.from(patch.values)).toEqual([2, 3, 4, 5, 5, 6, 7, 8]);
  });

  it('steer adds α · (mean_to − mean_from) or α · a vector of the user', () => {
    const [byMeans] = interventionPatches({ method: 'steer', sites: [site], alpha: 4 }, context);
    expect(byMeans).toMatchObject({ kind: 'add', scale: 4 });
    expect(Array.from(byMeans.values)).toEqual([2, 3, 4, 5, 5, 6, 7, 8]);
    const [byVector] = interventionPatches({ method: 'steer', sites: [site, { layer: 0, module: 'attn' }], vector: Float32Array.of(0.5, -1) }, { ...context, from: undefined, to: undefined });
    expect(byVector).toMatchObject({ kind: 'add', scale: 1 });
    expect(Array.from(byVector.values)).toEqual([0.5, -1]);
  });

  it('turns a frame window into the decoder steps that write those frames (delay pattern)', () => {
    // frame f of codebook k is sampled at step f + k: frames [2, 5) with K = 4 are steps 2..7
    expect(frameWindowToSteps(2, 5, 4, 200)).toEqual([2, 8]);
    expect(frameWindowToSteps(0, 200, 4, 200)).toEqual([0, 203]); // the whole clip = every step
    const [patch] = interventionPatches({ method: 'replace', sites: [site], frames: [0, 1] }, { ...context, totalFrames: 50 });
    expect(patch.steps).toEqual([0, 4]);
    expect(() => frameWindowToSteps(3, 3, 4, 200)).toThrow(/non-empty/);
    expect(() => frameWindowToSteps(0, 201, 4, 200)).toThrow(/inside \[0, 200\)/);
  });

  it('lists every site and names its hook', () => {
    expect(allSites(2).map(siteHook)).toEqual(['blocks.0.hook_attn_out', 'blocks.0.hook_cross_attn_out', 'blocks.0.hook_mlp_out', 'blocks.1.hook_attn_out', 'blocks.1.hook_cross_attn_out', 'blocks.1.hook_mlp_out']);
  });

  it('says what is missing or wrong', () => {
    expect(() => interventionPatches({ method: 'adjust', sites: [site] }, { ...context, from: undefined })).toThrow(/adjust needs the original concept's means/);
    expect(() => interventionPatches({ method: 'replace', sites: [{ layer: 0, module: 'mlp' }] }, context)).toThrow(/desired concept's means have no blocks\.0\.hook_mlp_out/);
    expect(() => interventionPatches({ method: 'replace', sites: [site, site] }, context)).toThrow(/listed twice/);
    expect(() => interventionPatches({ method: 'replace', sites: [{ layer: 2, module: 'mlp' }] }, context)).toThrow(/not in 0\.\.1/);
    expect(() => interventionPatches({ method: 'replace', sites: [] }, context)).toThrow(/at least one site/);
    expect(() => interventionPatches({ method: 'replace', sites: [site], alpha: 2 }, context)).toThrow(/steer only/);
    expect(() => interventionPatches({ method: 'steer', sites: [site], vector: new Float32Array(3) }, context)).toThrow(/3 values, the model's width is 2/);
    const short = new Map([['blocks.1.hook_mlp_out', new Float32Array(4)]]);
    expect(() => interventionPatches({ method: 'adjust', sites: [site] }, { ...context, from: short })).toThrow(/differ in length/);
  });
});
