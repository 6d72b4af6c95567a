/**
 * `npm run lab -- study --model models/toy --from guitar --to piano` finds the mechanism the toy
 * model was built with (its manifest's `mechanism`), using the classifier the bundle names.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const TOY = join(ROOT, 'models/toy');

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\n');
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [columns[i], value])));
}

describe('the study on the toy model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-study-toy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts the largest guitar → piano effect at a documented instrument site, every other site under 10 % of it', async () => {
    const out = join(dir, 'guitar-piano');
    // 4 s clips: the toy classifier is fitted on 4 s of audio. With 5 prompts the largest other site measured
    // 7.7 % (0.90 of 11.7, blocks.0 cross-attention: tempo and mood change rhythm and loudness); with 3
    // prompts a tempo site reached 16 %, so fewer prompts would not show the separation reliably.
    const { stdout } = await run(TSX, [join(ROOT, 'scripts/lab.ts'), 'study', '--model', TOY, '--from', 'guitar', '--to', 'piano', '--prompts', '5', '--seconds', '4', '--out', out], { cwd: ROOT, timeout: 300_000 });
    expect(stdout).toMatch(/classifier .*models\/toy\/classifier/); // the bundle's own classifier, no flag needed

    const mechanism = JSON.parse(readFileSync(join(TOY, 'manifest.json'), 'utf8')).mechanism as Record<string, { sites: string[] }>;
    const documented = new Set(mechanism.INSTRUMENTS.sites);
    const replace = parseCsv(readFileSync(join(out, 'sweep.csv'), 'utf8')).filter((row) => row.method === 'replace');
    expect(replace).toHaveLength(6 * 3);
    const hookOf = (row: Record<string, string>) => `blocks.${row.layer}.hook_${row.module}_out`;
    const ranked = [...replace].sort((a, b) => Number(b.effect) - Number(a.effect));
    const top = Number(ranked[0].effect);
    expect(documented.has(hookOf(ranked[0]))).toBe(true);
    expect(top).toBeGreaterThan(5);
    for (const row of replace.filter((r) => !documented.has(hookOf(r)))) expect(Math.abs(Number(row.effect)), hookOf(row)).toBeLessThan(0.1 * top);
  });
});
