import { useRef } from 'react';
import { conceptById } from '../concepts/conceptsSlice';
import { saveFile } from './download';
import { sweepCsv, sweepFileStem, sweepJson } from './exportFormats';
import { FigureActions } from './FigureActions';
import { LayerLinePlot, LineLegend } from './LayerLinePlot';
import { RecognisabilityPlot } from './RecognisabilityPlot';
import type { StoredSweep } from './resultsDatabase';
import { SweepHeatmaps } from './SweepHeatmaps';
import { useInterventions } from './useInterventions';

/** A sweep's heatmaps (click a cell: A/B), the study's per-layer lines, and its exports. */
export function SweepResults({ sweep }: { sweep: StoredSweep }) {
  const selectCell = useInterventions((s) => s.selectCell);
  const customConcepts = useInterventions((s) => s.customConcepts);
  const lines = useRef<HTMLDivElement>(null);
  const lensFigure = useRef<HTMLDivElement>(null);
  const { table } = sweep;
  const name = (id: string) => conceptById({ customConcepts }, id)?.name ?? id;
  const stem = sweepFileStem(table);
  const dtype = sweep.run.model.dtype ?? 'unknown'; // sweeps stored before the dtype was kept

  return (
    <div className="sweep-results" data-testid="sweep-results">
      <div className="figure-head">
        <h3>
          {name(table.fromId)} → {name(table.toId)}
        </h3>
        <span className="hint" data-testid="sweep-caption">
          {table.prompts.length} prompt{table.prompts.length === 1 ? '' : 's'} · {sweep.modelName} · {new Date(sweep.savedAt).toLocaleString()} · labels #{table.fromLabel} → #{table.toLabel}
        </span>
        <span className="figure-actions">
          <button type="button" className="link-button" onClick={() => saveFile(sweepCsv(table, dtype), `${stem}.csv`, 'text/csv')} data-testid="export-csv">
            CSV
          </button>
          <button type="button" className="link-button" onClick={() => saveFile(sweepJson(table, { modelName: sweep.modelName, dtype, savedAt: sweep.savedAt }), `${stem}.json`, 'application/json')} data-testid="export-json">
            JSON
          </button>
        </span>
      </div>
      <SweepHeatmaps table={table} onCellClick={selectCell} />
      <div className="figure-head">
        <h4>Per layer (as in the study's figures)</h4>
        <FigureActions container={lines} fileStem={`${stem}-per-layer`} title={`${name(table.fromId)} → ${name(table.toId)}: effect and precision per layer`} />
      </div>
      <div className="line-plots" ref={lines}>
        <LayerLinePlot table={table} metric="effect" />
        <LayerLinePlot table={table} metric="precision" />
      </div>
      <LineLegend />
      {sweep.lens && (
        <>
          <div className="figure-head">
            <h4>Recognisability per layer (DecoderLens)</h4>
            <FigureActions container={lensFigure} fileStem={`${stem}-recognisability`} title={`Recognisability (NDCG) per depth: ${name(table.fromId)}, ${name(table.toId)}`} />
          </div>
          <div ref={lensFigure}>
            <RecognisabilityPlot rows={sweep.lens} names={name} />
          </div>
        </>
      )}
    </div>
  );
}
