import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useLab } from '../../state/useLab';
import { DepthPicker } from './DepthPicker';
import { lensHeatmap, LENS_MEASURES, playheadCell, teacherHeatmap, TEACHER_MEASURES } from './heatmapData';
import { LensClipGrid } from './LensClipGrid';
import { LensProgress } from './LensProgress';
import type { LensRun } from './lensStore';
import { MeasureHeatmap } from './MeasureHeatmap';
import { SimilarityView } from './SimilarityView';
import { LensTransport } from './transport';
import { useLens } from './useLens';
import { usePlayhead } from './usePlayhead';
import './lens.css';
import { useEscapeKey } from '../../components/useEscapeKey';
import { QuantisedNotice } from '../../components/QuantisedNotice';

function describeRun({ settings }: LensRun): string {
  return `“${settings.prompt}” · ${settings.seconds} s · seed ${settings.seed} · top-k ${settings.topK} · temperature ${settings.temperature} · guidance ${settings.guidanceScale}`;
}

/** Height of a measurement chart of every depth: header, note, rows of 16 px, time axis, legend. */
function pendingChartHeight(numLayers: number): number {
  return 64 + numLayers * 16 + 18 + 36;
}

/**
 * DecoderLens: generate with only the first d decoder blocks (then the final norm and heads) for
 * every chosen depth in one batched run; listen to each depth, compare it with the full model, and
 * read what the engine measured on the way, the teacher-forced lens and the layer self-similarity.
 */
export function LensPanel() {
  const model = useLab((state) => state.model);
  const labBusy = useLab((state) => state.job !== null);
  const depths = useLab((state) => state.lensDepths);
  const job = useLens((state) => state.job);
  const run = useLens((state) => state.run);
  const teacher = useLens((state) => state.teacher);
  const runLens = useLens((state) => state.runLens);
  const cancel = useLens((state) => state.cancel);
  const measure = useLens((state) => state.measure);
  const codebook = useLens((state) => state.codebook);
  const teacherMeasure = useLens((state) => state.teacherMeasure);
  const teacherCodebook = useLens((state) => state.teacherCodebook);
  const setMeasure = useLens((state) => state.setMeasure);
  const setCodebook = useLens((state) => state.setCodebook);
  const setTeacherMeasure = useLens((state) => state.setTeacherMeasure);
  const setTeacherCodebook = useLens((state) => state.setTeacherCodebook);
  const numLayers = model.status === 'ready' ? model.info.numLayers : 0;
  const busy = job !== null || labBusy;
  const disabled = numLayers === 0 || busy;

  const [transport] = useState(() => new LensTransport(numLayers)); // one for the panel's life
  useEffect(() => transport.setFullDepth(run?.numLayers ?? numLayers), [transport, run, numLayers]);
  const playback = useSyncExternalStore(transport.subscribe, transport.getSnapshot);
  const playhead = usePlayhead(transport);

  useEscapeKey(cancel);

  const generation = useMemo(() => (run ? lensHeatmap(run.measurements, measure, codebook) : null), [run, measure, codebook]);
  const teacherData = useMemo(() => (teacher ? teacherHeatmap(teacher, teacherMeasure, teacherCodebook) : null), [teacher, teacherMeasure, teacherCodebook]);
  const clipDepths = run?.clips.map((clip) => clip.depth) ?? [];
  const toRun = new Set([...depths, numLayers]).size;

  return (
    <section className="panel lens-panel" aria-labelledby="lens-title">
      <h2 id="lens-title">DecoderLens</h2>
      <QuantisedNotice />
      <p className="hint">
        Stop the decoder after d blocks and listen: how the music takes shape through the layers. All depths run as one batch, with the full model alongside.
      </p>
      <div className="lens-toolbar">
        <DepthPicker numLayers={numLayers} disabled={busy} />
        <button type="button" className="primary" onClick={() => void runLens()} disabled={disabled || depths.length === 0} data-testid="generate-lens">
          Run DecoderLens ({toRun} {toRun === 1 ? 'depth' : 'depths'})
        </button>
        <button type="button" onClick={() => (playback.playingAll ? transport.stop() : transport.playAll(clipDepths))} disabled={!run} data-testid="play-all">
          {playback.playingAll ? 'Stop' : 'Play all depths in order'}
        </button>
      </div>
      <LensProgress />
      {run && generation ? (
        <>
          <p className="lens-run-caption" data-testid="lens-run-caption">
            {describeRun(run)}
          </p>
          <LensClipGrid clips={run.clips} numLayers={run.numLayers} transport={transport} />
          <MeasureHeatmap
            title="Measured during generation"
            subtitle="Each depth’s own generation, measured per step from its guided distribution."
            measures={LENS_MEASURES}
            measure={measure}
            onMeasure={setMeasure}
            codebook={codebook}
            onCodebook={setCodebook}
            numCodebooks={run.measurements.numCodebooks}
            numLayers={run.numLayers}
            data={generation}
            marker={playheadCell(generation, playhead)}
            onPlay={(depth, seconds) => transport.playFrom(depth, seconds)}
            clickNote="Click a cell (or Enter) to play that depth from that time."
            testId="lens-measure"
          />
          {teacherData && teacher ? (
            <MeasureHeatmap
              title="Teacher-forced lens"
              subtitle="The full model’s own tokens through every depth at once (the logit lens of text models), compared with the final layer."
              measures={TEACHER_MEASURES}
              measure={teacherMeasure}
              onMeasure={setTeacherMeasure}
              codebook={teacherCodebook}
              onCodebook={setTeacherCodebook}
              numCodebooks={teacher.numCodebooks}
              numLayers={run.numLayers}
              data={teacherData}
              marker={playheadCell(teacherData, playhead)}
              onPlay={(depth, seconds) => transport.playFrom(clipDepths.includes(depth) ? depth : run.numLayers, seconds)}
              clickNote="Click a cell to play that depth (or, if it was not generated, the full model) from that time."
              testId="lens-teacher"
            />
          ) : (
            // As tall as the chart that replaces it, so the page does not jump when it arrives.
            <p className="placeholder lens-teacher-pending" style={{ minHeight: pendingChartHeight(run.numLayers) }}>
              The teacher-forced lens runs once the clips are ready.
            </p>
          )}
        </>
      ) : (
        <p className="placeholder">Run DecoderLens to hear each depth and see, per layer and time, the entropy, the top-1 probability and the agreement with the full model.</p>
      )}
      <SimilarityView disabled={disabled} />
    </section>
  );
}
