import { useId } from 'react';
import { NumberField } from '../../components/NumberField';
import { useInterventions } from './useInterventions';

/** Options shared by the sweep and single interventions: prompts to sweep, branches, frame window, classifier. */
export function SweepControls({ disabled, totalFrames }: { disabled: boolean; totalFrames: number }) {
  const id = useId();
  const sweepPromptCount = useInterventions((s) => s.sweepPromptCount);
  const promptCount = useInterventions((s) => s.promptCount);
  const branches = useInterventions((s) => s.branches);
  const frameWindow = useInterventions((s) => s.frameWindow);
  const classifierSource = useInterventions((s) => s.classifierSource);
  const setSweepPromptCount = useInterventions((s) => s.setSweepPromptCount);
  const setBranches = useInterventions((s) => s.setBranches);
  const setFrameWindow = useInterventions((s) => s.setFrameWindow);
  const setClassifierSource = useInterventions((s) => s.setClassifierSource);
  const measureLens = useInterventions((s) => s.measureLens);
  const setMeasureLens = useInterventions((s) => s.setMeasureLens);
  const runSweep = useInterventions((s) => s.runSweep);
  const meansReady = useInterventions((s) => [s.fromId, s.toId].every((concept) => s.meansStatus[concept]?.state === 'done'));
  const [start, end] = frameWindow ?? [0, totalFrames];

  return (
    <div className="sweep-controls">
      <div className="iv-row">
        <NumberField label="Prompts to sweep" value={sweepPromptCount} min={1} max={promptCount} step={1} hint="the original concept's first k" onChange={setSweepPromptCount} />
        <div className="field">
          <label htmlFor={`${id}-branches`}>Guidance branches</label>
          <select id={`${id}-branches`} value={branches} disabled={disabled} onChange={(event) => setBranches(event.target.value as 'cond' | 'both')}>
            <option value="cond">conditional only (the study)</option>
            <option value="both">both</option>
          </select>
        </div>
        <fieldset className="field frame-window">
          <legend>Frames [start, end)</legend>
          <label>
            <input type="checkbox" checked={frameWindow !== null} disabled={disabled} onChange={(event) => setFrameWindow(event.target.checked ? [0, totalFrames] : null)} /> only a window
          </label>
          {frameWindow && (
            <span>
              <input aria-label="First frame" type="number" min={0} max={end - 1} value={start} onChange={(event) => setFrameWindow([Number(event.target.value), end])} />
              –
              <input aria-label="End frame" type="number" min={start + 1} max={totalFrames} value={end} onChange={(event) => setFrameWindow([start, Number(event.target.value)])} />
              <small className="hint"> of {totalFrames} (50 per s)</small>
            </span>
          )}
        </fieldset>
        <div className="field field-wide">
          <label htmlFor={`${id}-classifier`}>Classifier</label>
          <input id={`${id}-classifier`} value={classifierSource} disabled={disabled} onChange={(event) => setClassifierSource(event.target.value)} />
        </div>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={measureLens} disabled={disabled} onChange={(event) => setMeasureLens(event.target.checked)} data-testid="measure-lens" /> also measure each concept's
        recognisability per layer (DecoderLens: every depth generated, NDCG of the classifier's ranking)
      </label>
      <button type="button" className="primary" onClick={() => void runSweep()} disabled={disabled || !meansReady} data-testid="run-sweep" title={meansReady ? undefined : 'Compute the means first'}>
        Run sweep (every layer × module, replace and adjust)
      </button>
    </div>
  );
}
