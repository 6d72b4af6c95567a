/**
 * `npm run lab -- study --model models/toy --from guitar --to piano` finds the mechanism the toy
 * model was built with (its manifest's `mechanism`), using the classifier the bundle names; so does
 * a custom concept from a --concepts file, on the default model (the toy, as on the page).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  }, 300_000); // ~1 min alone; over 2 min on the shared 2-core machine under load

  it('runs a custom concept from --concepts on the default model: the instrument sites and depths the toy documents, read through its labels', async () => {
    const out = join(dir, 'guitar-brass');
    // The guitar set's first three prompts with a trumpet: the two concepts' means differ only in the
    // instrument, so the instrument's sites carry the effect.
    const prompts = ['fast', 'medium', 'slow'].map((tempo) => `Compose a emotional rock piece, with a trumpet melody. Use a ${tempo} tempo.`);
    const conceptsFile = join(dir, 'concepts.json');
    writeFileSync(conceptsFile, JSON.stringify([{ name: 'Brass', prompts, labels: ['Brass instrument', 'Trumpet'] }]));
    const { stdout } = await run(TSX, [join(ROOT, 'scripts/lab.ts'), 'study', '--concepts', conceptsFile, '--from', 'guitar', '--to', 'brass', '--prompts', '3', '--out', out], { cwd: ROOT, timeout: 300_000 });
    expect(stdout).toMatch(/study: guitar → Brass, 3 prompts each, 4 s clips, toy \(6 layers\), classifier .*models\/toy\/classifier/);

    const sweep = parseCsv(readFileSync(join(out, 'sweep.csv'), 'utf8'));
    expect(sweep).toHaveLength(6 * 3 * 2);
    for (const row of sweep) expect([row.from, row.to, row.n]).toEqual(['guitar', 'brass', '3']);
    const documented = new Set(JSON.parse(readFileSync(join(TOY, 'manifest.json'), 'utf8')).mechanism.INSTRUMENTS.sites as string[]);
    const hookOf = (row: Record<string, string>) => `blocks.${row.layer}.hook_${row.module}_out`;
    const replace = sweep.filter((row) => row.method === 'replace').sort((a, b) => Number(b.effect) - Number(a.effect));
    // Effect reads the custom concept's first label (Brass instrument): positive = moved towards brass.
    expect(replace.slice(0, 2).map(hookOf).sort()).toEqual([...documented].sort());
    const top = Number(replace[0].effect);
    expect(top).toBeGreaterThan(5);
    // Measured: 10.9 at both; next |effect| 1.24 (11 %) at blocks.2.hook_mlp_out and 1.07 at blocks.1.hook_mlp_out,
    // the tempo sites, where the mean over three tempos replaces the prompt's own tempo and changes the rhythm.
    for (const row of replace.slice(2)) expect(Math.abs(Number(row.effect)), hookOf(row)).toBeLessThan(0.15 * top);

    // DecoderLens: the trumpet is heard from depth 5 (layer 4's MLP), so NDCG of the Brass labels jumps there.
    const lens = parseCsv(readFileSync(join(out, 'lens.csv'), 'utf8')).filter((row) => row.concept === 'brass');
    expect(lens.map((row) => row.depth)).toEqual(['1', '2', '3', '4', '5', '6']);
    const ndcg = lens.map((row) => Number(row.ndcg));
    expect(ndcg[4] - Math.max(...ndcg.slice(0, 4))).toBeGreaterThan(0.1);
    const json = JSON.parse(readFileSync(join(out, 'study.json'), 'utf8')) as { concepts: { to: { source: { prompts: string[] }; relevantLabels: number[] } } };
    expect(json.concepts.to.source.prompts).toEqual(prompts);
    expect(json.concepts.to.relevantLabels).toEqual([185, 187]); // Brass instrument, Trumpet
  }, 300_000);
});
