/**
 * Keeps `from`, `to`, `method` and `sites` in the address bar (replaceState: choosing concepts is
 * not a step worth a Back) and applies them on load and on Back/Forward. Other parameters stay.
 */
import { conceptById } from '../concepts/conceptsSlice';
import type { InterventionsState, InterventionsStore } from './interventionsStore';
import { decodeInterventionsUrl, encodeInterventionsUrl } from './urlParams';

export interface UrlWindow {
  location: { search: string; pathname: string; hash: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  addEventListener(type: 'popstate', listener: () => void): void;
  removeEventListener(type: 'popstate', listener: () => void): void;
}

function apply(store: InterventionsStore, search: string): void {
  const { state: url, problems } = decodeInterventionsUrl(search);
  const state = store.getState();
  const patch: Partial<InterventionsState> = {};
  for (const [field, id] of [['fromId', url.fromId], ['toId', url.toId]] as const) {
    if (id === null) continue;
    if (conceptById(state, id)) patch[field] = id;
    else problems.push(`Concept "${id}" in the link is not one of this browser's concepts: ignored.`);
  }
  if (url.method) patch.method = url.method;
  if (url.sites) patch.sites = url.sites;
  store.setState({ ...patch, ...(problems.length ? { error: problems.join(' ') } : {}) });
}

const urlOf = (state: InterventionsState) => ({ fromId: state.fromId, toId: state.toId, method: state.method, sites: state.sites });

export function startInterventionsUrlSync(store: InterventionsStore, win: UrlWindow = window): () => void {
  apply(store, win.location.search);
  let written = '';
  const write = (state: InterventionsState) => {
    const search = encodeInterventionsUrl(urlOf(state), win.location.search);
    if (search === written || search === win.location.search) return;
    written = search;
    win.history.replaceState(null, '', `${win.location.pathname}${search}${win.location.hash}`);
  };
  write(store.getState());
  const unsubscribe = store.subscribe((state, previous) => {
    const next = urlOf(state);
    const before = urlOf(previous);
    if (next.fromId !== before.fromId || next.toId !== before.toId || next.method !== before.method || next.sites !== before.sites) write(state);
  });
  const onPopState = () => apply(store, win.location.search);
  win.addEventListener('popstate', onPopState);
  return () => {
    unsubscribe();
    win.removeEventListener('popstate', onPopState);
  };
}
