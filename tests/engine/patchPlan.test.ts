import { describe, expect, it } from 'vitest';
import { compilePatchPlan, neutralFeeds } from '../../src/engine/patchPlan';
import type { PatchSpec, RowSpec } from '../../src/engine/types';

const L = 3;
const d = 2;
const STEPS = 4;

/** Per-step values [steps, 2, d] with value 100·step + 10·branch + i. */
function perStepValues(steps = STEPS): Float32Array {
  const values = new Float32Array(steps * 2 * d);
  for (let s = 0; s < steps; s++) for (let b = 0; b < 2; b++) for (let i = 0; i < d; i++) values[(s * 2 + b) * d + i] = 100 * s + 10 * b + i;
  return values;
}

const rows: RowSpec[] = [
  { prompt: 0, depth: 3, patches: [{ hook: 'blocks.2.hook_mlp_out', kind: 'replace', values: Float32Array.from([7, 8]) }] },
  {
    prompt: 0,
    depth: 2,
    patches: [{ hook: 'blocks.1.hook_attn_out', kind: 'adjust', values: perStepValues(), branches: 'both', steps: [1, 3] }],
  },
  { prompt: 1, depth: 1, patches: [{ hook: 'blocks.0.hook_cross_attn_out', kind: 'add', values: Float32Array.from([1, 2]), scale: 0.5 }] },
];

function plain(feeds: { keep: Float32Array; add: Float32Array } | null) {
  return feeds && { keep: Array.from(feeds.keep), add: Array.from(feeds.add) };
}

describe('compilePatchPlan feeds', () => {
  const plan = compilePatchPlan(rows, [0, 1, 2], L, d, STEPS);

  it('replace on the cond row only: keep 0, add the values', () => {
    for (let step = 0; step < STEPS; step++) {
      expect(plain(plan.feeds(step, 2, 'mlp', 1))).toEqual({ keep: [0, 0, 1, 1], add: [7, 8, 0, 0] }); // [2, 1, 2]
    }
  });

  it('adjust on both branches picks values[step, branch], only inside its step range', () => {
    expect(plan.feeds(0, 1, 'attn', 2)).toBeNull();
    expect(plain(plan.feeds(1, 1, 'attn', 2))).toEqual({ keep: [1, 1, 1, 1, 1, 1, 1, 1], add: [0, 0, 0, 0, 100, 101, 110, 111] });
    expect(plain(plan.feeds(2, 1, 'attn', 2))).toEqual({ keep: [1, 1, 1, 1, 1, 1, 1, 1], add: [0, 0, 0, 0, 200, 201, 210, 211] });
    expect(plan.feeds(3, 1, 'attn', 2)).toBeNull();
  });

  it('add scales the values on the cond row', () => {
    const feeds = plain(plan.feeds(2, 0, 'cross_attn', 3));
    expect(feeds).toEqual({ keep: new Array(12).fill(1), add: [0, 0, 0, 0, 0, 0, 0, 0, 0.5, 1, 0, 0] });
  });

  it('returns null for sites nobody patches', () => {
    expect(plan.feeds(0, 0, 'mlp', 3)).toBeNull();
    expect(plan.feeds(0, 2, 'attn', 1)).toBeNull();
    expect(plan.empty).toBe(false);
    expect(compilePatchPlan([{ prompt: 0 }], [0], L, d, STEPS).empty).toBe(true);
  });

  it('gives each module its own buffers, so one block can take all three at once', () => {
    const both: RowSpec[] = [
      {
        prompt: 0,
        patches: [
          { hook: 'blocks.0.hook_attn_out', kind: 'replace', values: Float32Array.from([1, 1]) },
          { hook: 'blocks.0.hook_mlp_out', kind: 'replace', values: Float32Array.from([2, 2]) },
        ],
      },
    ];
    const twoSites = compilePatchPlan(both, [0], L, d, STEPS);
    const attn = twoSites.feeds(0, 0, 'attn', 1)!;
    const mlp = twoSites.feeds(0, 0, 'mlp', 1)!;
    expect(Array.from(attn.add)).toEqual([1, 1, 0, 0]);
    expect(Array.from(mlp.add)).toEqual([2, 2, 0, 0]);
  });

  it('places rows by slot order', () => {
    // Row 2 in slot 0, row 0 in slot 1, row 1 in slot 2.
    const depthFree: RowSpec[] = rows.map((row) => ({ ...row, depth: undefined }));
    const permuted = compilePatchPlan(depthFree, [2, 0, 1], L, d, STEPS);
    expect(plain(permuted.feeds(0, 2, 'mlp', 3))!.add).toEqual([0, 0, 0, 0, 7, 8, 0, 0, 0, 0, 0, 0]);
    expect(plain(permuted.feeds(0, 0, 'cross_attn', 3))!.add).toEqual([0.5, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(plain(permuted.feeds(1, 1, 'attn', 3))!.add).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 100, 101, 110, 111]);
  });

  it('composes several patches on one site in list order', () => {
    const composed = compilePatchPlan(
      [
        {
          prompt: 0,
          patches: [
            { hook: 'blocks.0.hook_mlp_out', kind: 'replace', values: Float32Array.from([1, 2]) },
            { hook: 'blocks.0.hook_mlp_out', kind: 'add', values: Float32Array.from([2, 2]), scale: 3 },
          ],
        },
        {
          prompt: 0,
          patches: [
            { hook: 'blocks.0.hook_mlp_out', kind: 'adjust', values: Float32Array.from([5, 5]), branches: 'both' },
            { hook: 'blocks.0.hook_mlp_out', kind: 'replace', values: Float32Array.from([9, 9]) },
          ],
        },
      ],
      [0, 1],
      L,
      d,
      STEPS,
    );
    expect(plain(composed.feeds(0, 0, 'mlp', 2))).toEqual({
      keep: [0, 0, 1, 1, 0, 0, 1, 1],
      add: [7, 8, 0, 0, 9, 9, 5, 5], // replace then add: 1 + 3·2; adjust then replace: 9; null row: adjust only
    });
  });

  it('accepts per-step values captured over a longer run', () => {
    const longer = compilePatchPlan(
      [{ prompt: 0, patches: [{ hook: 'blocks.0.hook_mlp_out', kind: 'replace', values: perStepValues(10) }] }],
      [0],
      L,
      d,
      STEPS,
      10,
    );
    expect(plain(longer.feeds(3, 0, 'mlp', 1))!.add).toEqual([300, 301, 0, 0]);
  });
});

