import { useCallback, useMemo, useRef } from 'react';
import type { SweepMethod } from '../../../analysis/interventions/sweep';
import { Heatmap } from '../../components/charts/Heatmap';
import { divergingDomain } from '../../components/charts/scales';
import { FigureActions } from './FigureActions';
import { BLOCK_MODULES, findRow, formatMetric, metricGrid, metricStd, MODULE_NAMES, type CellKey, type SweepMetric, type SweepTable } from './sweepMetrics';


interface MetricHeatmapProps {
  table: SweepTable;
  metric: SweepMetric;
  method: SweepMethod;
  domain: readonly [number, number];
  onCellClick(cell: CellKey): void;
}

/** One heatmap: layers (rows, top = layer 0) × modules (columns), a diverging scale centred on 0. */
function MetricHeatmap({ table, metric, method, domain, onCellClick }: MetricHeatmapProps) {
  const figure = useRef<HTMLDivElement>(null);
  const values = useMemo(() => metricGrid(table, metric, method), [table, metric, method]);
  const rowLabels = useMemo(() => Array.from({ length: table.numLayers }, (_, layer) => `layer ${layer}`), [table.numLayers]);
  const columnLabel = useCallback((column: number) => MODULE_NAMES[BLOCK_MODULES[column]], []);
  const describeCell = useCallback(
    (row: number, column: number) => {
      const found = findRow(table, { method, layer: row, module: BLOCK_MODULES[column] });
      if (!found) return `${method}, layer ${row} ${MODULE_NAMES[BLOCK_MODULES[column]]}: no value`;
      return `${method}, layer ${row} ${MODULE_NAMES[found.module]}: ${metric} ${formatMetric(found[metric])} (n ${found.n}, std ${formatMetric(metricStd(found, metric))})`;
    },
    [table, metric, method],
  );
  const title = `${metric} · ${method}`;
  return (
    <div className="sweep-heatmap" data-testid={`heatmap-${metric}-${method}`}>
      <div className="figure-head">
        <h4>{title}</h4>
        <FigureActions container={figure} fileStem={`${table.fromId}-to-${table.toId}-${metric}-${method}`} title={`${table.fromId} → ${table.toId}: ${title}`} />
      </div>
      <div ref={figure}>
        <Heatmap
          values={values}
          rows={table.numLayers}
          columns={BLOCK_MODULES.length}
          rowLabels={rowLabels}
          columnLabel={columnLabel}
          label={`${title} per layer and module; click a cell to hear it`}
          scale="diverging"
          domain={domain}
          legendLabel={metric}
          formatValue={formatMetric}
          describeCell={describeCell}
          onCellClick={(row, column) => onCellClick({ method, layer: row, module: BLOCK_MODULES[column] })}
          cellHeight={Math.max(10, Math.min(22, Math.floor(360 / table.numLayers)))}
        />
      </div>
    </div>
  );
}

/** Effect and precision, replace and adjust side by side; each metric shares one colour domain across methods. */
export function SweepHeatmaps({ table, onCellClick }: { table: SweepTable; onCellClick(cell: CellKey): void }) {
  const domains = useMemo(() => {
    const of = (metric: SweepMetric) => divergingDomain(Float32Array.from(table.rows.map((row) => row[metric])));
    return { effect: of('effect'), precision: of('precision') };
  }, [table]);
  return (
    <div className="sweep-heatmaps">
      {(['effect', 'precision'] as const).map((metric) => (
        <div key={metric} className="heatmap-pair">
          {table.methods.map((method) => (
            <MetricHeatmap key={method} table={table} metric={metric} method={method} domain={domains[metric]} onCellClick={onCellClick} />
          ))}
        </div>
      ))}
    </div>
  );
}
