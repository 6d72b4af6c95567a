import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../src/checkpoint/safetensorsWriter';
import { nodeTensorResolver } from '../../src/io/patchTensors';

const dir = mkdtempSync(join(tmpdir(), 'patch-tensors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nodeTensorResolver', () => {
  it('reads a tensor with its shape from a file next to the patch file', async () => {
    writeFileSync(join(dir, 'm.safetensors'), writeSafetensors([{ name: 'h', dtype: 'F32', shape: [1, 2, 2], data: Float32Array.of(1, 2, 3, 4) }]));
    const resolved = await nodeTensorResolver(dir)({ file: 'm.safetensors', tensor: 'h' });
    expect(resolved.shape).toEqual([1, 2, 2]);
    expect([...resolved.values]).toEqual([1, 2, 3, 4]);
    await expect(nodeTensorResolver(dir)({ file: 'm.safetensors', tensor: 'x' })).rejects.toThrow(/has no tensor "x"/);
  });
});
