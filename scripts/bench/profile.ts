/**
 * npm run bench:profile -- [--smoke] [--steps N] [--repeat N] [--rounds N] [--threads N] [--cases LIST] [--cache-dir DIR] [--json FILE]
 *
 * Profiles the bench's missed targets (issue 10) at musicgen-small's size with onnxruntime's own
 * per-op profiler, on the bundles `npm run bench` built into .cache/bench (built first if missing):
 * per op type, ms per step, share of kernel time and, for matrix products, GFLOP/s and weight GB/s,
 * against this machine's sustained peaks measured by the same run (scripts/bench/profilePeak.ts).
 * Each case is one profiled process plus --repeat unprofiled ones (wall time per step, median and
 * range; the profiler's own cost shows as the difference). Memory per case: Node RSS before and
 * after onnxruntime is loaded, heap/RSS after each session, peak; plain cases also run one whole
 * generation unprofiled for the peak the bench's memory ratio uses. Run it under
 * `flock /tmp/musicgen-fullsize.lock` on a shared machine. --smoke: the tiny model's shapes (seconds).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchMode } from '../../src/bench/configs';
import { parseMarkedProfiles, parseProfileArray, type SessionProfile } from '../../src/bench/profile/events';
import { opTable, peakTable } from '../../src/bench/profile/format';
import type { ProfileJob, ProfileRunResult, ProfileWorkload } from '../../src/bench/profile/job';
import { memoryLines } from '../../src/bench/profile/memory';
import { betterPeaks, peakRates, type Peak, type PeakTimes } from '../../src/bench/profile/peaks';
import { summariseSteps, type StepProfile } from '../../src/bench/profile/summary';
import { verdict } from '../../src/bench/profile/verdict';
import { kvCacheBytes } from '../../src/bench/results';
import { spread, type Spread } from '../../src/bench/stats';
import { parseMusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import { decoderSteps } from '../../src/engine/delayPattern';
import type { VariantKey } from '../../src/bench/variants';
import { ensureVariants } from './bundles';
import { NODE_RUNNER_ALLOCATOR } from './nodeRunners';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Case {
  key: string;
  label: string;
  backend: 'node' | 'wasm';
  variant: VariantKey;
  workload: ProfileWorkload;
}

const CASES: readonly Case[] = [
  { key: 'native-plain', label: 'native fp32 plain step (batch 2)', backend: 'node', variant: 'fp32', workload: 'plain' },
  { key: 'native-lens', label: 'native fp32 DecoderLens 24 depths (48 rows)', backend: 'node', variant: 'fp32', workload: 'lens' },
  { key: 'native-sweep', label: 'native fp32 72-site sweep + baseline (146 rows)', backend: 'node', variant: 'fp32', workload: 'sweep' },
  { key: 'wasm-fp32', label: 'WASM in Node fp32 plain step', backend: 'wasm', variant: 'fp32', workload: 'plain' },
  { key: 'wasm-q8', label: 'WASM in Node q8 plain step', backend: 'wasm', variant: 'q8', workload: 'plain' },
  { key: 'native-q8', label: 'native q8 plain step', backend: 'node', variant: 'q8', workload: 'plain' },
  { key: 'native-q4', label: 'native q4 plain step', backend: 'node', variant: 'q4', workload: 'plain' },
];

interface Args {
  smoke: boolean;
  steps: number;
  repeat: number;
  rounds: number;
  threads: number;
  cases: string[];
  cacheDir: string;
  json: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { smoke: false, steps: 4, repeat: 3, rounds: 9, threads: 2, cases: CASES.map((c) => c.key), cacheDir: join(ROOT, '.cache', 'bench'), json: '' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--smoke') args.smoke = true;
    else if (flag === '--steps') args.steps = Number(value());
    else if (flag === '--repeat') args.repeat = Number(value());
    else if (flag === '--rounds') args.rounds = Number(value());
    else if (flag === '--threads') args.threads = Number(value());
    else if (flag === '--cases') args.cases = value().split(',');
    else if (flag === '--cache-dir') args.cacheDir = resolve(value());
    else if (flag === '--json') args.json = resolve(value());
    else throw new Error(`unknown option ${flag} (see the comment at the top of scripts/bench/profile.ts)`);
  }
  const unknown = args.cases.filter((key) => !CASES.some((c) => c.key === key));
  if (unknown.length) throw new Error(`unknown case ${unknown.join(', ')}; cases: ${CASES.map((c) => c.key).join(', ')}`);
  if (!args.json) args.json = join(args.cacheDir, `profile-${benchMode(args.smoke).name}.json`);
  if (args.steps < 2 || args.repeat < 1 || args.rounds < 1) throw new Error('--steps ≥ 2, --repeat ≥ 1, --rounds ≥ 1');
  return args;
}

/** A profiled process that has not finished by then is stuck (seen once: WASM, ending its profile). */
const CHILD_TIMEOUT_MS = 15 * 60_000;

