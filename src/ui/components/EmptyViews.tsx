import { useLab } from '../state/useLab';

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
