import { describe, expect, it } from 'vitest';
import { parsePatchFile, type TensorRef } from '../../src/engine/patchFile';

const tensors: Record<string, Float32Array> = {
  'rock.safetensors/blocks.1.hook_mlp_out': Float32Array.of(1, 2, 3),
  'jazz.safetensors/blocks.1.hook_mlp_out': Float32Array.of(0.5, 0.5, 0.5),
};
const resolve = async (ref: TensorRef) => {
  const values = tensors[`${ref.file}/${ref.tensor}`];
  if (!values) throw new Error(`no tensor ${ref.tensor} in ${ref.file}`);
  return { shape: [values.length], values };
};
const target = { numLayers: 3, hiddenSize: 3 };

describe('parsePatchFile', () => {
  it('reads inline values, tensor references, differences and options', async () => {
    const specs = await parsePatchFile(
      {
        patches: [
          { hook: 'blocks.0.hook_attn_out', kind: 'add', values: [1, -1, 0], scale: 4, branches: 'both', steps: [2, 5] },
          {
            hook: 'blocks.1.hook_mlp_out',
            kind: 'adjust',
            valuesFrom: { file: 'rock.safetensors', tensor: 'blocks.1.hook_mlp_out' },
            subtractFrom: { file: 'jazz.safetensors', tensor: 'blocks.1.hook_mlp_out' },
          },
        ],
      },
      target,
      resolve,
    );
    expect(specs[0]).toEqual({ hook: 'blocks.0.hook_attn_out', kind: 'add', values: Float32Array.of(1, -1, 0), scale: 4, branches: 'both', steps: [2, 5] });
    expect(Array.from(specs[1].values)).toEqual([0.5, 1.5, 2.5]);
    expect(specs[1].kind).toBe('adjust');
  });

  it('names the patch and the problem on bad input', async () => {
    const bad = (patch: object) => parsePatchFile({ patches: [patch] }, target, resolve, 'p.json');
    await expect(parsePatchFile({}, target, resolve, 'p.json')).rejects.toThrow(/p.json: expected \{"patches"/);
    await expect(bad({ hook: 'blocks.0.hook_resid_post', kind: 'add', values: [1, 2, 3] })).rejects.toThrow(/patches\[0\]: hook blocks.0.hook_resid_post is not patchable/);
    await expect(bad({ hook: 'blocks.7.hook_mlp_out', kind: 'add', values: [1, 2, 3] })).rejects.toThrow(/layer 7 does not exist/);
    await expect(bad({ hook: 'blocks.0.hook_mlp_out', kind: 'swap', values: [1, 2, 3] })).rejects.toThrow(/kind must be one of/);
    await expect(bad({ hook: 'blocks.0.hook_mlp_out', kind: 'add' })).rejects.toThrow(/needs "values" or "valuesFrom"/);
    await expect(bad({ hook: 'blocks.0.hook_mlp_out', kind: 'add', values: [1, 'x'] })).rejects.toThrow(/finite numbers/);
    await expect(bad({ hook: 'blocks.0.hook_mlp_out', kind: 'add', values: [1, 2, 3], branches: 'null' })).rejects.toThrow(/branches/);
    await expect(bad({ hook: 'blocks.0.hook_mlp_out', kind: 'add', values: [1, 2, 3], steps: [1] })).rejects.toThrow(/steps must be/);
    await expect(bad({ hook: 'blocks.1.hook_mlp_out', kind: 'replace', valuesFrom: { file: 'x.safetensors', tensor: 'y' } })).rejects.toThrow(/no tensor y in x.safetensors/);
  });
});
