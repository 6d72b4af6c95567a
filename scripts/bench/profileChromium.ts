/**
 * npx tsx scripts/bench/profileChromium.ts [--runs N] [--warmup N] [--rounds N] [--past P] [--idle N] [--idle-no-spin] [--no-spin] [--profile]
 *
 * Why q8 per-layer runs slower in the Chromium bench than in Node WASM (README, Benchmarks): times
 * one q8 and one fp32 block of the bench bundles (.cache/bench) in a cross-origin isolated Chromium
 * worker with each onnxruntime-web build, `onnxruntime-web` (the WebGPU-capable JSEP build a
 * bundler resolves it to) and `onnxruntime-web/wasm` (the plain WASM build, the one Node loads), 2
 * threads, alternated over rounds; --idle N keeps N other workers with a loaded block idle
 * meanwhile, as the bench's other runners are (--idle-no-spin: with onnxruntime's thread-pool spinning
 * off in them; --no-spin: off in the timed worker too). Prints median (min–max) ms per block run per case.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium } from '../../tests/browser/chromium';
import { startLabServer } from '../../tests/browser/server';
import { spread } from '../../src/bench/stats';
import type { BlockTimingJob, BlockTimingResult } from './profileChromiumWorker';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const runs = option('--runs', 15);
const warmup = option('--warmup', 10);
const rounds = option('--rounds', 3);
const past = option('--past', 50);
const idle = option('--idle', 0);
const profile = argv.includes('--profile');
const idleSpinning = !argv.includes('--idle-no-spin');
const spinning = !argv.includes('--no-spin');

const cacheDir = resolve('.cache/bench');
const bundle = (variant: string) => {
  const name = readdirSync(cacheDir).find((entry) => entry.startsWith(`musicgen-small-${variant}-`));
  if (!name) throw new Error(`no musicgen-small ${variant} bundle in ${cacheDir}: run npm run bench once`);
  return join(cacheDir, name);
};

declare global {
  interface Window {
    timeBlock(job: BlockTimingJob, keep: boolean): Promise<BlockTimingResult>;
  }
}

const server = await startLabServer();
const browser = await launchChromium({ webgpu: false });
try {
  const { page } = await browser.newPage();
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(message.text()));
  await page.goto(`${server.origin}/tests/browser/bench/bench.html`);
  await page.evaluate(() => {
    window.timeBlock = (job, keep) =>
      new Promise((done, fail) => {
        const worker = new Worker(new URL('/scripts/bench/profileChromiumWorker.ts', location.origin), { type: 'module' });
        worker.onmessage = (event: MessageEvent<{ ok: boolean; result?: BlockTimingResult; error?: string }>) => {
          if (!keep) worker.terminate();
          if (event.data.ok) done(event.data.result!);
          else fail(new Error(event.data.error));
        };
        worker.onerror = (event) => fail(new Error(event.message));
        worker.postMessage(job);
      });
  });
  const url = (variant: string) => server.fsUrl(`${bundle(variant)}/block_0.onnx`);
  // Idle workers: a block loaded and run once each, then left alive (their thread pools stay up).
  for (let i = 0; i < idle; i++) await page.evaluate(([j]) => window.timeBlock(j, true), [{ build: 'jsep', blockUrl: url('q8'), threads: 2, runs: 1, warmup: 1, past, profile: false, spinning: idleSpinning }] as const);
  const cases = ['q8', 'fp32'].flatMap((variant) => (['jsep', 'plain'] as const).map((build) => ({ variant, build })));
  const ms = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...cases].reverse() : cases;
    for (const { variant, build } of order) {
      const job: BlockTimingJob = { build, blockUrl: url(variant), threads: 2, runs, warmup, past, profile, spinning };
      const result = await page.evaluate(([j]) => window.timeBlock(j, false), [job] as const);
      if (!result.crossOriginIsolated) throw new Error('the worker is not cross-origin isolated: no WASM threads');
      const key = `${variant} ${build}`;
      ms.set(key, [...(ms.get(key) ?? []), spread(result.ms).median]);
    }
  }
  console.log(`block_0 at past ${past}, 2 threads, ${warmup} untimed then ${runs} timed runs per worker (median), ${rounds} alternated rounds, ${idle} idle workers (spinning ${idleSpinning ? 'on' : 'off'}), timed workers spinning ${spinning ? 'on' : 'off'}; median (min–max) over rounds:`);
  for (const [key, values] of ms) {
    const s = spread(values);
    console.log(`  ${key.padEnd(10)} ${s.median.toFixed(1)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)})`);
  }
  if (profile) console.log(consoleLines.filter((line) => line.includes('"cat" : "Node"')).join('\n'));
} finally {
  await browser.close();
  await server.close();
}
