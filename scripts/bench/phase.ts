/**
 * One backend's phase: start a runner per variant (each in its own process or worker), time one
 * full plain generation on each, then the alternated measurements, then close
 * them all. A runner that cannot start or fails takes only its own comparisons down.
 */
import { alternatedSchedule, blockStepsFor, variantsNeeded, type BackendKey, type Comparison } from '../../src/bench/plan';
import { measurement, ratioResult, type Block, type Measurement, type RatioResult, type RunnerEntry } from '../../src/bench/results';
import { VARIANTS, type VariantKey } from '../../src/bench/variants';
import type { RunnerHandle } from './protocol';

export interface PhaseOptions {
  backend: BackendKey;
  /** Every variant the backend times (a full generation each), the comparisons' included. */
  variants: readonly VariantKey[];
  comparisons: Comparison[];
  /** A handle for the variant, or why it cannot run (its build failed). */
  start(variant: VariantKey): RunnerHandle | { reason: string };
  repeat: number;
  blockSteps: number;
  /** Decoder steps of a whole generation (blocks of comparisons whose span is 'generation'). */
  generationSteps: number;
  log(line: string): void;
}

export interface PhaseResult {
  runners: Partial<Record<VariantKey, RunnerEntry>>;
  measurements: Measurement[];
  ratios: RatioResult[];
}

const message = (error: unknown) => (error instanceof Error ? error.message.split('\n')[0] : String(error));

export async function runPhase(options: PhaseOptions): Promise<PhaseResult> {
  const { backend, comparisons, log } = options;
  const runners: Partial<Record<VariantKey, RunnerEntry>> = {};
  const handles = new Map<VariantKey, RunnerHandle>();
  try {
    for (const variant of new Set([...options.variants, ...variantsNeeded(comparisons)])) {
      const handle = options.start(variant);
      if ('reason' in handle) {
        runners[variant] = { status: 'failed', reason: handle.reason };
        continue;
      }
      try {
        const info = await handle.open();
        handles.set(variant, handle);
        log(`${backend} ${variant}: loaded in ${info.loadSeconds.toFixed(1)} s`);
        const generation = await handle.generation();
        const { weightsBytes, description, loadSeconds, rssAfterLoadBytes } = info;
        runners[variant] = { status: 'ok', run: { description, loadSeconds, weightsBytes, plain: generation.plain, ...(rssAfterLoadBytes ? { rssAfterLoadBytes } : {}), ...(generation.peakRssBytes ? { peakRssBytes: generation.peakRssBytes } : {}), ...(generation.wasmHeapBytes ? { wasmHeapBytes: generation.wasmHeapBytes } : {}) } };
        log(`${backend} ${variant}: full generation, ${generation.plain.steps} steps`);
      } catch (error) {
        runners[variant] = { status: 'failed', reason: message(error) };
        log(`${backend} ${variant}: failed: ${message(error)}`);
        await handle.close().catch(() => undefined);
        handles.delete(variant);
      }
    }

    const missing = new Map<string, string>();
    for (const c of comparisons) {
      const down = [c.a.variant, c.b.variant].find((v) => runners[v]?.status !== 'ok');
      const entry = down ? runners[down] : undefined;
      if (down) missing.set(c.id, `${VARIANTS[down].label} ${entry && entry.status !== 'ok' ? `${entry.status}: ${entry.reason}` : 'did not run'}`);
    }
    const runnable = comparisons.filter((c) => !missing.has(c.id));
    const measurements: Measurement[] = [];
    const pending = new Map<string, Block>(); // the first block of a pair, by comparison and round
    const schedule = alternatedSchedule(runnable.length, options.repeat);
    for (const [i, { round, comparison: index, side }] of schedule.entries()) {
      if (i % (2 * runnable.length) === 0) log(`${backend}: round ${round + 1}/${options.repeat}`);
      const c = runnable[index];
      if (missing.has(c.id)) continue;
      try {
        const block = await handles.get(c[side].variant)!.block(c[side].workload, blockStepsFor(c, options.blockSteps, options.generationSteps));
        const key = `${c.id}#${round}`;
        const other = pending.get(key);
        if (!other) pending.set(key, block);
        else {
          pending.delete(key);
          measurements.push(side === 'b' ? measurement(c, round, other, block) : measurement(c, round, block, other));
        }
      } catch (error) {
        missing.set(c.id, `${c[side].variant} ${c[side].workload} failed: ${message(error)}`);
        log(`${c.id}: ${message(error)}`);
      }
    }
    // A comparison that failed in a later round gets no figure from its earlier rounds (they stay in the JSON).
    return { runners, measurements, ratios: comparisons.map((c) => (missing.has(c.id) ? ratioResult(c, [], missing.get(c.id)) : ratioResult(c, measurements))) };
  } finally {
    for (const handle of handles.values()) await handle.close().catch(() => undefined);
  }
}
