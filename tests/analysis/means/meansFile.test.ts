import { describe, expect, it } from 'vitest';
import { createMeanSums } from '../../../src/analysis/means/kernel';
import { canonicalJson, keyMismatch, meansKeyId, type MeansKey } from '../../../src/analysis/means/key';
import { decodeMeansFile, encodeMeans, encodeMeanSums, sumsFromFile, validateMeansFile, type ModelIdentity } from '../../../src/analysis/means/meansFile';
import { writeSafetensors } from '../../../src/checkpoint/safetensorsWriter';
import { testMeansKey } from '../../helpers/meansFiles';

const key: MeansKey = testMeansKey();
const model: ModelIdentity = { bundle: key.bundle, modelName: 'tiny', numLayers: 4, hiddenSize: 2 };

function state() {
  const s = createMeanSums(['blocks.0.hook_mlp_out', 'blocks.3.hook_attn_out'], 1, 2);
  s.sums.get('blocks.0.hook_mlp_out')!.set([2, 4, 6, 8]);
  s.sums.get('blocks.3.hook_attn_out')!.set([1, 1, 1, 1]);
  return s;
}

describe('means files', () => {
  it('store finished means under the hook names, with the key in the metadata', async () => {
    const s = state();
    s.count = 2;
    const file = await decodeMeansFile(encodeMeans(s, key, ['p1', 'p2']), 'x.safetensors');
    expect(file.values).toBe('mean');
    expect(file.key).toEqual(key);
    expect(file.prompts).toEqual(['p1', 'p2']);
    expect([file.steps, file.d]).toEqual([1, 2]);
    expect(Array.from(file.tensors.get('blocks.0.hook_mlp_out')!)).toEqual([1, 2, 3, 4]);
    validateMeansFile(file, model, 'x.safetensors', key);
  });

  it('halve in float16', async () => {
    const s = state();
    s.count = 2;
    const f32 = encodeMeans(s, key, ['p1', 'p2']);
    const f16 = encodeMeans(s, key, ['p1', 'p2'], 'F16');
    expect(f16.length).toBeLessThan(f32.length);
    const file = await decodeMeansFile(f16, 'x16');
    expect(Array.from(file.tensors.get('blocks.0.hook_mlp_out')!)).toEqual([1, 2, 3, 4]);
  });

  it('keep an unfinished run as exact float32 sums and give them back to resume', async () => {
    const s = state();
    s.count = 1;
    s.sums.get('blocks.0.hook_mlp_out')![0] = 0.1; // not exact in float16
    const file = await decodeMeansFile(encodeMeanSums(s, key, ['p1', 'p2']), 'partial');
    expect(file.values).toBe('sum');
    const resumed = sumsFromFile(file);
    expect(resumed.count).toBe(1);
    expect(resumed.sums.get('blocks.0.hook_mlp_out')![0]).toBe(Math.fround(0.1));
    expect(() => encodeMeans(s, key, ['p1', 'p2'])).toThrow(/unfinished: 1 of 2/);
  });

  it("refuse another model's file, another run's settings and foreign files with one clear line", async () => {
    const s = state();
    s.count = 2;
    const other = await decodeMeansFile(encodeMeans(s, { ...key, bundle: 'c'.repeat(64), modelName: 'musicgen-small' }, ['p1', 'p2']), 'piano.safetensors');
    expect(() => validateMeansFile(other, model, 'piano.safetensors')).toThrow(/^piano\.safetensors: these means belong to another model \("musicgen-small", bundle cccccccccccc…\), not the loaded "tiny"/);
    const file = await decodeMeansFile(encodeMeans(s, key, ['p1', 'p2']), 'x');
    expect(() => validateMeansFile(file, model, 'x', { ...key, settings: { ...key.settings, frames: 200 } })).toThrow(/its frames is 10, this run's is 200/);
    expect(() => validateMeansFile(file, { ...model, numLayers: 2 }, 'x')).toThrow(/layer 3 does not exist/);
    const plain = writeSafetensors([{ name: 'w', dtype: 'F32', shape: [1], data: new Float32Array(1) }]);
    await expect(decodeMeansFile(plain, 'weights.safetensors')).rejects.toThrow(/weights\.safetensors: not a means file of this lab/);
    await expect(decodeMeansFile(new Uint8Array(3), 'tiny.bin')).rejects.toThrow(/not a means file/);
  });

  it('compare keys field by field and name keys by a stable id', async () => {
    expect(keyMismatch(key, { ...key })).toBeNull();
    expect(keyMismatch({ ...key, seedPolicy: { kind: 'same-seed-every-prompt', seed: 1 } }, key)).toMatch(/seed is 1/);
    expect(keyMismatch({ ...key, promptSet: 'd', promptCount: 3 }, key)).toMatch(/its 3 prompts are not this run's 2/);
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
    expect(await meansKeyId(key)).toBe(await meansKeyId({ ...key, modelName: 'renamed' }));
    expect(await meansKeyId(key)).not.toBe(await meansKeyId({ ...key, promptCount: 3 }));
  });
});
