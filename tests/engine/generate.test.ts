import { beforeAll, describe, expect, it } from 'vitest';
import type { MusicgenEngine } from '../../src/engine/engine';
import type { HookName } from '../../src/engine/hooks';
import type { TextConditioning } from '../../src/text/conditioning';
import { firstPromptOnly, goldenEngine } from './goldenEngine';

let engine: MusicgenEngine;
let conditioning: TextConditioning;
const sampling = { topK: 8, temperature: 1, seed: 7 };

beforeAll(async () => {
  ({ engine, conditioning } = await goldenEngine());
});

describe('generateCodes', () => {
  it('is deterministic for a seed and changes with the seed', async () => {
    const run = (seed: number) => engine.generate({ conditioning, frames: 10, rows: [{ prompt: 0 }], ...sampling, seed });
    const [a, b, c] = [await run(7), await run(7), await run(8)];
    expect(Array.from(a.rows[0].codes)).toEqual(Array.from(b.rows[0].codes));
    expect(Array.from(a.rows[0].codes)).not.toEqual(Array.from(c.rows[0].codes));
  });

  it('gives a row the same codes alone and inside a batch of other prompts, depths and patches', async () => {
    const alone = await engine.generate({ conditioning, frames: 10, rows: [{ prompt: 1 }], ...sampling });
    const patch = { hook: 'blocks.1.hook_mlp_out' as const, kind: 'add' as const, values: new Float32Array(64).fill(0.5) };
    const batch = await engine.generate({
      conditioning,
      frames: 10,
      rows: [{ prompt: 0, depth: 1 }, { prompt: 1 }, { prompt: 0, patches: [patch] }, { prompt: 1, depth: 2 }],
      ...sampling,
    });
    expect(Array.from(batch.rows[1].codes)).toEqual(Array.from(alone.rows[0].codes));
  });

  it('ignores text padding: a padded prompt equals the same prompt unpadded', async () => {
    const padded = await engine.generate({ conditioning, frames: 8, rows: [{ prompt: 0 }], greedy: true });
    const unpadded = await engine.generate({ conditioning: firstPromptOnly(conditioning), frames: 8, rows: [{ prompt: 0 }], greedy: true });
    expect(Array.from(padded.rows[0].codes)).toEqual(Array.from(unpadded.rows[0].codes));
  });

  it('captures a consistent residual stream: resid_post = resid_pre + attn + cross_attn + mlp, and feeds the next layer', async () => {
    const capture: HookName[] = ['blocks.0.hook_resid_pre', 'blocks.0.hook_attn_out', 'blocks.0.hook_cross_attn_out', 'blocks.0.hook_mlp_out', 'blocks.0.hook_resid_post', 'blocks.1.hook_resid_pre', 'ln_final.hook_normalized'];
    const result = await engine.generate({ conditioning, frames: 4, rows: [{ prompt: 0 }], capture, greedy: true });
    const c = result.rows[0].captures;
    const steps = result.steps;
    expect(c['blocks.0.hook_resid_pre']!.length).toBe(steps * 2 * 64);
    const sum = c['blocks.0.hook_resid_pre']!.map((v, i) => v + c['blocks.0.hook_attn_out']![i] + c['blocks.0.hook_cross_attn_out']![i] + c['blocks.0.hook_mlp_out']![i]);
    sum.forEach((v, i) => expect(Math.abs(v - c['blocks.0.hook_resid_post']![i])).toBeLessThan(1e-5));
    expect(Array.from(c['blocks.1.hook_resid_pre']!)).toEqual(Array.from(c['blocks.0.hook_resid_post']!));
    // The null branch has no text: its cross-attention output is exactly zero.
    const cross = c['blocks.0.hook_cross_attn_out']!;
    for (let s = 0; s < steps; s++) for (let j = 0; j < 64; j++) expect(cross[(s * 2 + 1) * 64 + j]).toBe(0);
    expect(c['ln_final.hook_normalized']!.length).toBe(steps * 2 * 64);
  });

  it('does not capture layers a DecoderLens row skips', async () => {
    const result = await engine.generate({ conditioning, frames: 3, rows: [{ prompt: 0, depth: 1 }], capture: ['blocks.0.hook_mlp_out', 'blocks.2.hook_mlp_out'], greedy: true });
    expect(result.rows[0].captures['blocks.0.hook_mlp_out']).toBeDefined();
    expect(result.rows[0].captures['blocks.2.hook_mlp_out']).toBeUndefined();
  });

  it('patches only the chosen steps: tokens before the first patched step are unchanged', async () => {
    // Not a constant vector: the final layer norm would remove a uniform shift.
    const values = Float32Array.from({ length: 64 }, (_, i) => (i % 2 ? 3 : -3));
    const patch = { hook: 'blocks.2.hook_mlp_out' as const, kind: 'add' as const, values, steps: [6, 13] as const };
    const result = await engine.generate({ conditioning, frames: 10, rows: [{ prompt: 0 }, { prompt: 0, patches: [patch] }], greedy: true });
    const [plain, patched] = result.rows.map((r) => r.sequence);
    const columns = 10 + 4;
    // Step s writes column s+1, so columns 0..6 cannot differ; later ones do.
    for (let k = 0; k < 4; k++) for (let col = 0; col <= 6; col++) expect(patched[k * columns + col]).toBe(plain[k * columns + col]);
    expect(Array.from(patched)).not.toEqual(Array.from(plain));
  });

  it('reports progress per step and can be cancelled between steps', async () => {
    const seen: number[] = [];
    await engine.generate({ conditioning, frames: 5, rows: [{ prompt: 0 }], greedy: true, onProgress: (p) => seen.push(p.step) });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const controller = new AbortController();
    const run = engine.generate({
      conditioning,
      frames: 50,
      rows: [{ prompt: 0 }],
      signal: controller.signal,
      onProgress: (p) => p.step === 3 && controller.abort(),
    });
    await expect(run).rejects.toThrow(/cancelled/);
  });

  it('rejects bad requests with clear messages', async () => {
    const base = { conditioning, frames: 4 };
    await expect(engine.generate({ ...base, rows: [] })).rejects.toThrow(/no rows/);
    await expect(engine.generate({ ...base, rows: [{ prompt: 5 }] })).rejects.toThrow(/prompt index 5 is out of range/);
    await expect(engine.generate({ ...base, rows: [{ prompt: 0, depth: 4 }] })).rejects.toThrow(/rows\[0\]\.depth must be an integer in \[1, 3\], got 4/);
    await expect(engine.generate({ ...base, frames: 0, rows: [{ prompt: 0 }] })).rejects.toThrow(/frames must be a positive integer/);
    await expect(engine.generate({ ...base, frames: 4000, rows: [{ prompt: 0 }] })).rejects.toThrow(/the model supports 2048/);
    await expect(engine.generate({ ...base, rows: [{ prompt: 0 }], temperature: 0 })).rejects.toThrow(/temperature/);
    await expect(engine.generate({ ...base, rows: [{ prompt: 0 }], capture: ['blocks.9.hook_mlp_out'] })).rejects.toThrow(/layer 9 does not exist/);
    await expect(engine.encodeText(['a prompt'])).rejects.toThrow(/no text encoder/);
  });
});
