/**
 * tsx scripts/bench/mirrorLoad.ts [--smoke] [--repeat N] [--json FILE]
 *
 * The benchmark row "load musicgen-small from a local hub mirror in Chromium": the lab page opens
 * `?model=hf:bench/musicgen-small&hub=<mirror>`, and the Models panel downloads the decoder's
 * ranges of a musicgen-small-sized checkpoint (random weights, generated range by range by the
 * mirror, text-encoder tensors in front), converts in the convert worker, verifies, stores in the
 * OPFS, then the engine creates its sessions (WASM). Measures each phase's time and the peak
 * resident memory of Chromium's renderer processes (the tab and its workers). Side files are the
 * tiny model's: the row times the decoder, which is what scales with the model.
 *
 * --repeat N loads N times, each in a fresh Chromium profile against fresh servers (nothing is
 * cached between loads), and prints the median, min and max of every figure: on a shared machine
 * one load's figures say as much about the neighbours as about the lab.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseMusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import { benchMode, type BenchMode } from '../../src/bench/configs';
import { median } from '../../src/bench/stats';
import { virtualCheckpoint } from '../../src/bench/virtualCheckpoint';
import { formatBytes } from '../../src/storage/storageDir';
import { launchChromium } from '../../tests/browser/chromium';
import { startHubServer } from '../../tests/browser/hubServer';
import { startLabServer } from '../../tests/browser/server';

const REPO = 'bench/musicgen-small';

/** Resident bytes of this script's Chromium renderer processes (the page and its workers run there). */
function rendererRss(): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), rss: Number(m[3]) * 1024, args: m[4] }));
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) if (mine.has(row.ppid) && !mine.has(row.pid)) grew = mine.add(row.pid) !== undefined;
  }
  return rows.filter((row) => mine.has(row.pid) && row.args.includes('--type=renderer')).reduce((total, row) => total + row.rss, 0);
}

interface LoadResult {
  model: string;
  dtype: string;
  checkpointBytes: number;
  fetchedCheckpointBytes: number;
  storedBundle: string | null;
  downloadAndConvertSeconds: number;
  verifySeconds: number; // sha256 of every stored file
  installSeconds: number;
  sessionSeconds: number;
  peakRendererRssBytesDuringInstall: number;
  peakRendererRssBytes: number;
  errors: string[];
  message: string | null;
}

/** The figures --repeat summarises, with how each is printed. */
const SUMMARISED = [
  ['downloadAndConvertSeconds', 'download + conversion', 's'],
  ['verifySeconds', 'verification (sha256)', 's'],
  ['sessionSeconds', 'session creation', 's'],
  ['peakRendererRssBytesDuringInstall', 'tab peak RSS installing', 'bytes'],
  ['peakRendererRssBytes', 'tab peak RSS with sessions', 'bytes'],
] as const;

interface Spread {
  median: number;
  min: number;
  max: number;
}

