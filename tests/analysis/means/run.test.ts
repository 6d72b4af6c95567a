import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meansOf, type MeanSums } from '../../../src/analysis/means/kernel';
import type { MeansSettings } from '../../../src/analysis/means/key';
import type { RunProgress } from '../../../src/analysis/means/progress';
import { computeMeans, promptsPerBatch } from '../../../src/analysis/means/run';
import { kvBytesPerRow } from '../../../src/analysis/interventions/rowMemory';
import type { MusicgenEngine } from '../../../src/engine/engine';
import type { HookName } from '../../../src/engine/hooks';
import { tinyEngine } from '../tinyEngine';

const prompts = ['a happy rock piece', 'a sad jazz song with a piano', 'groovy electronic music', 'a slow violin melody'];
const hooks: HookName[] = ['blocks.0.hook_attn_out', 'blocks.2.hook_cross_attn_out', 'blocks.3.hook_mlp_out'];
const settings: MeansSettings = { frames: 6, topK: 250, temperature: 1, guidanceScale: 3, greedy: false };

function cloneSums(state: MeanSums): MeanSums {
  return { ...state, sums: new Map([...state.sums].map(([hook, sum]) => [hook, sum.slice()])) };
}

describe('computeMeans on the tiny model', () => {
  let engine: MusicgenEngine;
  beforeAll(async () => {
    engine = await tinyEngine();
  });
  afterAll(() => engine.release());

  // A budget that fits exactly `rows` prompts per batch.
  const budgetFor = (rows: number) => rows * (kvBytesPerRow(engine.manifest.config, settings.frames + 3) + kvBytesPerRow(engine.manifest.config, 32));

  it('streams the same means as keeping every capture, whatever the batch size', async () => {
    expect(promptsPerBatch(engine.manifest, settings.frames, budgetFor(1))).toBe(1);
    const progress: RunProgress[] = [];
    const streamed = await computeMeans(engine, { prompts, hooks, settings, seed: 42, budgetBytes: budgetFor(1), onProgress: (p) => progress.push(p) });
    const oneBatch = await computeMeans(engine, { prompts, hooks, settings, seed: 42, budgetBytes: budgetFor(4) });
    const captured = await engine.generate({ prompts, frames: settings.frames, rows: prompts.map((_, prompt) => ({ prompt })), capture: hooks, seed: 42 });
    expect(streamed.count).toBe(4);
    const means = meansOf(streamed);
    const meansOneBatch = meansOf(oneBatch);
    for (const hook of hooks) {
      const reference = captured.rows[0].captures[hook]!.map((_, i) => captured.rows.reduce((sum, row) => sum + row.captures[hook]![i], 0) / prompts.length);
      const mean = means.get(hook)!;
      expect(mean.length).toBe(captured.steps * 2 * 64);
      let worst = 0;
      for (let i = 0; i < mean.length; i++) worst = Math.max(worst, Math.abs(mean[i] - reference[i]), Math.abs(mean[i] - meansOneBatch.get(hook)![i]));
      expect(worst).toBeLessThan(1e-5);
      expect(mean.some((v) => v !== 0)).toBe(true);
    }
    expect(progress.at(-1)).toMatchObject({ done: 4, total: 4 });
    expect(progress.some((p) => p.etaSeconds !== null && p.etaSeconds > 0)).toBe(true);
  });

  it('keeps the finished batches when cancelled, and a resumed run ends bit-identical to an uninterrupted one', async () => {
    const uninterrupted = await computeMeans(engine, { prompts, hooks, settings, seed: 42, budgetBytes: budgetFor(2) });
    let saved: MeanSums | undefined;
    const controller = new AbortController();
    await expect(
      computeMeans(engine, {
        prompts, hooks, settings, seed: 42, budgetBytes: budgetFor(2), signal: controller.signal,
        onCheckpoint: (state) => {
          saved = cloneSums(state);
          controller.abort(); // cancel right after the first batch
        },
      }),
    ).rejects.toThrow(/cancelled/);
    expect(saved?.count).toBe(2);
    const resumed = await computeMeans(engine, { prompts, hooks, settings, seed: 42, budgetBytes: budgetFor(2), resume: saved });
    expect(resumed.count).toBe(4);
    for (const hook of hooks) expect(Array.from(resumed.sums.get(hook)!)).toEqual(Array.from(uninterrupted.sums.get(hook)!));
  });

  it('refuses a saved state of another shape', async () => {
    const state = await computeMeans(engine, { prompts: prompts.slice(0, 1), hooks, settings, seed: 42 });
    state.count = 0;
    await expect(computeMeans(engine, { prompts, hooks: hooks.slice(0, 2), settings, seed: 42, resume: state })).rejects.toThrow(/does not match this run/);
    await expect(computeMeans(engine, { prompts: [], hooks, settings, seed: 42 })).rejects.toThrow(/at least one prompt/);
  });
});
