import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openSafetensors } from '../../src/checkpoint/safetensors';
import { arrayBufferSource } from '../../src/checkpoint/byteSources';
import { decodeMeansFile } from '../../src/analysis/means/meansFile';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

async function lab(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(TSX, [join(ROOT, 'scripts/lab.ts'), ...args], { cwd: ROOT, timeout: 120_000 });
}

/** Duration of a 16-bit mono PCM WAV written by the lab. */
function wavSeconds(file: string): number {
  const bytes = readFileSync(file);
  const sampleRate = bytes.readUInt32LE(24);
  const dataBytes = bytes.readUInt32LE(40);
  return dataBytes / 2 / sampleRate;
}

describe('npm run lab', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-cli-'));
  const prompt = 'Compose a happy rock piece, with a guitar melody. Use a fast tempo.';

  it('documents every command and option in --help', async () => {
    const { stdout } = await lab('--help');
    for (const word of ['generate', 'capture', 'info', '--layers', '--patch', '--seed', '--top-k', '--guidance', '--model', '--mean']) expect(stdout).toContain(word);
  });

  it('generates a WAV of the requested length, and one per DecoderLens depth', async () => {
    await lab('generate', '--prompt', prompt, '--seconds', '0.5', '--out', join(dir, 'plain.wav'));
    expect(wavSeconds(join(dir, 'plain.wav'))).toBeCloseTo(0.5, 3);
    const { stdout } = await lab('generate', '--prompt', prompt, '--seconds', '0.4', '--layers', '1,3', '--out', join(dir, 'lens.wav'));
    expect(stdout).toContain('1 of 4 layers');
    expect(wavSeconds(join(dir, 'lens-L1.wav'))).toBeCloseTo(0.4, 3);
    expect(wavSeconds(join(dir, 'lens-L3.wav'))).toBeCloseTo(0.4, 3);
    expect(readFileSync(join(dir, 'lens-L1.wav')).equals(readFileSync(join(dir, 'lens-L3.wav')))).toBe(false);
  });

  it('captures concept means and applies them as an adjust patch', async () => {
    await lab('capture', '--prompt', 'a rock piece', '--prompt', 'a loud rock song', '--mean', '--hooks', 'blocks.3.hook_mlp_out', '--seconds', '0.2', '--out', join(dir, 'rock.safetensors'));
    await lab('capture', '--prompt', 'a jazz piece', '--mean', '--hooks', 'blocks.3.hook_mlp_out', '--seconds', '0.2', '--out', join(dir, 'jazz.safetensors'));
    const means = await openSafetensors(arrayBufferSource(new Uint8Array(readFileSync(join(dir, 'jazz.safetensors'))), 'jazz'));
    expect(means.info('blocks.3.hook_mlp_out').shape).toEqual([13, 2, 64]);
    writeFileSync(join(dir, 'patch.json'), JSON.stringify({
      patches: [{ hook: 'blocks.3.hook_mlp_out', kind: 'adjust', valuesFrom: { file: 'jazz.safetensors', tensor: 'blocks.3.hook_mlp_out' }, subtractFrom: { file: 'rock.safetensors', tensor: 'blocks.3.hook_mlp_out' } }],
    }));
    const { stdout } = await lab('generate', '--prompt', 'a rock piece', '--seconds', '0.2', '--patch', join(dir, 'patch.json'), '--out', join(dir, 'patched.wav'));
    expect(stdout).toContain('1 patches');
    await lab('generate', '--prompt', 'a rock piece', '--seconds', '0.2', '--out', join(dir, 'unpatched.wav'));
    expect(readFileSync(join(dir, 'patched.wav')).equals(readFileSync(join(dir, 'unpatched.wav')))).toBe(false);
  });

  it('streams capture --mean in batches, keys the file, and reuses it when nothing changed', async () => {
    const out = join(dir, 'streamed.safetensors');
    const args = ['capture', '--prompt', 'a rock piece', '--prompt', 'a jazz piece', '--prompt', 'a pop song', '--mean', '--seconds', '0.1', '--memory-budget', '40KiB', '--out', out];
    const first = await lab(...args);
    expect(first.stdout).toMatch(/means: 12 hooks × 8 steps × 2 branches × 64 = 48\.0 KiB \(independent of the 3 prompts\); batches of up to 1 prompts/);
    const file = await decodeMeansFile(new Uint8Array(readFileSync(out)), out);
    expect(file).toMatchObject({ values: 'mean', count: 3, steps: 8, d: 64, prompts: ['a rock piece', 'a jazz piece', 'a pop song'] });
    expect(file.key).toMatchObject({ modelName: 'tiny', promptCount: 3, settings: { frames: 5 }, seedPolicy: { seed: 42 } });
    expect(existsSync(`${out}.partial`)).toBe(false);
    const second = await lab(...args);
    expect(second.stdout).toContain('up to date');
    await expect(lab(...args.slice(0, -2), '--memory-budget', 'lots', '--out', out)).rejects.toMatchObject({ stderr: expect.stringContaining('--memory-budget: "lots" is not a size') });
  });

  it('fails with a one-line message on bad input', async () => {
    await expect(lab('generate', '--seconds', '1')).rejects.toMatchObject({ stderr: expect.stringContaining('generate needs --prompt or --prompt-file') });
    await expect(lab('generate', '--prompt', 'x', '--layers', '9')).rejects.toMatchObject({ stderr: expect.stringContaining('--layers "9": Depth 9 is not a layer count in 1..4') });
    await expect(lab('info', '--model', join(dir, 'nowhere'))).rejects.toMatchObject({ stderr: expect.stringContaining('file not found') });
  });
});
