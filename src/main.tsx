/**
 * Entry of the lab page: starts the engine worker, creates the store, loads the model (in the
 * store, outside React) and renders. URL parameters: `model` (bundle folder URL, default the
 * bundled tiny demo) and `backend` (auto | webgpu | wasm).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { BackendPreference } from './lab/workerApi';
import { EngineWorkerClient } from './lab/workerApi';
import { App } from './ui/App';
import { startInterventions } from './ui/features/interventions/startInterventions';
import { InterventionsStoreContext } from './ui/features/interventions/useInterventions';
import { createLensStore } from './ui/features/lens/lensStore';
import { LensStoreContext } from './ui/features/lens/useLens';
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
const worker = EngineWorkerClient.start();
const store = createLabStore(worker);
const lensStore = createLensStore(worker, store);
const interventionsStore = startInterventions(worker, store, import.meta.env.BASE_URL);
const requestedModel = params.get('model');
void store.getState().loadModel(requestedModel ? new URL(requestedModel, window.location.href).href : DEMO_BUNDLE_URL, readBackend(params.get('backend')));

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');
createRoot(rootElement).render(
  <StrictMode>
    <LabStoreContext.Provider value={store}>
      <LensStoreContext.Provider value={lensStore}>
        <InterventionsStoreContext.Provider value={interventionsStore}>
          <App demoBundleUrl={DEMO_BUNDLE_URL} />
        </InterventionsStoreContext.Provider>
      </LensStoreContext.Provider>
    </LabStoreContext.Provider>
  </StrictMode>,
);
