/**
 * npx tsx scripts/means-memory.ts [--model DIR] [--seconds S] [--memory-budget SIZE] [--counts 10,100]
 *
 * Measures the peak memory (RSS) of `npm run lab -- capture --mean` over the study's guitar prompts
 * at several prompt counts, each in its own process, and prints whether 100 prompts stay within
 * 10 % of 10: means are streamed, so only the batch (sized by --memory-budget) takes memory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { conceptPrompts } from '../src/analysis/concepts/concept';
import { findStudyConcept } from '../src/analysis/concepts/studyConcepts';
import { formatBytes } from '../src/analysis/interventions/rowMemory';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: join(ROOT, 'models/tiny') },
    seconds: { type: 'string', default: '4' },
    'memory-budget': { type: 'string', default: '8MiB' },
    counts: { type: 'string', default: '10,100' },
  },
});
const counts = values.counts!.split(',').map(Number);
if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 125)) throw new Error('--counts: prompt counts in 1..125, e.g. 10,100');
const dir = mkdtempSync(join(tmpdir(), 'means-memory-'));
const prompts = conceptPrompts(findStudyConcept('guitar')!, Math.max(...counts));

const peaks: number[] = [];
try {
  for (const count of counts) {
    const promptsFile = join(dir, `prompts-${count}.txt`);
    writeFileSync(promptsFile, prompts.slice(0, count).join('\n'));
    const peakFile = join(dir, `peak-${count}`);
    const started = performance.now();
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--import', join(ROOT, 'scripts/means-memory/reportPeak.ts'), join(ROOT, 'scripts/lab.ts'), 'capture', '--mean', '--model', values.model!, '--prompts-file', promptsFile, '--seconds', values.seconds!, '--memory-budget', values['memory-budget']!, '--out', join(dir, `means-${count}.safetensors`)],
      // The allocator setting the README recommends for the lab on Linux (see Benchmarks): without it
      // glibc keeps freed KV-cache blocks resident after its mmap threshold has grown.
      { cwd: ROOT, env: { MALLOC_MMAP_THRESHOLD_: String(1 << 20), ...process.env, PEAK_RSS_FILE: peakFile }, encoding: 'utf8' },
    );
    if (child.status !== 0) throw new Error(`capture --mean over ${count} prompts failed (exit ${child.status}): ${child.stderr.trim().split('\n').at(-1)}`);
    const peak = Number(readFileSync(peakFile, 'utf8'));
    peaks.push(peak);
    console.log(`${count} prompts: peak RSS ${formatBytes(peak)} in ${((performance.now() - started) / 1000).toFixed(1)} s (${values.seconds} s clips, --memory-budget ${values['memory-budget']})`);
  }
  const ratio = peaks.at(-1)! / peaks[0];
  const within = Math.abs(ratio - 1) <= 0.1;
  console.log(`${counts.at(-1)} vs ${counts[0]} prompts: ${ratio.toFixed(3)}× peak memory: ${within ? 'within' : 'NOT within'} 10 %`);
  process.exitCode = within ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