/** Runs a script of this folder in a child Node process; resolves with its stdout. */
function child(script: string, argv: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/bench', script), ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...NODE_RUNNER_ALLOCATOR } });
    const chunks: Buffer[] = [];
    proc.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const timer = setTimeout(() => proc.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    proc.on('error', fail);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) done(Buffer.concat(chunks).toString('utf8'));
      else fail(new Error(`${script} ${argv.join(' ')} exited (${signal ?? `code ${code}`})`));
    });
  });
}

async function measurePeaks(backend: 'node' | 'wasm', args: Args, work: string): Promise<Peak[]> {
  const out = join(work, `peak-${backend}.json`);
  await child('profilePeak.ts', [backend, String(args.threads), String(args.rounds), out]);
  return (JSON.parse(readFileSync(out, 'utf8')) as PeakTimes[]).map(peakRates);
}

async function runCase(c: Case, bundleDir: string, args: Args, work: string, profiled: boolean, steps = args.steps): Promise<{ result: ProfileRunResult; profiles: SessionProfile[] }> {
  const mode = benchMode(args.smoke);
  const profileDir = profiled ? mkdtempSync(join(work, `${c.key}-`)) : undefined;
  const job: ProfileJob = { backend: c.backend, threads: args.threads, bundleDir, workload: c.workload, steps, frames: mode.frames, textTokens: mode.textTokens, seed: mode.seed, out: join(work, `${c.key}.json`), ...(profileDir ? { profileDir } : {}) };
  const jobPath = join(work, `${c.key}-job.json`);
  writeFileSync(jobPath, JSON.stringify(job));
  const stdout = await child('profileRun.ts', [jobPath]);
  const result = JSON.parse(readFileSync(job.out, 'utf8')) as ProfileRunResult;
  if (!profileDir) return { result, profiles: [] };
  const profiles =
    c.backend === 'wasm'
      ? parseMarkedProfiles(stdout)
      : readdirSync(profileDir).map((file) => ({ session: file, events: parseProfileArray(readFileSync(join(profileDir, file), 'utf8')) }));
  return { result, profiles };
}

