/**
 * Heatmap colour scales, pure: values in, domains, colours and ticks out. Sequential scales span the
 * finite values (or a fixed domain); diverging scales are centred on 0 with a symmetric extent, so
 * equal magnitudes get equal intensity. Colours read on light and dark backgrounds: viridis, and a
 * blue – grey – red ramp whose neutral middle is neither white nor black.
 */
import { format, interpolateLab, interpolateViridis, piecewise, precisionFixed, precisionRound, tickFormat, ticks } from 'd3';

export type ScaleKind = 'sequential' | 'diverging';
export type Domain = readonly [number, number];

export interface ColourScale {
  kind: ScaleKind;
  domain: Domain; // [min, max]; diverging: [-m, m]
  /** CSS colour of a value; null for NaN (no value: the cell is drawn empty). */
  colour(value: number): string | null;
}

/** Smallest and largest finite value; null when there is none. */
export function finiteExtent(values: ArrayLike<number>): Domain | null {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return min <= max ? [min, max] : null;
}

/** [min, max] of the finite values, widened to a unit span around a single value, [0, 1] when empty. */
export function sequentialDomain(values: ArrayLike<number>): Domain {
  const extent = finiteExtent(values);
  if (!extent) return [0, 1];
  const [min, max] = extent;
  return min === max ? [min - 0.5, max + 0.5] : extent;
}

/** [-m, m] with m the largest finite |value|; [-1, 1] when all are 0 or none is finite. */
export function divergingDomain(values: ArrayLike<number>): Domain {
  const extent = finiteExtent(values);
  const m = extent ? Math.max(Math.abs(extent[0]), Math.abs(extent[1])) : 0;
  return m > 0 ? [-m, m] : [-1, 1];
}

/** Position of a value in a domain, clamped to [0, 1] (±Infinity go to the ends); NaN stays NaN. */
export function normalize(value: number, [min, max]: Domain): number {
  if (Number.isNaN(value)) return NaN;
  if (!(max > min)) throw new Error(`domain [${min}, ${max}] is empty`);
  return Math.min(1, Math.max(0, (value - min) / (max - min)));
}

const divergingRamp = piecewise(interpolateLab, ['#2b6cc4', '#8c8fa1', '#c8453a']);

/** The colour ramp of a kind at t in [0, 1]. */
export function rampColour(kind: ScaleKind, t: number): string {
  return kind === 'sequential' ? interpolateViridis(t) : divergingRamp(t);
}

/** A colour scale over `values`, or over a fixed `domain` (e.g. probabilities [0, 1]). */
export function colourScale(kind: ScaleKind, values: ArrayLike<number>, domain?: Domain): ColourScale {
  const resolved = domain ?? (kind === 'sequential' ? sequentialDomain(values) : divergingDomain(values));
  if (!(resolved[1] > resolved[0])) throw new Error(`domain [${resolved[0]}, ${resolved[1]}] is empty`);
  if (kind === 'diverging' && resolved[0] !== -resolved[1]) throw new Error(`a diverging domain must be centred on 0, got [${resolved[0]}, ${resolved[1]}]`);
  return {
    kind,
    domain: resolved,
    colour(value) {
      const t = normalize(value, resolved);
      return Number.isNaN(t) ? null : rampColour(kind, t);
    },
  };
}

/** A legend tick: its value, its label, and where the label sits against the tick (its ends may hang inwards). */
export interface LegendTick {
  value: number;
  label: string;
  anchor: 'start' | 'middle' | 'end';
}

/** The legend's geometry in pixels: the colour bar's width, the room either side, a digit's width, the gap between labels. */
export interface LegendLayout {
  width: number;
  margin: number;
  charWidth: number;
  gap: number;
}

/** The heatmap's legend: a 180 px bar with 24 px either side, 11 px tabular digits. */
export const LEGEND_LAYOUT: LegendLayout = { width: 180, margin: 24, charWidth: 6.6, gap: 4 };

/** Values under this magnitude (but not 0) are also tried in exponent notation: "5e-8" instead of "0.00000005". */
const TINY = 1e-2;

/** Whether the labels fit the bar without touching each other or leaving the legend, and say different things. */
function fits(ticks: readonly LegendTick[], [min, max]: Domain, layout: LegendLayout): boolean {
  if (new Set(ticks.map((tick) => tick.label)).size !== ticks.length) return false;
  let right = -layout.margin - layout.gap;
  for (const tick of ticks) {
    const x = ((tick.value - min) / (max - min)) * layout.width;
    const width = tick.label.length * layout.charWidth;
    const left = tick.anchor === 'start' ? x : tick.anchor === 'end' ? x - width : x - width / 2;
    if (left < right + layout.gap) return false;
    right = left + width;
  }
  return right <= layout.width + layout.margin;
}

/** An exponent format that writes 0 as "0" (not "0.0e+0"). */
function exponent(format: (value: number) => string): (value: number) => string {
  return (value) => (value === 0 ? '0' : format(value));
}

function labelled(values: readonly number[], format: (value: number) => string, ends = false): LegendTick[] {
  return values.map((value, i) => ({
    value,
    label: format(value),
    anchor: ends && i === 0 ? 'start' : ends && i === values.length - 1 ? 'end' : 'middle',
  }));
}

/**
 * Legend ticks whose labels fit side by side: d3's round ("nice") values inside the domain, as many
 * as fit (about 4 at most), labelled with the decimals their step needs; a diverging legend always
 * shows 0. A range too small for two round labels (e.g. 0.9999998–1.0000001) is labelled at its
 * ends instead, with the precision the range needs; tiny magnitudes also try exponent notation.
 */
export function legendTicks(scale: ColourScale, layout: LegendLayout = LEGEND_LAYOUT): LegendTick[] {
  const [min, max] = scale.domain;
  const magnitude = Math.max(Math.abs(min), Math.abs(max));
  const types: ('f' | 'e')[] = magnitude > 0 && magnitude < TINY ? ['f', 'e'] : ['f'];
  const withZero = (values: number[]) => (scale.kind === 'diverging' && !values.includes(0) ? [...values, 0] : values).sort((a, b) => a - b);
  for (const type of types) {
    for (const count of [4, 3, 2]) {
      const candidate = labelled(withZero(ticks(min, max, count)), type === 'e' ? exponent(tickFormat(min, max, count, 'e')) : tickFormat(min, max, count));
      if (candidate.length >= 2 && fits(candidate, scale.domain, layout)) return candidate;
    }
  }
  const endFormats = types.map((type) => (type === 'e' ? exponent(format(`.${precisionRound(max - min, magnitude)}e`)) : format(`,.${precisionFixed(max - min)}f`)));
  for (const values of [withZero([min, max]), [min, max]]) {
    for (const endFormat of endFormats) {
      const candidate = labelled(values, endFormat, true);
      if (fits(candidate, scale.domain, layout)) return candidate;
    }
  }
  return labelled([min, max], endFormats[endFormats.length - 1], true);
}

/** Evenly spread column indices for an axis: about `count` round ones in [0, columns). */
export function axisTicks(columns: number, count = 8): number[] {
  if (!Number.isInteger(columns) || columns < 1) throw new Error(`columns must be a positive integer, got ${columns}`);
  return ticks(0, columns - 1, Math.min(count, columns)).filter((tick) => Number.isInteger(tick));
}
