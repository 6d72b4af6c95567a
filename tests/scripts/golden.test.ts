import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const FIXTURES = resolve(ROOT, '../shared/fixtures');

function golden(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(TSX, [join(ROOT, 'scripts/golden.ts'), ...args], { cwd: ROOT, timeout: 300_000 });
}

/** A copy of the ast-fbank fixture with one feature of `tensor` moved by `delta`. */
function tamperedFbankFixture(tensor: string, element: number, delta: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'fbank-fixture-'));
  copyFileSync(join(FIXTURES, 'ast-fbank/fbank.json'), join(dir, 'fbank.json'));
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'ast-fbank/fbank.safetensors')));
  const view = new DataView(bytes.buffer);
  const headerLength = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  const at = 8 + headerLength + header[tensor].data_offsets[0] + 4 * element;
  view.setFloat32(at, view.getFloat32(at, true) + delta, true);
  writeFileSync(join(dir, 'fbank.safetensors'), bytes);
  return dir;
}

describe('npm run golden', () => {
  it('documents both fixture kinds in --help', async () => {
    const { stdout } = await golden('--help');
    expect(stdout).toContain('golden-tiny');
    expect(stdout).toContain('ast-fbank');
  });

  it('recognises an ast-fbank folder and passes all five cases from wave_16k and wave_32k', async () => {
    const { stdout } = await golden(join(FIXTURES, 'ast-fbank'));
    for (const name of ['tone', 'noise', 'chirp_long', 'silence', 'clip_4s']) {
      expect(stdout).toMatch(new RegExp(`ok   ${name} from wave_16k: max \\|diff\\|`));
      expect(stdout).toMatch(new RegExp(`ok   ${name} from wave_32k`));
    }
    expect(stdout).not.toContain('FAIL');
    expect(stdout).toContain('golden check passed');
  });

  it('exits 1 and names the case when a feature is off by 0.01', async () => {
    // Element 1000 of tone is frame 7, bin 104: tone energy, far above the log floor.
    const dir = tamperedFbankFixture('tone.features', 1000, 0.01);
    const failure = await golden(dir).then(() => null, (error: { code: number; stdout: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toMatch(/FAIL tone from wave_16k: max \|diff\| 1\.0e-2/);
    expect(failure?.stdout).toContain('ok   noise from wave_16k');
    expect(failure?.stdout).toContain('golden check FAILED');
  });

  it('explains what a fixture folder holds when given another folder', async () => {
    await expect(golden(tmpdir())).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/is not a fixture folder: a golden-tiny fixture holds config\.json.*an ast-fbank fixture holds fbank\.safetensors, fbank\.json/) });
  });

  it('still reproduces the golden-tiny fixture (onnxruntime-node)', async () => {
    const { stdout } = await golden(join(FIXTURES, 'golden-tiny'), '--backend', 'node');
    expect(stdout).toMatch(/checks passed/);
    expect(stdout).not.toContain('FAIL');
    expect(stdout).toContain('golden check passed');
  });
});
