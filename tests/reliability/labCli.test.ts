/**
 * Findings 2, 5, 6 (lab CLI) and the CLI's smaller findings of issue 9: no prompt size crashes the
 * command (exit 139 before), output paths are checked before any work, the CLI refuses the same
 * option values as the UI, depths are deduplicated, patch files cannot leave their folder or hang.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateSettings, DEFAULT_SETTINGS } from '../../src/ui/state/settings';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run lab -- args` and reports how it ended (never throws). */
function lab(...args: string[]): Promise<Outcome> {
  return new Promise((done) => {
    execFile(TSX, [join(ROOT, 'scripts/lab.ts'), ...args], { cwd: ROOT, timeout: 120_000, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      const failure = error as (Error & { code?: number; signal?: NodeJS.Signals }) | null;
      done({ code: failure ? (failure.code ?? null) : 0, signal: failure?.signal ?? null, stdout, stderr });
    });
  });
}

/** Exit 1 with exactly one "lab: ..." line on stderr, and no generation step ran. */
function expectRefused(outcome: Outcome): string {
  expect(outcome.signal).toBeNull();
  expect(outcome.code).toBe(1);
  const lines = outcome.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('npm warn'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toMatch(/^step /);
  return lines[0];
}

const dir = mkdtempSync(join(tmpdir(), 'reliability-lab-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prompt size', () => {
  const huge = 'a'.repeat(100_000);

  it('a 100 KB --prompt gets a message, not a segfault (generate and info)', async () => {
    expect(expectRefused(await lab('generate', '--prompt', huge))).toBe(
      'lab: --prompt is 100000 characters long; the limit is 8192 (the text encoder reads at most 512 tokens).',
    );
    expect(expectRefused(await lab('info', '--prompt', huge))).toMatch(/^lab: the command line is \d+ bytes; onnxruntime-node crashes on command lines over about 29 KB: put long prompts in a file \(--prompt-file FILE\)/);
  });

  it('--prompt-file takes long prompts and checks them against the encoder limit before any session', async () => {
    writeFileSync(join(dir, 'huge.txt'), huge);
    expect(expectRefused(await lab('generate', '--prompt-file', join(dir, 'huge.txt')))).toContain('100000 characters long');
    writeFileSync(join(dir, 'long.txt'), 'a '.repeat(700));
    expect(expectRefused(await lab('generate', '--prompt-file', join(dir, 'long.txt')))).toMatch(/^lab: --prompt: the prompt is \d+ tokens long; the limit is 512$/);
    execFileSync('mkfifo', [join(dir, 'prompt.fifo')]);
    expect(expectRefused(await lab('generate', '--prompt-file', join(dir, 'prompt.fifo')))).toContain('is a named pipe (FIFO), not a regular file');
  });
});

describe('options', () => {
  it('refuses what the UI refuses, with the same words', async () => {
    const guidance = expectRefused(await lab('generate', '--prompt', 'x', '--guidance', '1000'));
    expect(guidance).toBe('lab: --guidance must be between 0 and 20 (got 1000).');
    expect(validateSettings({ ...DEFAULT_SETTINGS, guidanceScale: 1000 })).toBe('Guidance must be between 0 and 20 (got 1000).');
    expect(expectRefused(await lab('generate', '--prompt', 'x', '--seed=-3'))).toBe('lab: --seed must be between 0 and 4294967295 (got -3).');
    expect(expectRefused(await lab('generate', '--prompt', 'x', '--temperature', '0'))).toBe('lab: --temperature must be between 0.05 and 5 (got 0).');
    // 64 WASM threads hung onnxruntime-web forever (exit 124 under timeout); refused up front.
    expect(expectRefused(await lab('generate', '--prompt', 'x', '--backend', 'wasm', '--threads', '64'))).toBe('lab: --threads must be a whole number in 1..32 (got "64")');
  });

  it('generates a repeated depth once', async () => {
    const outcome = await lab('generate', '--prompt', 'x', '--seconds', '0.1', '--layers', '1,1', '--out', join(dir, 'lens.wav'));
    expect(outcome.code).toBe(0);
    expect(outcome.stdout.match(/1 of 4 layers/g)).toHaveLength(1);
    expect(readdirSync(dir).filter((name) => name.startsWith('lens'))).toEqual(['lens-L1.wav']);
  });
});

describe('output paths are checked before the work', () => {
  it('refuses an --out under a file, or an --out that is a folder, before generating', async () => {
    writeFileSync(join(dir, 'plain-file'), 'x');
    expect(expectRefused(await lab('generate', '--prompt', 'x', '--out', join(dir, 'plain-file', 'out.wav')))).toBe(`lab: --out ${join(dir, 'plain-file')} is not a folder`);
    mkdirSync(join(dir, 'a-folder'));
    expect(expectRefused(await lab('capture', '--prompt', 'x', '--out', join(dir, 'a-folder')))).toBe(`lab: --out ${join(dir, 'a-folder')} is a folder; give a file name`);
  });
});

describe('patch files', () => {
  it('stay inside their folder, never hang on a FIFO, and name the patch and field of a bad value', async () => {
    const patch = (name: string, patches: object[]) => {
      writeFileSync(join(dir, name), JSON.stringify({ patches }));
      return join(dir, name);
    };
    const escape = patch('escape.json', [{ hook: 'blocks.0.hook_mlp_out', kind: 'replace', valuesFrom: { file: '../../../../etc/passwd', tensor: 'x' } }]);
    expect(expectRefused(await lab('generate', '--prompt', 'x', '--patch', escape))).toContain('"../../../../etc/passwd" leaves the folder');
    execFileSync('mkfifo', [join(dir, 'means.fifo')]);
    const fifo = patch('fifo.json', [{ hook: 'blocks.0.hook_mlp_out', kind: 'replace', valuesFrom: { file: 'means.fifo', tensor: 'x' } }]);
    expect(expectRefused(await lab('generate', '--prompt', 'x', '--patch', fifo))).toContain('means.fifo is a named pipe (FIFO), not a regular file');
    const huge = patch('huge.json', [{ hook: 'blocks.1.hook_attn_out', kind: 'add', values: [1e39, ...new Array(63).fill(0)] }]);
    expect(expectRefused(await lab('generate', '--prompt', 'x', '--patch', huge))).toBe(`lab: ${huge}: patches[0]: values[0] = 1e+39 is beyond float32's range (±3.4e38)`);
  });

  it('says plainly that means captured over a shorter run cannot patch a longer one', async () => {
    const means = join(dir, 'short.safetensors');
    expect((await lab('capture', '--prompt', 'x', '--mean', '--hooks', 'blocks.3.hook_mlp_out', '--seconds', '0.2', '--out', means)).code).toBe(0);
    writeFileSync(join(dir, 'short.json'), JSON.stringify({ patches: [{ hook: 'blocks.3.hook_mlp_out', kind: 'replace', valuesFrom: { file: 'short.safetensors', tensor: 'blocks.3.hook_mlp_out' } }] }));
    expect(expectRefused(await lab('generate', '--prompt', 'x', '--seconds', '1', '--patch', join(dir, 'short.json')))).toContain(
      'valuesFrom "blocks.3.hook_mlp_out" in short.safetensors was captured over a shorter run: it holds 13 steps (0.26 s), this patch needs 53 (1.06 s)',
    );
  });
});
