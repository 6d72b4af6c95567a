/**
 * Keeps the address bar and the store in step: the store's experiment is written to the URL
 * (replaceState while typing, pushState on committed changes), and Back/Forward (popstate) put
 * the store back in the state the URL describes. The codec is ./experimentUrl.ts.
 */
import type { LabState, LabStore } from '../../state/labStore';
import { decodeExperiment, encodeExperiment, historyActionFor, type ExperimentState } from './experimentUrl';

/** The experiment the store currently shows, as the URL describes it. */
export function experimentOf(state: LabState): ExperimentState {
  const { model, lensDepths } = state;
  const everyDepth = model.status === 'ready' && lensDepths.length === model.info.numLayers;
  return {
    backend: state.backendPreference,
    settings: state.settings,
    view: state.view,
    lensDepths: model.status === 'ready' ? (everyDepth ? null : lensDepths) : state.pendingLensDepths,
    clip: state.selectedClip,
  };
}

/** The part of `window` the sync uses (a test can pass a stand-in). */
export interface UrlWindow {
  location: { search: string; pathname: string; hash: string };
  history: { pushState(data: unknown, unused: string, url: string): void; replaceState(data: unknown, unused: string, url: string): void };
  addEventListener(type: 'popstate', listener: () => void): void;
  removeEventListener(type: 'popstate', listener: () => void): void;
}

export interface UrlSync {
  /** What the page's URL had that was ignored (one sentence each), for the caller to show once the page is up. */
  problems: string[];
  stop(): void;
}

/** Applies the page's URL to the store, then follows the store (and Back/Forward) until stopped. */
export function startUrlSync(store: LabStore, win: UrlWindow = window): UrlSync {
  const urlOf = (experiment: ExperimentState) => `${win.location.pathname}${encodeExperiment(experiment, win.location.search)}${win.location.hash}`;

  const initial = decodeExperiment(win.location.search);
  store.getState().applyExperiment(initial.state);
  let written = experimentOf(store.getState());
  win.history.replaceState(null, '', urlOf(written));

  /** True while a popped URL is being applied: the store then catches up with the URL, not the reverse. */
  let applying = false;
  const unsubscribe = store.subscribe((state) => {
    if (applying) return;
    const next = experimentOf(state);
    const action = historyActionFor(written, next);
    written = next;
    if (action === 'push') win.history.pushState(null, '', urlOf(next));
    else if (action === 'replace') win.history.replaceState(null, '', urlOf(next));
  });

  const onPopState = () => {
    const { state, problems } = decodeExperiment(win.location.search);
    applying = true;
    try {
      store.getState().applyExperiment(state);
    } finally {
      applying = false;
    }
    written = experimentOf(store.getState());
    if (problems.length > 0) store.getState().notify({ kind: 'error', text: problems.join(' ') });
  };
  win.addEventListener('popstate', onPopState);
  return {
    problems: initial.problems,
    stop() {
      unsubscribe();
      win.removeEventListener('popstate', onPopState);
    },
  };
}