const steadyMs = (result: ProfileRunResult) => result.stepSeconds.slice(1).map((s) => s * 1000);
const load = () => loadavg().map((x) => x.toFixed(2)).join(', ');
const fmtSpread = (s: Spread) => `${s.median.toFixed(1)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;

interface CaseReport {
  key: string;
  backend: 'node' | 'wasm';
  label: string;
  profile: StepProfile;
  verdict: string;
  wallMs: Spread; // unprofiled runs: median over runs of their median step
  profiledWallMs: number;
  memory: ProfileRunResult;
  wholeGeneration?: ProfileRunResult;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const mode = benchMode(args.smoke);
  const cases = CASES.filter((c) => args.cases.includes(c.key));
  const variants = [...new Set(cases.map((c) => c.variant))];
  const builds = await ensureVariants(mode, args.cacheDir, variants, ROOT, [], (line) => console.log(line));
  // The KV cache of a whole plain generation, as the bench's memory ratio counts it.
  const config = parseMusicgenConfig(mode.config);
  const kvBytes = kvCacheBytes(config, decoderSteps(mode.frames, config.numCodebooks));
  const work = mkdtempSync(join(tmpdir(), 'musicgen-profile-'));
  const say = (line = '') => console.log(line);
  try {
    say(`# Profile, ${new Date().toISOString()}: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${args.threads} threads, ${args.steps} steps per run (the first is the warm-up), load average at start ${load()}`);
    // Peaks before the cases and again after; the verdicts use the better of the two.
    const backends = [...new Set(cases.map((c) => c.backend))];
    const before: Record<'node' | 'wasm', Peak[]> = { node: [], wasm: [] };
    for (const backend of backends) before[backend] = await measurePeaks(backend, args, work);
    const reports: CaseReport[] = [];
    for (const c of cases) {
      const build = builds.get(c.variant);
      if (build?.status !== 'ok') {
        say(`\n${c.label}: skipped, the ${c.variant} bundle did not build (${build && 'reason' in build ? build.reason : 'unknown'})`);
        continue;
      }
      // Unprofiled runs around the profiled one, so both see the machine alike.
      const wall: number[] = [];
      let profiledRun: Awaited<ReturnType<typeof runCase>> | undefined;
      for (let i = 0; i <= args.repeat; i++) {
        const profiled = i === Math.floor(args.repeat / 2);
        const run = await runCase(c, build.dir, args, work, profiled);
        if (profiled) profiledRun = run;
        else wall.push(spread(steadyMs(run.result)).median);
      }
      const profile = summariseSteps(profiledRun!.profiles, args.steps);
      const report: CaseReport = {
        key: c.key,
        backend: c.backend,
        label: c.label,
        profile,
        verdict: '',
        wallMs: spread(wall),
        profiledWallMs: spread(steadyMs(profiledRun!.result)).median,
        memory: profiledRun!.result,
      };
      reports.push(report);
      say(`\n## ${c.label}`);
      say(`wall time per step without the profiler ${fmtSpread(report.wallMs)} over ${wall.length} runs; with it ${report.profiledWallMs.toFixed(1)} ms; load average ${load()}`);
      opTable(profile).forEach((l) => say(l));
      memoryLines(profiledRun!.result, c.backend, kvBytes).forEach((l) => say(`${l} (first ${args.steps} steps, profiled)`));
      // The bench's memory ratio is the peak over a whole generation: the KV cache grows to its full size.
      if (c.workload === 'plain') {
        const whole = await runCase(c, build.dir, args, work, false, decoderSteps(mode.frames, config.numCodebooks));
        report.wholeGeneration = whole.result;
        memoryLines(whole.result, c.backend, kvBytes).forEach((l) => say(`${l} (a whole ${whole.result.stepSeconds.length}-step generation, unprofiled)`));
      }
    }
    const peaks: Record<'node' | 'wasm', Peak[]> = { node: [], wasm: [] };
    for (const backend of backends) {
      peaks[backend] = betterPeaks(before[backend], await measurePeaks(backend, args, work));
      say();
      say(`Peaks, the better of the measurements before and after the cases (load average now ${load()}):`);
      peakTable(backend === 'node' ? 'native' : 'WASM in Node', peaks[backend]).forEach((l) => say(l));
    }
    say('\n## Verdicts');
    for (const report of reports) {
      report.verdict = verdict(report.label, report.profile, peaks[report.backend], report.wallMs.median).text;
      say(`- ${report.verdict}`);
    }
    mkdirSync(dirname(args.json), { recursive: true });
    writeFileSync(args.json, JSON.stringify({ date: new Date().toISOString(), args, peaks, reports }, null, 1));
    say(`\nload average at the end ${load()}; JSON: ${args.json}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
