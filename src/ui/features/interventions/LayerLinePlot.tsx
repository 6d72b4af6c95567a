import { extent, line, scaleLinear } from 'd3';
import { useMemo } from 'react';
import { BLOCK_MODULES, type BlockModule } from '../../../bundle/graphContract';
import type { SweepMethod } from '../../../analysis/interventions/sweep';
import { layerSeries, MODULE_NAMES, type SweepMetric, type SweepTable } from './sweepMetrics';

const WIDTH = 420;
const HEIGHT = 220;
const MARGIN = { top: 10, right: 12, bottom: 34, left: 52 };
/** One colour per module (readable on light and dark); method is the dash. */
export const MODULE_COLOURS: Record<BlockModule, string> = { attn: '#4e79d8', cross_attn: '#d98b2b', mlp: '#3aa67a' };
const DASH: Record<SweepMethod, string | undefined> = { replace: undefined, adjust: '6 4' };

/**
 * The study's per-layer figure for one metric: a line per module and method over the layers
 * (replace solid, adjust dashed), with a zero line.
 */
export function LayerLinePlot({ table, metric }: { table: SweepTable; metric: SweepMetric }) {
  const series = useMemo(
    () => table.methods.flatMap((method) => BLOCK_MODULES.map((module) => ({ method, module, values: layerSeries(table, metric, method, module) }))),
    [table, metric],
  );
  const [low, high] = extent([0, ...series.flatMap((s) => s.values.filter(Number.isFinite))]) as [number, number];
  const x = scaleLinear([0, Math.max(1, table.numLayers - 1)], [MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleLinear([low, high === low ? low + 1 : high], [HEIGHT - MARGIN.bottom, MARGIN.top]).nice();
  const path = line<number>()
    .defined(Number.isFinite)
    .x((_, layer) => x(layer))
    .y((value) => y(value));
  const layerTicks = x.ticks(Math.min(table.numLayers, 12)).filter(Number.isInteger);
  const title = metric === 'effect' ? 'effect (higher = better)' : 'precision (closer to 0 = more precise)';

  return (
    <svg className="line-plot" width={WIDTH} height={HEIGHT} role="img" aria-label={`${title} per layer, per module; replace solid, adjust dashed`} data-testid={`line-plot-${metric}`}>
      <line className="axis-line" x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(0)} y2={y(0)} />
      {y.ticks(5).map((tick) => (
        <g key={tick} transform={`translate(${MARGIN.left}, ${y(tick)})`}>
          <line className="axis-line" x1={-4} x2={0} />
          <text className="axis-text" x={-6} dominantBaseline="central" textAnchor="end">
            {Number(tick.toPrecision(3))}
          </text>
        </g>
      ))}
      {layerTicks.map((layer) => (
        <text key={layer} className="axis-text" x={x(layer)} y={HEIGHT - MARGIN.bottom + 14} textAnchor="middle">
          {layer}
        </text>
      ))}
      <text className="axis-text" x={(MARGIN.left + WIDTH - MARGIN.right) / 2} y={HEIGHT - 4} textAnchor="middle">
        layer
      </text>
      <text className="axis-text" transform={`translate(12, ${(HEIGHT - MARGIN.bottom) / 2}) rotate(-90)`} textAnchor="middle">
        {metric}
      </text>
      {series.map(({ method, module, values }) => (
        <path key={`${method}-${module}`} d={path(values) ?? undefined} fill="none" stroke={MODULE_COLOURS[module]} strokeWidth={2} strokeDasharray={DASH[method]}>
          <title>{`${method}, ${MODULE_NAMES[module]}`}</title>
        </path>
      ))}
    </svg>
  );
}

/** The key shared by the line plots. */
export function LineLegend() {
  return (
    <div className="line-legend" aria-label="Line plot key">
      {BLOCK_MODULES.map((module) => (
        <span key={module}>
          <svg width={22} height={10} aria-hidden="true">
            <line x1={0} x2={22} y1={5} y2={5} stroke={MODULE_COLOURS[module]} strokeWidth={3} />
          </svg>
          {MODULE_NAMES[module]}
        </span>
      ))}
      <span>— replace</span>
      <span>- - adjust</span>
    </div>
  );
}
