/**
 * npm run memory-check -- [--runs 50] [--seconds 1] [--model DIR] [--no-browser]
 * Memory over many generations in one process and in one Chromium page: the lab's full path
 * (prompt -> text encoder -> generation -> audio) repeated, memory read after each run. Prints
 * the growth from the warm-up (median of runs 6-10) to the end (median of the last 5); the target
 * is at most 10 %. A measurement, not a timed test: exit 1 only when a figure is over the target.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { nodeBundleFiles } from '../src/bundle/nodeBundleFiles';
import { MusicgenEngine } from '../src/engine/engine';
import { createRuntime } from '../src/runtime/ort';
import { DEFAULT_SETTINGS, framesForSeconds } from '../src/ui/state/settings';
import { launchChromium } from '../tests/browser/chromium';
import { startLabServer } from '../tests/browser/server';
import { messageOf } from '../src/errorMessage';

const TARGET = 0.1;

interface Series {
  label: string;
  values: number[]; // bytes after each run
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Growth from warm-up to the end, or null when there are too few runs to tell. */
function growth(values: number[]): { warm: number; end: number; ratio: number } | null {
  if (values.length < 15) return null;
  const warm = median(values.slice(5, 10));
  const end = median(values.slice(-5));
  return { warm, end, ratio: (end - warm) / warm };
}

function report(series: Series[]): boolean {
  let ok = true;
  for (const { label, values } of series) {
    const g = growth(values);
    if (!g) {
      console.log(`  ${label}: ${values.length} runs, too few to measure growth (need 15)`);
      continue;
    }
    const over = g.ratio > TARGET;
    ok &&= !over;
    const samples = [...new Set([0, 9, 19, 29, 39, values.length - 1])].filter((i) => i < values.length).map((i) => `#${i + 1} ${mib(values[i])}`);
    console.log(`  ${label}: warm ${mib(g.warm)} -> end ${mib(g.end)}: ${(g.ratio * 100).toFixed(1)} % (${over ? 'OVER' : 'within'} the ${TARGET * 100} % target)`);
    console.log(`    ${samples.join(', ')}`);
  }
  return ok;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function inNode(modelDir: string, runs: number, seconds: number): Promise<Series[]> {
  const engine = await MusicgenEngine.load(nodeBundleFiles(modelDir), await createRuntime('node'));
  const rss: number[] = [];
  const heap: number[] = [];
  try {
    const frames = framesForSeconds(seconds);
    for (let run = 0; run < runs; run++) {
      const result = await engine.generate({ prompts: [DEFAULT_SETTINGS.prompt], frames, rows: [{ prompt: 0 }], seed: DEFAULT_SETTINGS.seed + run });
      await engine.decodeAudio(result.rows.map((row) => row.codes), frames);
      gc?.();
      const usage = process.memoryUsage();
      rss.push(usage.rss);
      heap.push(usage.heapUsed + usage.external);
      if ((run + 1) % 10 === 0) process.stderr.write(`  node: ${run + 1}/${runs}\n`);
    }
  } finally {
    await engine.release();
  }
  return [
    { label: `onnxruntime-node, RSS${gc ? '' : ' (no --expose-gc)'}`, values: rss },
    { label: 'onnxruntime-node, JS heap + external', values: heap },
  ];
}

/** Resident memory of every descendant process of this one (the Chromium playwright started), from /proc (Linux); null elsewhere. */
function childProcessesRss(): number | null {
  const parents = new Map<number, number>();
  const rss = new Map<number, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      parents.set(Number(pid), Number(/PPid:\s+(\d+)/.exec(status)?.[1] ?? 0));
      rss.set(Number(pid), Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024);
    } catch {
      // the process ended between listing and reading
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === process.pid) return true;
    return false;
  };
  let total = 0;
  for (const [pid, bytes] of rss) if (descends(pid)) total += bytes;
  return total > 0 ? total : null;
}

async function inChromium(runs: number, seconds: number): Promise<Series[]> {
  const server = await startLabServer();
  // measureUserAgentSpecificMemory never answered here (Chromium 156 headless, threaded WASM
  // workers), so the figure is the resident memory of Chromium's processes, after a GC in every JS context.
  const browser = await launchChromium({ webgpu: false, extraArgs: ['--js-flags=--expose-gc'] });
  try {
    const { page, errors } = await browser.newPage();
    await page.goto(`${server.origin}/scripts/memory/memory.html`);
    await page.waitForFunction(() => (window as unknown as { memoryReady?: boolean }).memoryReady === true, undefined, { timeout: 120_000 });
    const description = await page.evaluate((url) => (window as unknown as { memoryLoad(u: string): Promise<string> }).memoryLoad(url), '/models/tiny/');
    process.stderr.write(`  chromium: ${description}\n`);
    const rss: number[] = [];
    const collectGarbage = async () => {
      await page.evaluate('globalThis.gc?.()');
      // Only the engine worker: onnxruntime's pthread workers never return to their event loop.
      for (const worker of page.workers().filter((w) => w.url().includes('engine.worker'))) await worker.evaluate('globalThis.gc?.()');
    };
    for (let run = 0; run < runs; run++) {
      await page.evaluate((s) => (window as unknown as { memoryGenerate(s: number): Promise<number> }).memoryGenerate(s), seconds);
      if (process.env.MEMORY_DEBUG) process.stderr.write(`  generated ${run + 1} at ${performance.now().toFixed(0)} ms\n`);
      await collectGarbage();
      const total = childProcessesRss();
      if (total !== null) rss.push(total);
      if ((run + 1) % 10 === 0) process.stderr.write(`  chromium: ${run + 1}/${runs}\n`);
    }
    if (errors.messages.length) console.log(`  browser console errors: ${errors.messages.join(' | ')}`);
    return rss.length ? [{ label: 'Chromium, RSS of all its processes', values: rss }] : [];
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '50' },
      seconds: { type: 'string', default: '1' },
      model: { type: 'string', default: 'models/tiny' },
      'no-browser': { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  const seconds = Number(values.seconds);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive whole number, got "${values.runs}"`);
  if (!(seconds > 0 && seconds <= 30)) throw new Error(`--seconds must be in (0, 30], got "${values.seconds}"`);
  console.log(`memory over ${runs} generations of ${seconds} s ("${DEFAULT_SETTINGS.prompt}"), ${resolve(values.model!)}`);
  const series = await inNode(values.model!, runs, seconds);
  console.log('one Node process:');
  let ok = report(series);
  if (!values['no-browser']) {
    console.log('one Chromium page (the lab\'s engine worker, WASM):');
    ok = report(await inChromium(runs, seconds)) && ok;
  }
  return ok ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`memory-check: ${messageOf(error)}`);
    process.exitCode = 1;
  },
);
