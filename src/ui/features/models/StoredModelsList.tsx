import { WEIGHT_DTYPES } from '../../../bundle/weightDtypes';
import type { StoredModel } from '../../../lab/convertApi';
import { useLab } from '../../state/useLab';
import { formatBytes, formatSpeed } from './format';
import { useModels } from './useModels';

/** Decoder steps/s of the Generate runs on a stored model in this browser, once there is one. */
function MeasuredSpeed({ speed }: { speed: StoredModel['speed'] }) {
  const text = formatSpeed(speed);
  return text === null ? null : (
    <span className="stored-speed" data-testid="stored-speed" title="Decoder steps per second of Generate runs on this model in this browser">
      {text}
    </span>
  );
}

/** Models kept in this browser, with weights, sizes, measured speed, Load and Delete; the storage estimate and persistence below. */
export function StoredModelsList() {
  const stored = useModels((s) => s.stored);
  const storage = useModels((s) => s.storage);
  const persisted = useModels((s) => s.persisted);
  const active = useModels((s) => s.active);
  const busy = useModels((s) => s.install !== null);
  const loadStored = useModels((s) => s.loadStored);
  const loadDemo = useModels((s) => s.loadDemo);
  const removeStored = useModels((s) => s.removeStored);
  const loading = useLab((s) => s.model.status === 'loading');
  return (
    <div className="stored-models">
      <table data-testid="stored-models">
        <caption>Stored in this browser</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Weights</th>
            <th scope="col">Layers</th>
            <th scope="col">Size</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <tr data-testid="stored-demo">
            <td>toy demo (bundled){active === 'demo' && <span className="active-tag"> · loaded</span>}</td>
            <td>fp32</td>
            <td>6</td>
            <td>bundled</td>
            <td>
              <div className="row-actions">
                <button type="button" onClick={() => void loadDemo()} disabled={loading || busy}>
                  Load
                </button>
              </div>
            </td>
          </tr>
          {stored.map((model) => (
            <tr key={model.id} data-testid="stored-model" data-id={model.id} data-complete={model.complete}>
              <td title={model.source ?? model.id}>
                {model.name}
                {!model.complete && <span className="incomplete-tag"> · incomplete (installing again resumes)</span>}
                {active === model.id && <span className="active-tag"> · loaded</span>}
                <MeasuredSpeed speed={model.speed} />
              </td>
              <td>
                {model.dtype ?? '–'}
                {model.dtype && WEIGHT_DTYPES[model.dtype].quantised && <span className="quantised-tag">quantised</span>}
              </td>
              <td>{model.numLayers ?? '–'}</td>
              <td data-testid="stored-size">{formatBytes(model.bytes)}</td>
              <td>
                <div className="row-actions">
                {model.complete && (
                  <button type="button" onClick={() => void loadStored(model.id)} disabled={loading || busy} aria-label={`Load ${model.name}`}>
                    Load
                  </button>
                )}
                <button type="button" onClick={() => void removeStored(model.id)} disabled={busy} aria-label={`Delete ${model.name}`} data-testid="stored-delete">
                  Delete
                </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint" data-testid="storage-estimate">
        {storage ? `Browser storage: ${formatBytes(storage.usage)} used of ${formatBytes(storage.quota)}.` : 'Browser storage: not reported.'}{' '}
        {persisted === true && 'Persistent: the browser will not evict these models.'}
        {persisted === false && 'Not persistent: the browser may evict these models when space runs low.'}
      </p>
    </div>
  );
}