function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** One load into a fresh Chromium profile from fresh servers: install, then the engine's sessions. */
async function loadOnce(mode: BenchMode, dtype: string): Promise<LoadResult> {
  const config = parseMusicgenConfig(mode.config, 'bench config');
  // Text-encoder tensors in front of the decoder, as in the real file (t5-base's shared embedding and one block's worth).
  const front = { 'text_encoder.shared.weight': [mode.name === 'smoke' ? 64 : 32128, config.textHiddenSize], 'text_encoder.encoder.block.0.layer.1.DenseReluDense.wi.weight': [mode.name === 'smoke' ? 64 : 3072, config.textHiddenSize] };
  const checkpoint = virtualCheckpoint(config, mode.seed, front);
  const hub = await startHubServer({ [REPO]: { 'model.safetensors': checkpoint } });
  hub.files.set(REPO, new Map([['config.json', new TextEncoder().encode(JSON.stringify(mode.config))]]));
  const server = await startLabServer();
  const browser = await launchChromium({ webgpu: false });
  let peak = 0;
  const poll = setInterval(() => (peak = Math.max(peak, rendererRss())), 250);
  try {
    const { page, errors } = await browser.newPage();
    const url = `${server.origin}/?model=hf:${REPO}&hub=${encodeURIComponent(hub.url)}&backend=wasm`;
    await page.goto(url);
    await page.waitForSelector('[data-testid=plan] [data-testid=install]', { timeout: 120_000 });
    const plan = await page.textContent('[data-testid=plan]');
    console.error(`plan: ${plan}`);
    // Phase changes are recorded in the page as they happen (a short phase can come and go between two polls).
    await page.evaluate(() => {
      const marks: { phase: string; at: number }[] = [];
      (window as unknown as { phaseMarks: typeof marks }).phaseMarks = marks;
      new MutationObserver(() => {
        const phase = document.querySelector('[data-testid=install-phase]')?.textContent ?? (document.querySelector('[data-testid=install-progress]') ? '' : 'done');
        if (phase !== '' && marks[marks.length - 1]?.phase !== phase) marks.push({ phase, at: performance.now() });
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const t0 = await page.evaluate(() => performance.now());
    const started = performance.now();
    await page.click('[data-testid=install]');
    await page.waitForFunction(() => (window as unknown as { phaseMarks: { phase: string }[] }).phaseMarks.some((m) => m.phase === 'done'), undefined, { timeout: 1_800_000, polling: 500 });
    const phaseMarks = await page.evaluate(() => (window as unknown as { phaseMarks: { phase: string; at: number }[] }).phaseMarks);
    const marks: Record<string, number> = {};
    for (const mark of phaseMarks) marks[mark.phase] ??= (mark.at - t0) / 1000;
    marks.stored = marks.done;
    console.error(`phases: ${JSON.stringify(marks)}`);
    const installPeak = peak;
    await page.waitForFunction(() => document.querySelector('[data-testid=model-name]')?.textContent?.includes('bench/musicgen-small') ?? false, undefined, { timeout: 1_800_000, polling: 500 });
    marks.sessions = (performance.now() - started) / 1000;
    const message = await page.textContent('[data-testid=models-message]').catch(() => null);
    const decoderBytes = hub.requests.filter((r) => r.file === 'model.safetensors' && r.method === 'GET').reduce((n, r) => {
      const m = /bytes=(\d+)-(\d+)/.exec(r.range ?? '');
      return n + (m ? Number(m[2]) - Number(m[1]) + 1 : 0);
    }, 0);
    return {
      model: mode.name,
      dtype,
      checkpointBytes: checkpoint.size,
      fetchedCheckpointBytes: decoderBytes,
      storedBundle: await page.textContent('[data-testid=stored-model] [data-testid=stored-size]'),
      downloadAndConvertSeconds: marks.Verifying,
      verifySeconds: marks.stored - marks.Verifying,
      installSeconds: marks.stored,
      sessionSeconds: marks.sessions - marks.stored,
      peakRendererRssBytesDuringInstall: installPeak,
      peakRendererRssBytes: peak,
      errors: errors.messages,
      message,
    };
  } finally {
    clearInterval(poll);
    await browser.close();
    await Promise.all([server.close(), hub.close()]);
  }
}

function formatFigure(value: number, unit: 's' | 'bytes'): string {
  return unit === 's' ? `${value.toFixed(1)} s` : formatBytes(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { smoke: { type: 'boolean', default: false }, repeat: { type: 'string', default: '1' }, json: { type: 'string' } } });
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) throw new Error(`--repeat must be a whole number in 1..20 (got "${values.repeat}")`);
  const dtype = 'fp32'; // no shader-f16 without a GPU: the page picks fp32
  const mode = benchMode(values.smoke);
  const runs: LoadResult[] = [];
  for (let i = 0; i < repeat; i++) {
    const run = await loadOnce(mode, dtype);
    runs.push(run);
    console.log(JSON.stringify(run, null, 2));
    console.log(
      `| Chromium, local mirror, load ${i + 1}/${repeat} | ${mode.name} ${dtype} | fetched ${formatBytes(run.fetchedCheckpointBytes)} of ${formatBytes(run.checkpointBytes)} | download + convert ${run.downloadAndConvertSeconds.toFixed(0)} s, verify ${run.verifySeconds.toFixed(0)} s, sessions ${run.sessionSeconds.toFixed(0)} s | peak tab RSS ${formatBytes(run.peakRendererRssBytesDuringInstall)} installing, ${formatBytes(run.peakRendererRssBytes)} with sessions |`,
    );
  }
  const summary = Object.fromEntries(SUMMARISED.map(([key]) => [key, spread(runs.map((run) => run[key]))]));
  console.log(`\n${mode.name} ${dtype}, ${repeat} load(s): median (min–max)`);
  for (const [key, label, unit] of SUMMARISED) {
    const { median: mid, min, max } = summary[key];
    console.log(`| ${label} | ${formatFigure(mid, unit)} (${formatFigure(min, unit)}–${formatFigure(max, unit)}) |`);
  }
  if (values.json) writeFileSync(values.json, JSON.stringify({ runs, summary }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
