/**
 * Entry of the lab page: starts the engine and convert workers, creates the stores, loads the
 * model named by the URL (in the stores, outside React) and renders. URL parameters: `model`
 * (`hf:<owner>/<repo>[@revision]`, a bundle folder URL, or none for the bundled tiny demo), `hub`
 * (the hub endpoint) and `backend` (auto | webgpu | wasm).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConvertWorkerClient } from './lab/convertApi';
import type { BackendPreference } from './lab/workerApi';
import { EngineWorkerClient } from './lab/workerApi';
import { App } from './ui/App';
import { createModelsStore } from './ui/features/models/modelsStore';
import { hubEndpointOf, openModelFromUrl } from './ui/features/models/openModelFromUrl';
import { ModelsStoreContext } from './ui/features/models/useModels';
import { createLabStore } from './ui/state/labStore';
import { LabStoreContext } from './ui/state/useLab';
import './ui/styles.css';

// Absolute URLs: the worker resolves relative ones against its own script, and a static build may
// be hosted under a sub-path (Vite's base).
const DEMO_BUNDLE_URL = new URL(`${import.meta.env.BASE_URL}models/tiny/`, window.location.href).href;
const BACKENDS: readonly BackendPreference[] = ['auto', 'webgpu', 'wasm'];

function readBackend(value: string | null): BackendPreference {
  return BACKENDS.find((backend) => backend === value) ?? 'auto';
}

const params = new URLSearchParams(window.location.search);
const store = createLabStore(EngineWorkerClient.start());
const backend = readBackend(params.get('backend'));
const modelsStore = createModelsStore({
  convert: ConvertWorkerClient.start(),
  loadBundle: (bundleUrl) => store.getState().loadModel(bundleUrl, backend),
  requestPersistence: async () => (await navigator.storage?.persist?.()) ?? false,
  endpoint: hubEndpointOf(params, window.location.href),
  demoBundleUrl: DEMO_BUNDLE_URL,
});
void openModelFromUrl(modelsStore, params, window.location.href);

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');
createRoot(rootElement).render(
  <StrictMode>
    <LabStoreContext.Provider value={store}>
      <ModelsStoreContext.Provider value={modelsStore}>
        <App demoBundleUrl={DEMO_BUNDLE_URL} />
      </ModelsStoreContext.Provider>
    </LabStoreContext.Provider>
  </StrictMode>,
);
