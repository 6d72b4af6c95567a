/**
 * Entry of the lab page: starts the engine and convert workers, creates the stores, applies the URL
 * (the experiment: backend, prompt, settings, view, depths, clip; see src/ui/features/url/), opens
 * the run history, loads the model (in the stores, outside React) and renders. The model comes from
 * `?model=` (`hf:<owner>/<repo>[@revision]` with `?hub=`, a bundle folder URL, or the bundled tiny
 * demo by default; see src/ui/features/models/openModelFromUrl.ts).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConvertWorkerClient } from './lab/convertApi';
import { EngineWorkerClient } from './lab/workerApi';
import { App } from './ui/App';
import { openRunDatabase } from './ui/features/history/runDatabase';
import { startInterventions } from './ui/features/interventions/startInterventions';
import { InterventionsStoreContext } from './ui/features/interventions/useInterventions';
import { createLensStore } from './ui/features/lens/lensStore';
import { LensStoreContext } from './ui/features/lens/useLens';
import { createModelsStore } from './ui/features/models/modelsStore';
import { hubEndpointOf, openModelFromUrl } from './ui/features/models/openModelFromUrl';
import { startSpeedRecorder } from './ui/features/models/speedRecorder';
import { ModelsStoreContext } from './ui/features/models/useModels';
import { startUrlSync } from './ui/features/url/urlSync';
import { createLabStore } from './ui/state/labStore';
import { LabStoreContext } from './ui/state/useLab';
import './ui/styles';

// Absolute URLs: the worker resolves relative ones against its own script, and a static build may
// be hosted under a sub-path (Vite's base).
// The default demo is the toy model: a constructed MusicGen whose mechanism is known (README, "The toy model").
const DEMO_BUNDLE_URL = new URL(`${import.meta.env.BASE_URL}models/toy/`, window.location.href).href;

const worker = EngineWorkerClient.start();
const store = createLabStore(worker, { runDatabase: openRunDatabase() });
const lensStore = createLensStore(worker, store);
const interventionsStore = startInterventions(worker, store, import.meta.env.BASE_URL);
const urlSync = startUrlSync(store);
void store.getState().refreshHistory();
const params = new URLSearchParams(window.location.search);
const modelsStore = createModelsStore({
  convert: ConvertWorkerClient.start(),
  loadBundle: (bundleUrl) => store.getState().loadModel(bundleUrl, store.getState().backendPreference),
  requestPersistence: async () => (await navigator.storage?.persist?.()) ?? false,
  showPanel: () => store.getState().setView('models'),
  endpoint: hubEndpointOf(params, window.location.href),
  demoBundleUrl: DEMO_BUNDLE_URL,
});
void openModelFromUrl(modelsStore, params, window.location.href);
startSpeedRecorder(store, (id, sample) => void modelsStore.getState().recordSpeed(id, sample));
// After the load has started (it clears the message bar): what the link had that was ignored.
if (urlSync.problems.length > 0) store.getState().notify({ kind: 'error', text: urlSync.problems.join(' ') });

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');
createRoot(rootElement).render(
  <StrictMode>
    <LabStoreContext.Provider value={store}>
      <LensStoreContext.Provider value={lensStore}>
        <ModelsStoreContext.Provider value={modelsStore}>
          <InterventionsStoreContext.Provider value={interventionsStore}>
            <App demoBundleUrl={DEMO_BUNDLE_URL} />
          </InterventionsStoreContext.Provider>
        </ModelsStoreContext.Provider>
      </LensStoreContext.Provider>
    </LabStoreContext.Provider>
  </StrictMode>,
);
