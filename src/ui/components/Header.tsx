import { useLab } from '../state/useLab';

const BACKEND_NAMES = { webgpu: 'WebGPU', wasm: 'WASM' } as const;

/** Title bar: which model is loaded and on which backend (and why WebGPU was not used). */
export function Header() {
  const model = useLab((state) => state.model);
  return (
    <header className="lab-header">
      <h1>MusicGen Lab</h1>
      <div className="model-status" aria-live="polite" data-testid="model-status">
        {model.status === 'idle' && <span>No model</span>}
        {model.status === 'loading' && (
          <span>
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
            <span className={`backend-badge backend-${model.info.backend}`} data-testid="backend" title={model.info.backendDetail}>
              {BACKEND_NAMES[model.info.backend]}
            </span>
            {model.info.fallbackReason && (
              <span className="fallback-reason" data-testid="fallback-reason">
                WebGPU not used: {model.info.fallbackReason}
              </span>
            )}
          </>
        )}
      </div>
    </header>
  );
}
