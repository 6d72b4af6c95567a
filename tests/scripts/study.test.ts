/** `npm run lab -- study` end to end on the tiny model and the bundled tiny classifier. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

async function lab(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(TSX, [join(ROOT, 'scripts/lab.ts'), ...args], { cwd: ROOT, timeout: 120_000 });
}

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\n');
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [columns[i], value])));
}

describe('npm run lab -- study', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-study-'));
  const out = join(dir, 'guitar-piano');
  const args = ['study', '--model', 'models/tiny', '--from', 'guitar', '--to', 'piano', '--prompts', '2', '--seconds', '0.2', '--out', out];

  it('is documented in --help', async () => {
    const { stdout } = await lab('--help');
    expect(stdout).toContain('study');
    const study = await lab('study', '--help');
    for (const word of ['--from', '--to', '--concepts', '"labels"', '--prompts', '--seconds', '--classifier', '--out', 'sweep.csv', 'lens.csv', 'resum', 'default models/toy']) expect(study.stdout).toContain(word);
  });

  it('writes sweep.csv, lens.csv, the JSON and the figures, and resumes from what a killed run kept', async () => {
    await lab(...args);
    for (const file of ['sweep.csv', 'lens.csv', 'study.json', 'sweep-effect.svg', 'sweep-precision.svg', 'lens.svg', 'means-guitar.safetensors', 'means-piano.safetensors']) expect(existsSync(join(out, file)), file).toBe(true);
    const sweep = parseCsv(readFileSync(join(out, 'sweep.csv'), 'utf8'));
    expect(Object.keys(sweep[0]).slice(0, 8)).toEqual(['from', 'to', 'method', 'layer', 'module', 'effect', 'precision', 'n']);
    expect(sweep).toHaveLength(4 * 3 * 2); // tiny model: 4 layers
    expect(new Set(sweep.map((r) => `${r.method} ${r.layer} ${r.module}`)).size).toBe(24);
    for (const row of sweep) {
      expect(['replace', 'adjust']).toContain(row.method);
      expect(['attn', 'cross_attn', 'mlp']).toContain(row.module);
      expect(Number(row.layer)).toBeGreaterThanOrEqual(0);
      expect(Number(row.layer)).toBeLessThan(4);
      expect(Number.isFinite(Number(row.effect)) && Number.isFinite(Number(row.precision))).toBe(true);
      expect(row.n).toBe('2');
    }
    const lens = parseCsv(readFileSync(join(out, 'lens.csv'), 'utf8'));
    expect(Object.keys(lens[0]).slice(0, 4)).toEqual(['concept', 'depth', 'ndcg', 'n']);
    expect(lens.map((r) => `${r.concept}${r.depth}`)).toEqual(['guitar1', 'guitar2', 'guitar3', 'guitar4', 'piano1', 'piano2', 'piano3', 'piano4']);
    const json = JSON.parse(readFileSync(join(out, 'study.json'), 'utf8')) as { sweep: unknown[]; lens: unknown[]; sweepPrompts: unknown[] };
    expect(json.sweep).toHaveLength(24);
    expect(json.sweepPrompts).toHaveLength(2);
    expect(readFileSync(join(out, 'sweep-effect.svg'), 'utf8')).toContain('<svg');

    // A run killed after the first sweep prompt has kept everything before it: remove what it had
    // not reached, start again, and the same tables come out, computed only where missing.
    const sweepCsvBefore = readFileSync(join(out, 'sweep.csv'), 'utf8');
    rmSync(join(out, 'results/sweep/1.json'));
    rmSync(join(out, 'sweep.csv'));
    const kept = statSync(join(out, 'results/sweep/0.json')).mtimeMs;
    const again = await lab(...args);
    expect(again.stderr).toContain('means-guitar.safetensors: up to date');
    expect(statSync(join(out, 'results/sweep/0.json')).mtimeMs).toBe(kept); // not recomputed
    expect(readdirSync(join(out, 'results/sweep')).sort()).toEqual(['0.json', '1.json']);
    expect(readFileSync(join(out, 'sweep.csv'), 'utf8')).toBe(sweepCsvBefore);
  });

  it('fails with one clear line on bad input, before loading anything', async () => {
    await expect(lab('study', '--from', 'banjo', '--to', 'piano', '--out', dir)).rejects.toMatchObject({ stderr: expect.stringContaining('--from: "banjo" is not a study concept (one of guitar, piano') });
    await expect(lab('study', '--from', 'guitar', '--to', 'guitar', '--out', dir)).rejects.toMatchObject({ stderr: expect.stringContaining('pick two different concepts') });
    await expect(lab('study', '--from', 'guitar', '--to', 'piano')).rejects.toMatchObject({ stderr: expect.stringContaining('study needs --out DIR') });
    await expect(lab('study', '--from', 'guitar', '--to', 'piano', '--prompts', '500', '--out', dir)).rejects.toMatchObject({ stderr: expect.stringContaining('--prompts: only 125 template prompts') });
    await expect(lab(...args.slice(0, -4), '--prompts', '3', '--seconds', '0.2', '--out', out)).rejects.toMatchObject({ stderr: expect.stringContaining('holds a study with other settings') });
  });

  it('refuses a bad --concepts file, or a concept it lacks, with one line naming the problem', async () => {
    const concepts = (name: string, entries: unknown) => {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(entries));
      return file;
    };
    const lofi = { name: 'lo-fi', prompts: ['a lo-fi beat', 'a dusty lo-fi loop'], labels: ['Hip hop music'] };
    const refused = async (file: string, ...rest: string[]) => {
      const failure = await lab('study', '--concepts', file, '--from', 'guitar', '--to', 'lo-fi', '--out', dir, ...rest).then(() => undefined, (error: { stderr: string }) => error);
      expect(failure, 'the command should fail').toBeDefined();
      const lines = failure!.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('npm warn'));
      expect(lines).toHaveLength(1);
      return lines[0];
    };
    const unknownLabel = concepts('label.json', [{ ...lofi, labels: ['Kazoo'] }]);
    expect(await refused(unknownLabel)).toBe(`lab: --concepts ${unknownLabel}: concept 1 ("lo-fi"): "Kazoo" is not an AudioSet label`);
    const empty = concepts('empty.json', [{ ...lofi, prompts: [] }]);
    expect(await refused(empty)).toBe(`lab: --concepts ${empty}: concept 1 ("lo-fi"): give at least one prompt`);
    const twice = concepts('twice.json', [lofi, { ...lofi, name: 'Lo Fi' }]);
    expect(await refused(twice)).toBe(`lab: --concepts ${twice}: concepts 1 and 2 have the same name "lo-fi"; names must differ`);
    const good = concepts('good.json', [lofi]);
    expect(await refused(good)).toBe('lab: --prompts: concept "lo-fi" has 2 prompts, asked for 100');
    expect(await refused(good, '--from', 'banjo')).toBe(`lab: --from: "banjo" is not a study concept (one of guitar, piano, trumpet, violin, classical, pop, jazz, rock, edm, hiphop, or of ${good}: lo-fi)`);
    expect(await refused(join(dir, 'missing.json'))).toMatch(/^lab: --concepts: .*missing\.json/);
  });
});
