/**
 * Heatmap colour scales, pure: values in, domains, colours and ticks out. Sequential scales span the
 * finite values (or a fixed domain); diverging scales are centred on 0 with a symmetric extent, so
 * equal magnitudes get equal intensity. Colours read on light and dark backgrounds: viridis, and a
 * blue – grey – red ramp whose neutral middle is neither white nor black.
 */
import { interpolateLab, interpolateViridis, piecewise, tickFormat, ticks } from 'd3';

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

/** Round tick values inside the domain for a legend (d3's nice steps); a diverging legend always shows 0. */
export function legendTicks(scale: ColourScale, count = 4): number[] {
  const [min, max] = scale.domain;
  const values = ticks(min, max, count);
  if (scale.kind === 'diverging' && !values.includes(0)) values.push(0);
  return values.sort((a, b) => a - b);
}

/** A number format fitted to the legend's tick step (d3's tickFormat): "0.2", "5", "10k". */
export function legendTickFormat(scale: ColourScale, count = 4): (value: number) => string {
  const [min, max] = scale.domain;
  return tickFormat(min, max, count);
}

/** Evenly spread column indices for an axis: about `count` round ones in [0, columns). */
export function axisTicks(columns: number, count = 8): number[] {
  if (!Number.isInteger(columns) || columns < 1) throw new Error(`columns must be a positive integer, got ${columns}`);
  return ticks(0, columns - 1, Math.min(count, columns)).filter((tick) => Number.isInteger(tick));
}
