import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openSafetensors } from '../../src/checkpoint/safetensors';
import { arrayBufferSource } from '../../src/checkpoint/byteSources';

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

  it('fails with a one-line message on bad input', async () => {
    await expect(lab('generate', '--seconds', '1')).rejects.toMatchObject({ stderr: expect.stringContaining('generate needs --prompt or --prompt-file') });
    await expect(lab('generate', '--prompt', 'x', '--layers', '9')).rejects.toMatchObject({ stderr: expect.stringContaining('--layers "9": Depth 9 is not a layer count in 1..4') });
    await expect(lab('info', '--model', join(dir, 'nowhere'))).rejects.toMatchObject({ stderr: expect.stringContaining('file not found') });
  });
});
