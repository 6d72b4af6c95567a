/**
 * A run of the lab as the history keeps it (pure: types, ids, export). The record says how the
 * audio was made (prompt, every setting, depths, model, backend); the audio is kept apart so the
 * history list loads without megabytes of samples.
 */
import { encodeWav } from '../../../audio/wav';
import type { WeightDtype } from '../../../bundle/manifest';
import type { BrowserBackend } from '../../../lab/workerApi';
import type { GenerationSettings } from '../../state/settings';

export type RunKind = 'generate' | 'lens';

export interface RunRecord {
  id: string;
  createdAt: number; // ms since the epoch
  kind: RunKind;
  settings: GenerationSettings;
  /** Decoder depths of the clips, in clip order; the model's layer count = the full model. */
  depths: number[];
  /** `dtype`: the bundle's weight format (q8/q4: made on quantised weights); absent in runs recorded before it was kept. */
  model: { name: string; numLayers: number; bundleUrl: string; dtype?: WeightDtype };
  backend: BrowserBackend;
  backendDetail: string;
  sampleRate: number;
  frames: number;
  elapsedMs: number;
}

export interface RunAudio {
  runId: string;
  clips: { depth: number; samples: Float32Array }[]; // samples [samplesPerFrame · frames] mono
}

/** A short id that sorts by time and survives a URL unescaped, e.g. `r-lq2x9k-4f1a`. */
export function newRunId(now: number, random: () => number = Math.random): string {
  const suffix = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `r-${now.toString(36)}-${suffix}`;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'clip';
}

/** The WAV file name of one clip of a run. */
export function clipFileName(record: RunRecord, depth: number): string {
  return `musicgen-${slug(record.settings.prompt)}-seed${record.settings.seed}-depth${depth}-${record.id}.wav`;
}

/** "full model (24 layers)" or "depth 3 of 24". */
export function depthLabel(depth: number, numLayers: number): string {
  return depth === numLayers ? `full model (${numLayers} layers)` : `depth ${depth} of ${numLayers}`;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000; // String.fromCharCode takes its arguments on the stack
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

export const RUN_EXPORT_FORMAT = 'musicgen-lab-run';

export interface RunExport {
  format: typeof RUN_EXPORT_FORMAT;
  version: 1;
  run: RunRecord;
  clips: { depth: number; label: string; fileName: string; mimeType: 'audio/wav'; wavBase64: string }[];
}

/** One self-contained JSON document: the run's record and every clip as a base64 16-bit WAV. */
export function exportRun(record: RunRecord, audio: RunAudio): RunExport {
  return {
    format: RUN_EXPORT_FORMAT,
    version: 1,
    run: record,
    clips: audio.clips.map(({ depth, samples }) => ({
      depth,
      label: depthLabel(depth, record.model.numLayers),
      fileName: clipFileName(record, depth),
      mimeType: 'audio/wav',
      wavBase64: base64(encodeWav(samples, record.sampleRate)),
    })),
  };
}
