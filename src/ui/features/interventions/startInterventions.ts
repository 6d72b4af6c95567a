/**
 * Sets up the Interventions feature in the page: its classifier worker, its store (next to the lab
 * store, sharing the engine worker), persistence (custom concepts in localStorage, sweeps in
 * IndexedDB; means live in the engine worker's IndexedDB) and the URL sync.
 */
import { AST_CLASSIFIER_SOURCE, ClassifierWorkerClient } from '../../../lab/classifierApi';
import type { EngineWorkerClient } from '../../../lab/workerApi';
import type { LabStore } from '../../state/labStore';
import { createInterventionsStore, type InterventionsStore } from './interventionsStore';
import { indexedDbSweepResults } from './resultsDatabase';
import { startInterventionsUrlSync } from './urlSync';

/** The bundled tiny classifier goes with the bundled tiny model; any other model gets the real AST. */
export function defaultClassifierFor(modelName: string | null, tinyClassifierUrl: string): string {
  return modelName === null || modelName === 'tiny' ? tinyClassifierUrl : AST_CLASSIFIER_SOURCE;
}

export function startInterventions(engine: EngineWorkerClient, lab: LabStore, baseUrl: string): InterventionsStore {
  const tinyClassifierUrl = `${baseUrl}models/classifiers/ast-tiny/`;
  const store = createInterventionsStore({
    engine: engine.interventions,
    lensEngine: engine,
    classifier: ClassifierWorkerClient.start(),
    lab,
    results: indexedDbSweepResults(),
    conceptStorage: window.localStorage,
    defaultClassifierSource: (modelName) => defaultClassifierFor(modelName, tinyClassifierUrl),
  });
  // Once the model is known, pick its classifier, unless the user typed one.
  let suggested = store.getState().classifierSource;
  lab.subscribe((state) => {
    if (state.model.status !== 'ready' || store.getState().classifierSource !== suggested) return;
    suggested = defaultClassifierFor(state.model.info.name, tinyClassifierUrl);
    store.setState({ classifierSource: suggested });
  });
  startInterventionsUrlSync(store);
  return store;
}
