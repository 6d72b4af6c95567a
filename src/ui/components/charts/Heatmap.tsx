import { memo, useCallback, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { axisTicks, colourScale, LEGEND_LAYOUT, legendTicks, rampColour, type ColourScale, type Domain, type ScaleKind } from './scales';
import './heatmap.css';

export interface HeatmapProps {
  values: Float32Array; // [rows, columns]; NaN = no value (drawn empty)
  rows: number;
  columns: number;
  rowLabels: readonly string[]; // [rows], drawn top to bottom
  /** Label of a column for its axis tick and the tooltip (e.g. a time). */
  columnLabel(column: number): string;
  /** Name of the whole chart, for assistive technology. */
  label: string;
  scale: ScaleKind;
  /** Fixed colour domain, e.g. [0, 1] for probabilities; default: from the data. */
  domain?: Domain;
  legendLabel: string;
  formatValue(value: number): string;
  /** Tooltip text for a cell; default "row · column: value". */
  describeCell?(row: number, column: number, value: number): string;
  onCellClick?(row: number, column: number): void;
  /** A cell to mark (e.g. where playback is now), drawn as a bar over the cell; null for none. */
  marker?: { row: number; column: number } | null;
  /** Square cells (matrices), at most `maxCellSize` px; otherwise cells are `cellHeight` tall and fill the width. */
  square?: boolean;
  maxCellSize?: number;
  cellHeight?: number;
  /** Widest the plot may grow (px), e.g. for a square matrix. */
  maxWidth?: number;
  testId?: string;
}

const ROW_LABEL_WIDTH = 84;
const AXIS_HEIGHT = 18;
const GRADIENT_STOPS = 16;

interface Cell {
  row: number;
  column: number;
}

interface RowProps {
  row: number;
  values: Float32Array; // [columns] of this row
  scale: ColourScale;
  cellWidth: number;
  cellHeight: number;
  y: number;
  activeColumn: number | null; // the roving tab stop when it is in this row
  cellId(row: number, column: number): string;
  ariaLabel(row: number, column: number): string;
}

/** One row of cells; memoised so that moving the focus or the tooltip re-renders at most two rows. */
const HeatmapRow = memo(function HeatmapRow({ row, values, scale, cellWidth, cellHeight, y, activeColumn, cellId, ariaLabel }: RowProps) {
  return (
    <g role="row">
      {Array.from(values, (value, column) => {
        const fill = scale.colour(value);
        return (
          <rect
            key={column}
            id={cellId(row, column)}
            role="gridcell"
            className={fill ? 'heatmap-cell' : 'heatmap-cell heatmap-cell-empty'}
            data-row={row}
            data-column={column}
            x={column * cellWidth}
            y={y}
            // A hair wider than the pitch, so that no background line shows between cells.
            width={cellWidth + 0.4}
            height={cellHeight + 0.4}
            fill={fill ?? undefined}
            tabIndex={activeColumn === column ? 0 : -1}
            aria-label={ariaLabel(row, column)}
          />
        );
      })}
    </g>
  );
});

function useContainerWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  // Measured before paint, so the chart never appears at a wrong width first.
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/**
 * A rows × columns heatmap (d3 scales, React-drawn SVG): colour legend, tooltip on hover and
 * focus, one keyboard tab stop (arrows, Home/End, PageUp/PageDown move; Enter or Space clicks).
 */
export function Heatmap(props: HeatmapProps) {
  const { values, rows, columns, rowLabels, columnLabel, label, scale: kind, domain, legendLabel, formatValue, describeCell, onCellClick, marker = null, square = false, maxCellSize = 36, cellHeight = 16, maxWidth, testId } = props;
  if (values.length !== rows * columns) throw new Error(`Heatmap "${label}": values has ${values.length} entries, expected ${rows}×${columns}`);
  if (rowLabels.length !== rows) throw new Error(`Heatmap "${label}": ${rowLabels.length} row labels for ${rows} rows`);
  const [containerRef, containerWidth] = useContainerWidth();
  const svgRef = useRef<SVGSVGElement>(null);
  const idPrefix = useId();
  const [active, setActive] = useState<Cell>({ row: 0, column: 0 });
  const [tooltip, setTooltip] = useState<Cell | null>(null);

  const scale = useMemo(() => colourScale(kind, values, domain), [kind, values, domain]);
  const availableWidth = Math.max(0, Math.min(containerWidth, maxWidth ?? Infinity) - ROW_LABEL_WIDTH);
  const cellWidth = columns > 0 ? (square ? Math.min(maxCellSize, availableWidth / columns) : availableWidth / columns) : 0;
  const plotWidth = cellWidth * columns;
  const pitch = square ? cellWidth : cellHeight;
  const plotHeight = rows * pitch;
  const rowValues = useMemo(() => Array.from({ length: rows }, (_, row) => values.subarray(row * columns, (row + 1) * columns)), [values, rows, columns]);
  const describe = useCallback(
    (row: number, column: number) => {
      const value = values[row * columns + column];
      return describeCell ? describeCell(row, column, value) : `${rowLabels[row]} · ${columnLabel(column)}: ${Number.isNaN(value) ? 'no value' : formatValue(value)}`;
    },
    [values, columns, describeCell, rowLabels, columnLabel, formatValue],
  );
  const cellId = useCallback((row: number, column: number) => `${idPrefix}-${row}-${column}`, [idPrefix]);
  const ticks = useMemo(() => (columns > 0 ? axisTicks(columns, Math.max(2, Math.floor(plotWidth / (square ? 22 : 70)))) : []), [columns, plotWidth, square]);

  // Keep the tab stop inside the grid when the data shrinks.
  const activeRow = Math.min(active.row, rows - 1);
  const activeColumn = Math.min(active.column, columns - 1);

  function cellOf(target: EventTarget): Cell | null {
    const element = target as Element;
    const row = element.getAttribute?.('data-row');
    const column = element.getAttribute?.('data-column');
    return row === null || column === null || row === undefined || column === undefined ? null : { row: Number(row), column: Number(column) };
  }

  function moveTo(cell: Cell) {
    const next = { row: Math.max(0, Math.min(rows - 1, cell.row)), column: Math.max(0, Math.min(columns - 1, cell.column)) };
    setActive(next);
    setTooltip(next);
    // Focus after React has moved the tab stop.
    requestAnimationFrame(() => svgRef.current?.querySelector<SVGRectElement>(`[data-row="${next.row}"][data-column="${next.column}"]`)?.focus());
  }

  function onKeyDown(event: KeyboardEvent<SVGSVGElement>) {
    const page = Math.max(1, Math.round(columns / 10));
    const moves: Record<string, Cell> = {
      ArrowLeft: { row: activeRow, column: activeColumn - 1 },
      ArrowRight: { row: activeRow, column: activeColumn + 1 },
      ArrowUp: { row: activeRow - 1, column: activeColumn },
      ArrowDown: { row: activeRow + 1, column: activeColumn },
      Home: { row: activeRow, column: 0 },
      End: { row: activeRow, column: columns - 1 },
      PageUp: { row: activeRow, column: activeColumn - page },
      PageDown: { row: activeRow, column: activeColumn + page },
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      moveTo(move);
    } else if ((event.key === 'Enter' || event.key === ' ') && onCellClick) {
      event.preventDefault();
      onCellClick(activeRow, activeColumn);
    }
  }

  function onClick(event: MouseEvent<SVGSVGElement>) {
    const cell = cellOf(event.target);
    if (!cell) return;
    setActive(cell);
    onCellClick?.(cell.row, cell.column);
  }

  const tooltipCell = tooltip && tooltip.row < rows && tooltip.column < columns ? tooltip : null;
  const tooltipLeft = tooltipCell ? ROW_LABEL_WIDTH + (tooltipCell.column + 0.5) * cellWidth : 0;
  const legendTickList = legendTicks(scale);
  const gradientId = `${idPrefix}-gradient`;
  const [legendMin, legendMax] = scale.domain;

  return (
    <div className="heatmap" ref={containerRef} data-testid={testId}>
      {containerWidth > 0 && rows > 0 && columns > 0 && (
        <>
          <svg
            ref={svgRef}
            className="heatmap-plot"
            width={ROW_LABEL_WIDTH + plotWidth}
            height={plotHeight + AXIS_HEIGHT}
            role="grid"
            aria-label={label}
            aria-rowcount={rows}
            aria-colcount={columns}
            onKeyDown={onKeyDown}
            onClick={onClick}
            onMouseOver={(event) => setTooltip(cellOf(event.target))}
            onMouseLeave={() => setTooltip(null)}
            onFocus={(event) => setTooltip(cellOf(event.target))}
            onBlur={() => setTooltip(null)}
          >
            <g aria-hidden="true" className="heatmap-row-labels">
              {rowLabels.map((text, row) => (
                <text key={row} x={ROW_LABEL_WIDTH - 6} y={(row + 0.5) * pitch} dominantBaseline="central" textAnchor="end">
                  {text}
                </text>
              ))}
            </g>
            <g transform={`translate(${ROW_LABEL_WIDTH}, 0)`} className={onCellClick ? 'heatmap-cells heatmap-clickable' : 'heatmap-cells'}>
              {rowValues.map((rowData, row) => (
                <HeatmapRow
                  key={row}
                  row={row}
                  values={rowData}
                  scale={scale}
                  cellWidth={cellWidth}
                  cellHeight={pitch}
                  y={row * pitch}
                  activeColumn={row === activeRow ? activeColumn : null}
                  cellId={cellId}
                  ariaLabel={describe}
                />
              ))}
              {marker && marker.row < rows && marker.column < columns && (
                <rect className="heatmap-marker" x={marker.column * cellWidth} y={marker.row * pitch} width={Math.max(2, cellWidth)} height={pitch} aria-hidden="true" data-testid="heatmap-marker" />
              )}
              {tooltipCell && <rect className="heatmap-highlight" x={tooltipCell.column * cellWidth} y={tooltipCell.row * pitch} width={cellWidth} height={pitch} aria-hidden="true" />}
            </g>
            <g aria-hidden="true" className="heatmap-axis" transform={`translate(${ROW_LABEL_WIDTH}, ${plotHeight})`}>
              {ticks.map((column) => (
                <text key={column} x={(column + 0.5) * cellWidth} y={13} textAnchor="middle">
                  {columnLabel(column)}
                </text>
              ))}
            </g>
          </svg>
          {tooltipCell && (
            <div
              className="heatmap-tooltip"
              role="status"
              data-testid="heatmap-tooltip"
              style={{ left: tooltipLeft, top: (tooltipCell.row + 1) * pitch + 4, transform: tooltipLeft > (ROW_LABEL_WIDTH + plotWidth) / 2 ? 'translateX(-100%)' : undefined }}
            >
              {describe(tooltipCell.row, tooltipCell.column)}
            </div>
          )}
          <div className="heatmap-legend">
          <span className="heatmap-legend-caption">{legendLabel}</span>
          <svg width={LEGEND_LAYOUT.width + 2 * LEGEND_LAYOUT.margin} height={34} role="img" aria-label={`${legendLabel}: colour scale from ${formatValue(legendMin)} to ${formatValue(legendMax)}`}>
            <defs>
              <linearGradient id={gradientId}>
                {Array.from({ length: GRADIENT_STOPS + 1 }, (_, i) => (
                  <stop key={i} offset={i / GRADIENT_STOPS} stopColor={rampColour(scale.kind, i / GRADIENT_STOPS)} />
                ))}
              </linearGradient>
            </defs>
            <g transform={`translate(${LEGEND_LAYOUT.margin}, 0)`}>
              <rect width={LEGEND_LAYOUT.width} height={10} fill={`url(#${gradientId})`} />
              {legendTickList.map((tick) => {
                const x = ((tick.value - legendMin) / (legendMax - legendMin)) * LEGEND_LAYOUT.width;
                return (
                  <g key={tick.value} transform={`translate(${x}, 0)`}>
                    <line y1={10} y2={14} />
                    <text y={25} textAnchor={tick.anchor}>
                      {tick.label}
                    </text>
                  </g>
                );
              })}
            </g>
          </svg>
          </div>
        </>
      )}
    </div>
  );
}
