import { useEffect } from 'react';
import { useLab } from '../../state/useLab';
import { framesForSeconds } from '../../state/settings';
import { ConceptPicker } from '../concepts/ConceptPicker';
import { ABCompare } from './ABCompare';
import { JobProgress } from './JobProgress';
import { MeansPanel } from './MeansPanel';
import { SingleIntervention } from './SingleIntervention';
import { SweepControls } from './SweepControls';
import { SweepResults } from './SweepResults';
import { useInterventions } from './useInterventions';
import './interventions.css';
import { useEscapeKey } from '../../components/useEscapeKey';
import { QuantisedNotice } from '../../components/QuantisedNotice';

/**
 * Interchange interventions, as in the study's second experiment: pick an original and a desired
 * concept, compute their mean activations, sweep every layer × module with replace and adjust,
 * read effect and precision as heatmaps and per-layer lines, and click a cell to hear it.
 */
export function InterventionsView() {
  const model = useLab((state) => state.model);
  const settings = useLab((state) => state.settings);
  const fromId = useInterventions((s) => s.fromId);
  const toId = useInterventions((s) => s.toId);
  const promptCount = useInterventions((s) => s.promptCount);
  const seconds = useInterventions((s) => s.seconds);
  const customConcepts = useInterventions((s) => s.customConcepts);
  const job = useInterventions((s) => s.job);
  const error = useInterventions((s) => s.error);
  const info = useInterventions((s) => s.info);
  const sweep = useInterventions((s) => s.sweep);
  const ab = useInterventions((s) => s.ab);
  const refreshMeans = useInterventions((s) => s.refreshMeans);
  const loadStoredSweep = useInterventions((s) => s.loadStoredSweep);
  const cancel = useInterventions((s) => s.cancel);
  const dismiss = useInterventions((s) => s.dismiss);
  const ready = model.status === 'ready';
  const numLayers = ready ? model.info.numLayers : 0;
  const disabled = !ready || job !== null;

  // What is stored depends on the model, the concepts, their sizes and the sampling settings.
  const { seed, topK, temperature, guidanceScale } = settings;
  useEffect(() => {
    void refreshMeans();
  }, [refreshMeans, ready, fromId, toId, promptCount, seconds, customConcepts, seed, topK, temperature, guidanceScale]);
  useEffect(() => {
    void loadStoredSweep();
  }, [loadStoredSweep, fromId, toId]);
  useEscapeKey(cancel);

  return (
    <section className="panel interventions-view" aria-labelledby="interventions-title" data-testid="interventions-view">
      <h2 id="interventions-title">Interventions</h2>
      <QuantisedNotice />
      <p className="hint">
        Patch the outputs of self-attention, cross-attention and MLP blocks with another concept's mean activations: replace sets the output to the desired concept's mean; adjust
        adds mean(to) − mean(from). Sampling settings (seed, top-k, temperature, guidance) come from the prompt panel.
      </p>
      <ConceptPicker disabled={disabled} />
      <MeansPanel disabled={disabled} />
      <h3>Sweep</h3>
      <SweepControls disabled={disabled} totalFrames={framesForSeconds(seconds)} />
      <SingleIntervention disabled={disabled} numLayers={numLayers} />
      <JobProgress />
      <div className="iv-messages" aria-live="polite">
        {error && (
          <p className="message message-error" role="alert" data-testid="iv-error">
            {error}{' '}
            <button type="button" className="link-button" onClick={dismiss} aria-label="Dismiss the message">
              ×
            </button>
          </p>
        )}
        {!error && info && (
          <p className="message" data-testid="iv-info">
            {info}{' '}
            <button type="button" className="link-button" onClick={dismiss} aria-label="Dismiss the message">
              ×
            </button>
          </p>
        )}
      </div>
      {ab ? (
        <ABCompare pair={ab} />
      ) : (
        sweep && <p className="hint ab-empty">Click a heatmap cell (or focus it and press Enter) to hear that intervention next to the original.</p>
      )}
      {sweep ? (
        <SweepResults sweep={sweep} />
      ) : (
        <div className="empty-state" data-testid="sweep-empty">
          <p className="empty-title">No sweep for this pair yet</p>
          <p>Compute the means of both concepts, then run the sweep: {numLayers ? `${numLayers} layers × 3 modules × 2 methods = ${numLayers * 6} interventions` : 'every layer × module × method'}, plus the original.</p>
        </div>
      )}
    </section>
  );
}
