/**
 * The study's figures as SVG strings (pure, no DOM): effect and precision per layer for each
 * component (replace solid, adjust dashed, as in the paper), and DecoderLens recognisability per
 * layer. Self-contained files: they open in a browser and paste into papers.
 */
import { BLOCK_MODULES, type BlockModule } from '../../bundle/graphContract';
import type { LensRow, SweepRow } from './kernel';

export interface Series {
  name: string;
  color: string;
  dashed: boolean;
  points: readonly (readonly [number, number])[];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** Fixed y range (e.g. [0, 1] for NDCG); default the data's range with a margin. */
  yDomain?: readonly [number, number];
}

const WIDTH = 640;
const HEIGHT = 400;
const MARGIN = { top: 40, right: 170, bottom: 50, left: 70 };
const MODULE_COLORS: Record<BlockModule, string> = { attn: '#1f77b4', cross_attn: '#ff7f0e', mlp: '#2ca02c' };
const MODULE_NAMES: Record<BlockModule, string> = { attn: 'self-attention', cross_attn: 'cross-attention', mlp: 'MLP' };
const CONCEPT_COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#ff7f0e'];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** About five round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const rough = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toFixed(12)));
  return ticks;
}

function formatTick(value: number): string {
  return Math.abs(value) >= 1000 || (value !== 0 && Math.abs(value) < 0.01) ? value.toExponential(1) : String(Number(value.toPrecision(4)));
}

export function lineChartSvg(chart: LineChart): string {
  const points = chart.series.flatMap((s) => s.points);
  if (points.length === 0) throw new Error(`${chart.title}: no data to plot`);
  if (points.some(([x, y]) => !Number.isFinite(x) || !Number.isFinite(y))) throw new Error(`${chart.title}: a point is not finite`);
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = chart.yDomain ?? [Math.min(...ys, 0), Math.max(...ys, 0)];
  if (!chart.yDomain) {
    const pad = (y1 - y0) * 0.05 || 1;
    [y0, y1] = [y0 - pad, y1 + pad];
  }
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + (x1 === x0 ? plotW / 2 : ((x - x0) / (x1 - x0)) * plotW);
  const sy = (y: number) => MARGIN.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const f = (v: number) => v.toFixed(1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2 - MARGIN.right / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  for (const t of niceTicks(y0, y1)) {
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${f(sy(t))}" y2="${f(sy(t))}" stroke="${t === 0 ? '#888' : '#eee'}"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${f(sy(t) + 4)}" text-anchor="end">${formatTick(t)}</text>`);
  }
  const xTicks = x1 - x0 <= 24 ? Array.from({ length: x1 - x0 + 1 }, (_, i) => x0 + i).filter((_x, i, all) => all.length <= 13 || i % 2 === 0) : niceTicks(x0, x1);
  for (const t of xTicks) parts.push(`<text x="${f(sx(t))}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${formatTick(t)}</text>`);
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  parts.push(`<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`);
  chart.series.forEach((s, i) => {
    const path = s.points.map(([x, y]) => `${f(sx(x))},${f(sy(y))}`).join(' ');
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${path}"><title>${escapeXml(s.name)}</title></polyline>`);
    const ly = MARGIN.top + 10 + i * 18;
    const lx = MARGIN.left + plotW + 12;
    parts.push(`<line x1="${lx}" x2="${lx + 26}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${lx + 32}" y="${ly + 4}">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Effect or precision per layer: one line per component and method (replace solid, adjust dashed). */
export function sweepFigureSvg(rows: readonly SweepRow[], metric: 'effect' | 'precision'): string {
  if (rows.length === 0) throw new Error('no sweep rows to plot');
  const { from, to } = rows[0];
  const series: Series[] = [];
  for (const method of ['replace', 'adjust'] as const) {
    for (const module of BLOCK_MODULES) {
      const points = rows.filter((r) => r.method === method && r.module === module).map((r) => [r.layer, r[metric]] as const);
      if (points.length) series.push({ name: `${MODULE_NAMES[module]}, ${method}`, color: MODULE_COLORS[module], dashed: method === 'adjust', points });
    }
  }
  const what = metric === 'effect' ? 'effect (higher = better)' : 'precision = −KL (closer to 0 = more precise)';
  return lineChartSvg({ title: `${from} → ${to}: ${metric} per layer (n = ${rows[0].n})`, xLabel: 'layer (0-based)', yLabel: what, series });
}

/** DecoderLens recognisability (NDCG) per depth, one line per concept. */
export function lensFigureSvg(rows: readonly LensRow[]): string {
  const concepts = [...new Set(rows.map((r) => r.concept))];
  const series = concepts.map((concept, i) => ({
    name: concept,
    color: CONCEPT_COLORS[i % CONCEPT_COLORS.length],
    dashed: false,
    points: rows.filter((r) => r.concept === concept).map((r) => [r.depth, r.ndcg] as const),
  }));
  return lineChartSvg({ title: `DecoderLens recognisability per layer (n = ${rows[0]?.n ?? 0})`, xLabel: 'layers used (depth)', yLabel: 'NDCG of the concept labels', series, yDomain: [0, 1] });
}
