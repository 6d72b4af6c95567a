import { WEIGHT_DTYPES } from '../../bundle/weightDtypes';
import { BACKEND_PREFERENCES } from '../../lab/backendChoice';
import type { BackendPreference, ModelInfo } from '../../lab/workerApi';
import { useLab } from '../state/useLab';

const BACKEND_NAMES = { webgpu: 'WebGPU', wasm: 'WASM' } as const;
const PREFERENCE_NAMES: Record<BackendPreference, string> = { auto: 'Auto', webgpu: 'WebGPU', wasm: 'WASM' };

/** "WebGPU · nvidia ampere" or "WASM · 4 threads": the hardware the model runs on. */
function backendSummary(info: ModelInfo): string {
  if (info.backend === 'webgpu') {
    const adapter = info.adapter ? [info.adapter.vendor, info.adapter.architecture].filter(Boolean).join(' ') || info.adapter.description : '';
    return adapter ? `WebGPU · ${adapter}` : 'WebGPU';
  }
  const threads = info.wasmThreads;
  return threads ? `WASM · ${threads} thread${threads === 1 ? '' : 's'}` : 'WASM';
}

/** Title bar: the model, the backend it runs on (adapter or threads), the backend choice, and why WebGPU was not used. */
export function Header() {
  const model = useLab((state) => state.model);
  const preference = useLab((state) => state.backendPreference);
  const setBackend = useLab((state) => state.setBackend);
  const busy = useLab((state) => state.job !== null || state.model.status === 'loading');
  return (
    <header className="lab-header">
      <h1>MusicGen Lab</h1>
      <div className="model-status" aria-live="polite" data-testid="model-status">
        {model.status === 'idle' && <span>No model</span>}
        {model.status === 'loading' && (
          <span className="loading-label">
            Loading {model.bundleUrl}
            {model.progress && ` (${model.progress.done}/${model.progress.total}: ${model.progress.label})`}…
          </span>
        )}
        {model.status === 'error' && <span className="status-error">Model failed to load</span>}
        {model.status === 'ready' && (
          <>
            <span className="model-name" data-testid="model-name">
              {model.info.name} · {model.info.numLayers} layers
            </span>
            {model.info.dtype && (
              <span
                className={`dtype-badge${WEIGHT_DTYPES[model.info.dtype].quantised ? ' dtype-quantised' : ''}`}
                data-testid="model-dtype"
                title={WEIGHT_DTYPES[model.info.dtype].summary}
              >
                {WEIGHT_DTYPES[model.info.dtype].quantised ? `${model.info.dtype} weights: figures are computed on quantised weights` : `${model.info.dtype} weights`}
              </span>
            )}
            <span className={`backend-badge backend-${model.info.backend}`} data-testid="backend" data-backend={model.info.backend} title={model.info.backendDetail}>
              {backendSummary(model.info)}
            </span>
          </>
        )}
        <label className="backend-choice">
          <span>Backend</span>
          <select value={preference} onChange={(event) => void setBackend(event.target.value as BackendPreference)} disabled={busy} data-testid="backend-choice">
            {BACKEND_PREFERENCES.map((choice) => (
              <option key={choice} value={choice}>
                {PREFERENCE_NAMES[choice]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {/* Always one line (details, reason or progress), so the page below never moves when a load ends. */}
      <p className="backend-detail" data-testid="backend-detail" title={model.status === 'ready' ? (model.info.fallbackReason ?? model.info.backendDetail) : undefined}>
        {model.status === 'ready' &&
          (model.info.fallbackReason ? (
            <span data-testid="fallback-reason">
              {BACKEND_NAMES.wasm} instead of WebGPU: {model.info.fallbackReason}.
            </span>
          ) : (
            model.info.backendDetail
          ))}
        {model.status === 'loading' && 'Reading and checking the bundle, then creating one onnxruntime session per graph.'}
        {model.status === 'error' && model.error}
      </p>
    </header>
  );
}