describe('compilePatchPlan validation', () => {
  const compile = (patch: Partial<PatchSpec>, depth?: number, stepsWithValues?: number) =>
    compilePatchPlan(
      [{ prompt: 0, depth, patches: [{ hook: 'blocks.1.hook_mlp_out', kind: 'replace', values: new Float32Array(d), ...patch } as PatchSpec] }],
      [0],
      L,
      d,
      STEPS,
      stepsWithValues,
    );

  it('rejects hooks that are unknown, not patchable or past the model', () => {
    expect(() => compile({ hook: 'blocks.1.hook_foo' as never })).toThrow(/unknown hook "blocks.1.hook_foo"/);
    expect(() => compile({ hook: 'blocks.1.hook_resid_pre' as never })).toThrow(/rows\[0\].patches\[0\].hook "blocks.1.hook_resid_pre" is not patchable/);
    expect(() => compile({ hook: 'ln_final.hook_normalized' as never })).toThrow(/is not patchable/);
    expect(() => compile({ hook: 'blocks.3.hook_mlp_out' })).toThrow(/layer 3 does not exist \(model has 3 layers\)/);
  });

  it('rejects patching a layer the row skips', () => {
    expect(() => compile({}, 1)).toThrow(/patches layer 1, but the row stops after 1 layer\(s\)/);
    expect(() => compile({}, 2)).not.toThrow();
    expect(() => compile({}, 4)).toThrow(/rows\[0\].depth must be an integer in \[1, 3\], got 4/);
  });

  it('rejects values of the wrong length or type', () => {
    expect(() => compile({ values: new Float32Array(3) })).toThrow(/values has length 3, expected 2 \(\[d\]\) or 16 \(\[steps=4, 2, d=2\]\)/);
    expect(() => compile({ values: perStepValues(5) })).toThrow(/values has length 20/);
    expect(() => compile({ values: [1, 2] as never })).toThrow(/values must be a Float32Array/);
  });

  it('rejects step ranges outside [0, steps) or past the values', () => {
    expect(() => compile({ steps: [0, 5] })).toThrow(/steps \[0, 5\) must be a non-empty integer range inside \[0, 4\)/);
    expect(() => compile({ steps: [-1, 2] })).toThrow(/steps \[-1, 2\)/);
    expect(() => compile({ steps: [2, 2] })).toThrow(/non-empty/);
    expect(() => compile({ steps: [0.5, 2] })).toThrow(/integer range/);
    expect(() => compile({ values: perStepValues(2), steps: [0, 3] }, undefined, 2)).toThrow(/steps end 3 is past the 2 steps its values hold/);
    expect(() => compile({ values: perStepValues(2), steps: [0, 2] }, undefined, 2)).not.toThrow();
  });

  it('rejects bad kinds, scales and branches', () => {
    expect(() => compile({ kind: 'swap' as never })).toThrow(/kind must be 'replace', 'adjust' or 'add', got swap/);
    expect(() => compile({ scale: 2 })).toThrow(/scale is only meaningful for kind 'add', not 'replace'/);
    expect(() => compile({ kind: 'add', scale: Infinity })).toThrow(/scale must be a finite number/);
    expect(() => compile({ branches: 'null' as never })).toThrow(/branches must be 'cond' or 'both', got null/);
  });

  it('rejects bad sizes and slot orders', () => {
    expect(() => compilePatchPlan([{ prompt: 0 }], [0], 0, d, STEPS)).toThrow(/numLayers must be a positive integer/);
    expect(() => compilePatchPlan([{ prompt: 0 }], [0], L, 0, STEPS)).toThrow(/d must be a positive integer/);
    expect(() => compilePatchPlan([{ prompt: 0 }], [0], L, d, 0)).toThrow(/steps must be a positive integer/);
    expect(() => compilePatchPlan([{ prompt: 0 }, { prompt: 0 }], [0], L, d, STEPS)).toThrow(/slotOrder has length 1, expected 2/);
    expect(() => compilePatchPlan([{ prompt: 0 }, { prompt: 0 }], [1, 1], L, d, STEPS)).toThrow(/slotOrder\[1\] = 1: slotOrder must be a permutation/);
  });

  it('rejects feeds requests that do not fit the plan', () => {
    const plan = compilePatchPlan(rows, [0, 1, 2], L, d, STEPS);
    expect(() => plan.feeds(4, 0, 'mlp', 1)).toThrow(/step must be an integer in \[0, 4\), got 4/);
    expect(() => plan.feeds(0, 3, 'mlp', 1)).toThrow(/layer must be an integer in \[0, 3\), got 3/);
    expect(() => plan.feeds(0, 0, 'norm' as never, 1)).toThrow(/module must be one of attn, cross_attn, mlp/);
    expect(() => plan.feeds(0, 0, 'mlp', 4)).toThrow(/activeSlots must be an integer in \[0, 3\], got 4/);
    // Slot 2 patches layer 0; a batch that has already dropped it is an engine bug.
    expect(() => plan.feeds(0, 0, 'cross_attn', 2)).toThrow(/slot 2 patches layer 0 but only 2 slot\(s\) are active there/);
  });
});

describe('neutralFeeds', () => {
  it('gives ones to keep and zeros to add, of [rows, positions, d]', () => {
    const { keep, add } = neutralFeeds(3, 4, 2);
    expect(keep.length).toBe(24);
    expect(add.length).toBe(24);
    expect(keep.every((x) => x === 1)).toBe(true);
    expect(add.every((x) => x === 0)).toBe(true);
    expect(neutralFeeds(2, 4).keep.length).toBe(8);
    expect(() => neutralFeeds(0, 4)).toThrow(/batchRows must be a positive integer/);
  });
});
