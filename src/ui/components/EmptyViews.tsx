import { useLab } from '../state/useLab';

/** The Interventions view until the interventions feature lands: what it will do, and how to get there today. */
export function InterventionsEmpty() {
  return (
    <section className="panel view-panel" aria-labelledby="interventions-title">
      <h2 id="interventions-title">Interventions</h2>
      <div className="empty-state" data-testid="interventions-empty">
        <p className="empty-title">Not in the page yet</p>
        <p>
          Patch self-attention, cross-attention and MLP outputs with another concept's mean activations (replace or adjust), and sweep every layer and
          component, as in the study. Until this view lands, the command line does it: <code>npm run lab -- capture --mean</code> then{' '}
          <code>npm run lab -- generate --patch patch.json</code>.
        </p>
      </div>
    </section>
  );
}

/** The Models view until the Models panel lands: what is loaded, and how to load another bundle. */
export function ModelsEmpty() {
  const model = useLab((state) => state.model);
  return (
    <section className="panel view-panel" aria-labelledby="models-title">
      <h2 id="models-title">Models</h2>
      <div className="empty-state" data-testid="models-empty">
        <p className="empty-title">{model.status === 'ready' ? `Loaded: ${model.info.name} (${model.info.numLayers} layers) from ${model.bundleUrl}` : 'No model loaded yet'}</p>
        <p>
          To run another converted bundle, open the lab with <code>?model=&lt;bundle folder URL&gt;</code> (see the README: <code>npm run convert</code>).
        </p>
      </div>
    </section>
  );
}
