import { useCallback, useId, useMemo } from 'react';
import { Heatmap } from '../../components/charts/Heatmap';
import { FRAMES_PER_SECOND } from '../../state/settings';
import { depthLabel, type CodebookChoice, type DepthHeatmap, type MeasureSpec } from './heatmapData';

interface MeasureHeatmapProps<M extends string> {
  title: string;
  /** One line under the title: what the chart shows. */
  subtitle?: string;
  measures: Record<M, MeasureSpec>;
  measure: M;
  onMeasure(measure: M): void;
  codebook: CodebookChoice;
  onCodebook(codebook: CodebookChoice): void;
  numCodebooks: number;
  numLayers: number;
  data: DepthHeatmap;
  /** The playing clip's cell, marked on the chart. */
  marker: { row: number; column: number } | null;
  /** Plays `depth` from `seconds`; the note says what a click does. */
  onPlay(depth: number, seconds: number): void;
  clickNote: string;
  testId: string;
}

/** A depth × time heatmap of one lens measurement, with its measurement and codebook pickers. */
export function MeasureHeatmap<M extends string>(props: MeasureHeatmapProps<M>) {
  const { title, subtitle, measures, measure, onMeasure, codebook, onCodebook, numCodebooks, numLayers, data, marker, onPlay, clickNote, testId } = props;
  const id = useId();
  const spec = measures[measure];
  const rowLabels = useMemo(() => data.depths.map((depth) => depthLabel(depth, numLayers)), [data.depths, numLayers]);
  const seconds = (frame: number) => frame / FRAMES_PER_SECOND;
  const columnLabel = useCallback((frame: number) => `${seconds(frame).toFixed(2)} s`, []);
  const describeCell = useCallback(
    (row: number, frame: number, value: number) =>
      `${rowLabels[row]} · ${seconds(frame).toFixed(2)} s (frame ${frame}) · ${Number.isNaN(value) ? 'no value' : spec.format(value)}`,
    [rowLabels, spec],
  );
  return (
    <div className="lens-measure" data-testid={testId}>
      <div className="lens-measure-head">
        <h3>{title}</h3>
        <label htmlFor={`${id}-measure`}>Measure</label>
        <select id={`${id}-measure`} value={measure} onChange={(event) => onMeasure(event.target.value as M)} data-testid={`${testId}-measure`}>
          {(Object.keys(measures) as M[]).map((key) => (
            <option key={key} value={key}>
              {measures[key].label}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-codebook`}>Codebook</label>
        <select
          id={`${id}-codebook`}
          value={String(codebook)}
          onChange={(event) => onCodebook(event.target.value === 'mean' ? 'mean' : Number(event.target.value))}
          data-testid={`${testId}-codebook`}
        >
          <option value="mean">mean of {numCodebooks}</option>
          {Array.from({ length: numCodebooks }, (_, k) => (
            <option key={k} value={k}>
              {k + 1}
            </option>
          ))}
        </select>
      </div>
      <p className="hint lens-measure-note">
        {subtitle ? `${subtitle} ` : ''}
        {clickNote}
      </p>
      <Heatmap
        values={data.values}
        rows={data.depths.length}
        columns={data.frames}
        rowLabels={rowLabels}
        columnLabel={columnLabel}
        label={`${title}: ${spec.label}, depth by time`}
        scale={spec.scale}
        domain={spec.domain}
        legendLabel={spec.legend}
        formatValue={spec.format}
        describeCell={describeCell}
        onCellClick={(row, frame) => onPlay(data.depths[row], seconds(frame))}
        marker={marker}
        testId={`${testId}-heatmap`}
      />
    </div>
  );
}
