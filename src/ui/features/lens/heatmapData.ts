/**
 * What the DecoderLens heatmaps draw, pure: a measurement chosen by name, read as depth × frame
 * for one codebook or their mean, deepest depth on top, and how each measurement is coloured.
 */
import { depthByFrame, type LensGrid, type LensMeasurements, type TeacherForcedLens } from '../../../analysis/lens/kernel';
import type { Domain, ScaleKind } from '../../components/charts/scales';

export type LensMeasure = 'entropy' | 'entropyDelta' | 'top1' | 'agreement';
export type TeacherMeasure = 'kl' | 'agreement';
/** A codebook index (0-based) or the mean of all codebooks. */
export type CodebookChoice = number | 'mean';

export interface MeasureSpec {
  label: string; // for the picker
  legend: string; // the colour legend's caption, with the unit
  scale: ScaleKind;
  domain?: Domain; // fixed colour domain; default from the data
  format(value: number): string;
}

const probability: Pick<MeasureSpec, 'scale' | 'domain' | 'format'> = { scale: 'sequential', domain: [0, 1], format: (value) => value.toFixed(2) };
const nats = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)} nats` : '∞');

export const LENS_MEASURES: Record<LensMeasure, MeasureSpec> = {
  entropy: { label: 'Entropy of the guided distribution', legend: 'entropy (nats)', scale: 'sequential', format: nats },
  entropyDelta: { label: 'Entropy minus the full model’s', legend: 'entropy − full model’s (nats)', scale: 'diverging', format: (value) => `${value >= 0 ? '+' : ''}${nats(value)}` },
  top1: { label: 'Top-1 probability', legend: 'top-1 probability', ...probability },
  agreement: { label: 'Agreement with the full model’s tokens', legend: 'share of tokens equal to the full model’s', ...probability },
};

export const TEACHER_MEASURES: Record<TeacherMeasure, MeasureSpec> = {
  kl: { label: 'KL(final ‖ depth)', legend: 'KL(final ‖ depth) (nats)', scale: 'sequential', format: nats },
  agreement: { label: 'Top-1 agreement with the final layer', legend: 'share of top-1 tokens equal to the final layer’s', ...probability },
};

export interface DepthHeatmap {
  values: Float32Array; // [rows, frames], rows deepest first
  depths: number[]; // [rows]
  frames: number;
}

/** Rows of a [depths, frames] array, deepest first (layers stack upwards, as in logit-lens plots). */
function deepestFirst(values: Float32Array, depths: readonly number[], frames: number): DepthHeatmap {
  const order = depths.map((depth, row) => ({ depth, row })).sort((a, b) => b.depth - a.depth);
  const out = new Float32Array(values.length); // [rows, frames]
  order.forEach(({ row }, i) => out.set(values.subarray(row * frames, (row + 1) * frames), i * frames));
  return { values: out, depths: order.map(({ depth }) => depth), frames };
}

/** Each depth's value minus the full model's (the last row), per codebook and step: [depths, K, steps]. */
function minusFullRow(values: Float32Array, grid: LensGrid): Float32Array {
  const rowSize = grid.numCodebooks * grid.steps;
  const full = values.subarray((grid.depths.length - 1) * rowSize);
  return values.map((value, i) => value - full[i % rowSize]);
}

export function lensHeatmap(measurements: LensMeasurements, measure: LensMeasure, codebook: CodebookChoice): DepthHeatmap {
  const source = measure === 'entropyDelta' ? minusFullRow(measurements.entropy, measurements) : measurements[measure];
  return deepestFirst(depthByFrame(source, measurements, codebook), measurements.depths, measurements.frames);
}

export function teacherHeatmap(lens: TeacherForcedLens, measure: TeacherMeasure, codebook: CodebookChoice): DepthHeatmap {
  return deepestFirst(depthByFrame(lens[measure], lens, codebook), lens.depths, lens.frames);
}

/** Row label of a depth. */
export function depthLabel(depth: number, numLayers: number): string {
  return depth === numLayers ? `full (${numLayers})` : `depth ${depth}`;
}

/** The cell of a depth × frame heatmap under a clip's playhead (the last frame once it ended); null when that depth has no row. */
export function playheadCell(heatmap: DepthHeatmap, playhead: { depth: number; frame: number } | null): { row: number; column: number } | null {
  if (!playhead) return null;
  const row = heatmap.depths.indexOf(playhead.depth);
  return row < 0 ? null : { row, column: Math.max(0, Math.min(heatmap.frames - 1, playhead.frame)) };
}
