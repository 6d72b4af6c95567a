/**
 * The engine object's smaller findings of issue 9: release twice, abort(reason), temperature 0.
 * (A failed load keeping the previous model belongs to src/lab/engineService.ts, tested there.)
 */
import { describe, expect, it } from 'vitest';
import { nodeBundleFiles } from '../../src/bundle/nodeBundleFiles';
import { MusicgenEngine } from '../../src/engine/engine';
import { createRng } from '../../src/engine/prng';
import { sampleToken } from '../../src/engine/sampling';
import { createRuntime } from '../../src/runtime/ort';
import { TINY_BUNDLE } from './helpers';

describe('the engine object', () => {
  it('release() is idempotent, and cancel keeps the reason it was given', async () => {
    const engine = await MusicgenEngine.load(nodeBundleFiles(TINY_BUNDLE), await createRuntime('node'));
    const controller = new AbortController();
    controller.abort(new Error('the user pressed Stop'));
    const cancelled = engine.generate({ prompts: ['x'], frames: 5, rows: [{ prompt: 0 }], signal: controller.signal });
    await expect(cancelled).rejects.toThrow('generation was cancelled: the user pressed Stop');
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError', reason: controller.signal.reason });
    await engine.release();
    await expect(engine.release()).resolves.toBeUndefined();
  });

  it('temperature 0 is refused by the sampler as by generation (greedy is the way to argmax)', async () => {
    expect(() => sampleToken(Float32Array.of(0, 2, 1), { greedy: false, topK: 0, temperature: 0, seed: 1 }, createRng(1, 0))).toThrow(/temperature must be a positive number/);
    expect(sampleToken(Float32Array.of(0, 2, 1), { greedy: true, topK: 0, temperature: 1, seed: 1 }, createRng(1, 0))).toBe(1);
    const engine = await MusicgenEngine.load(nodeBundleFiles(TINY_BUNDLE), await createRuntime('node'));
    try {
      await expect(engine.generate({ prompts: ['x'], frames: 5, rows: [{ prompt: 0 }], temperature: 0 })).rejects.toThrow(/temperature must be a positive number/);
    } finally {
      await engine.release();
    }
  });
});
