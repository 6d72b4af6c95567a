import { beforeAll, describe, expect, it } from 'vitest';
import type { MusicgenEngine } from '../../src/engine/engine';
import { HandlerDispatch, type GenerationHandler, type StepContext } from '../../src/engine/handlers';
import type { HookName } from '../../src/engine/hooks';
import { argmax } from '../../src/engine/sampling';
import type { TextConditioning } from '../../src/text/conditioning';
import { goldenEngine } from './goldenEngine';

describe('HandlerDispatch', () => {
  const context: StepContext = { step: 3, steps: 9, slotRows: [1, 0] };

  it('sends each hook only to the handlers that named it, in handler order', () => {
    const seen: string[] = [];
    const a: GenerationHandler = { sites: ['blocks.0.hook_mlp_out'], onActivation: (hook) => seen.push(`a:${hook}`) };
    const b: GenerationHandler = { sites: ['blocks.0.hook_mlp_out', 'blocks.1.hook_attn_out'], onActivation: (hook) => seen.push(`b:${hook}`) };
    const dispatch = new HandlerDispatch([a, b]);
    dispatch.activation('blocks.0.hook_mlp_out', new Float32Array(4), 2, context);
    dispatch.activation('blocks.1.hook_attn_out', new Float32Array(4), 2, context);
    dispatch.activation('blocks.1.hook_mlp_out', new Float32Array(4), 2, context);
    expect(seen).toEqual(['a:blocks.0.hook_mlp_out', 'b:blocks.0.hook_mlp_out', 'b:blocks.1.hook_attn_out']);
  });

  it('says when nobody reads activations or steps, so the engine can skip the calls', () => {
    const none = new HandlerDispatch([{ sites: ['blocks.0.hook_mlp_out'] }]); // sites but no callback
    expect(none.readsActivations).toBe(false);
    expect(none.readsSteps).toBe(false);
    const steps: number[] = [];
    const withStep = new HandlerDispatch([{ onStep: (_g, _t, c) => steps.push(c.step) }]);
    expect(withStep.readsSteps).toBe(true);
    withStep.step(new Float32Array(2), new Int32Array(1), context);
    expect(steps).toEqual([3]);
  });
});

describe('generation handlers', () => {
  let engine: MusicgenEngine;
  let conditioning: TextConditioning;
  beforeAll(async () => {
    ({ engine, conditioning } = await goldenEngine());
  });

  it('see the same activations as capture, per slot and step, for rows of different depths', async () => {
    const hook: HookName = 'blocks.0.hook_mlp_out';
    const d = engine.manifest.config.hiddenSize;
    const frames = 4;
    const rows = [{ prompt: 0, depth: 1 }, { prompt: 1 }];
    const streamed = rows.map(() => new Map<number, Float32Array>()); // per row: step -> [2, d]
    const handler: GenerationHandler = {
      sites: [hook],
      onActivation(_hook, data, batchRows, { step, slotRows }) {
        for (let slot = 0; slot < batchRows / 2; slot++) streamed[slotRows[slot]].set(step, data.slice(2 * slot * d, (2 * slot + 2) * d));
      },
    };
    const result = await engine.generate({ conditioning, frames, rows, capture: [hook], handlers: [handler], greedy: true });
    expect(result.steps).toBeGreaterThan(frames);
    rows.forEach((_, row) => {
      const captured = result.rows[row].captures[hook]!; // [steps, 2, d]
      expect(streamed[row].size).toBe(result.steps);
      for (let step = 0; step < result.steps; step++) expect(Array.from(streamed[row].get(step)!)).toEqual(Array.from(captured.subarray(step * 2 * d, (step + 1) * 2 * d)));
    });
  });

  it('get the guided logits and the tokens drawn from them at every step', async () => {
    const { numCodebooks: K, codebookSize: V } = engine.manifest.config;
    const rows = [{ prompt: 0 }, { prompt: 1, depth: 2 }];
    let calls = 0;
    let mismatches = 0;
    const handler: GenerationHandler = {
      onStep(guided, tokens, { slotRows }) {
        calls++;
        expect(guided.length).toBe(slotRows.length * K * V);
        expect(tokens.length).toBe(slotRows.length * K);
        for (let i = 0; i < slotRows.length * K; i++) if (tokens[i] !== argmax(guided.subarray(i * V, (i + 1) * V))) mismatches++;
      },
    };
    const result = await engine.generate({ conditioning, frames: 5, rows, handlers: [handler], greedy: true });
    expect(calls).toBe(result.steps);
    expect(mismatches).toBe(0); // greedy: every token is the argmax of its guided logits
  });

  it('refuses a handler site the model does not have before running', async () => {
    await expect(engine.generate({ conditioning, frames: 2, rows: [{ prompt: 0 }], handlers: [{ sites: ['blocks.9.hook_mlp_out'], onActivation: () => {} }] })).rejects.toThrow(/layer 9 does not exist/);
  });
});
