/**
 * Measured generation speed of one stored model, kept next to its bundle (`speed.json`): per
 * backend, the last few decoder steps/s figures. A median of several runs, not one figure, because
 * a single run on a shared machine can be far off.
 */

export type SpeedBackend = 'webgpu' | 'wasm';

export interface SpeedSample {
  backend: SpeedBackend;
  /** Decoder steps per second of one generation (text encoding and audio decoding excluded). */
  stepsPerSecond: number;
  /** ms since the epoch. */
  measuredAt: number;
}

export interface BackendSpeed {
  /** Oldest first, at most SPEED_SAMPLES_KEPT. */
  stepsPerSecond: number[];
  measuredAt: number;
}

export type SpeedRecord = Partial<Record<SpeedBackend, BackendSpeed>>;

export const SPEED_FILE = 'speed.json';
export const SPEED_SAMPLES_KEPT = 5;
const BACKENDS: readonly SpeedBackend[] = ['webgpu', 'wasm'];

function isRate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** The record with one more sample (the oldest beyond SPEED_SAMPLES_KEPT dropped); bad samples change nothing. */
export function addSpeedSample(record: SpeedRecord, sample: SpeedSample): SpeedRecord {
  if (!isRate(sample.stepsPerSecond) || !BACKENDS.includes(sample.backend)) return record;
  const previous = record[sample.backend]?.stepsPerSecond ?? [];
  return { ...record, [sample.backend]: { stepsPerSecond: [...previous, sample.stepsPerSecond].slice(-SPEED_SAMPLES_KEPT), measuredAt: sample.measuredAt } };
}

/** Reads a stored record, keeping only well-formed entries (a damaged file costs the figures, never the model). */
export function parseSpeedRecord(json: unknown): SpeedRecord {
  const record: SpeedRecord = {};
  if (!json || typeof json !== 'object') return record;
  for (const backend of BACKENDS) {
    const entry = (json as Record<string, Partial<BackendSpeed> | undefined>)[backend];
    const rates = Array.isArray(entry?.stepsPerSecond) ? entry.stepsPerSecond.filter(isRate).slice(-SPEED_SAMPLES_KEPT) : [];
    if (rates.length > 0 && typeof entry?.measuredAt === 'number') record[backend] = { stepsPerSecond: rates, measuredAt: entry.measuredAt };
  }
  return record;
}

/** The median of the kept samples. */
export function typicalStepsPerSecond(speed: BackendSpeed): number {
  const sorted = [...speed.stepsPerSecond].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
