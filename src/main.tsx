/**
 * Entry of the lab page: starts the engine worker, creates the store, applies the URL (the
 * experiment: backend, prompt, settings, view, depths, clip; see src/ui/features/url/), opens the
 * run history, loads the model (in the store, outside React) and renders. `?model=` names a bundle
 * folder URL (default the bundled tiny demo).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EngineWorkerClient } from './lab/workerApi';
import { App } from './ui/App';
import { openRunDatabase } from './ui/features/history/runDatabase';
import { startUrlSync } from './ui/features/url/urlSync';
import { createLensStore } from './ui/features/lens/lensStore';
import { LensStoreContext } from './ui/features/lens/useLens';
import { createLabStore } from './ui/state/labStore';
import { LabStoreContext } from './ui/state/useLab';
import './ui/styles.css';

// Absolute URLs: the worker resolves relative ones against its own script, and a static build may
// be hosted under a sub-path (Vite's base).
const DEMO_BUNDLE_URL = new URL(`${import.meta.env.BASE_URL}models/tiny/`, window.location.href).href;

const worker = EngineWorkerClient.start();
const store = createLabStore(worker, { runDatabase: openRunDatabase() });
const lensStore = createLensStore(worker, store);
const urlSync = startUrlSync(store);
void store.getState().refreshHistory();
const requestedModel = new URLSearchParams(window.location.search).get('model');
void store.getState().loadModel(requestedModel ? new URL(requestedModel, window.location.href).href : DEMO_BUNDLE_URL, store.getState().backendPreference);
// After the load has started (it clears the message bar): what the link had that was ignored.
if (urlSync.problems.length > 0) store.getState().notify({ kind: 'error', text: urlSync.problems.join(' ') });

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');
createRoot(rootElement).render(
  <StrictMode>
    <LabStoreContext.Provider value={store}>
      <LensStoreContext.Provider value={lensStore}>
        <App demoBundleUrl={DEMO_BUNDLE_URL} />
      </LensStoreContext.Provider>
    </LabStoreContext.Provider>
  </StrictMode>,
);
