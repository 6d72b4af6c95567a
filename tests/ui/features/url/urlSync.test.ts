import { describe, expect, it } from 'vitest';
import { startUrlSync, type UrlWindow } from '../../../../src/ui/features/url/urlSync';
import { createLabStore, type EngineBridge } from '../../../../src/ui/state/labStore';

/** A browser history of one page: entries, a cursor, popstate on back/forward. */
function fakeWindow(search: string) {
  const entries = [search];
  let index = 0;
  const listeners = new Set<() => void>();
  const location = { search, pathname: '/lab/', hash: '' };
  const go = (offset: number) => {
    index += offset;
    location.search = entries[index];
    for (const listener of listeners) listener();
  };
  const win: UrlWindow = {
    location,
    history: {
      pushState(_data, _unused, url) {
        entries.splice(index + 1, Infinity, new URL(url, 'http://x').search);
        index++;
        location.search = entries[index];
      },
      replaceState(_data, _unused, url) {
        entries[index] = new URL(url, 'http://x').search;
        location.search = entries[index];
      },
    },
    addEventListener: (_type, listener) => listeners.add(listener),
    removeEventListener: (_type, listener) => listeners.delete(listener),
  };
  return { win, entries, back: () => go(-1), forward: () => go(1), param: (name: string) => new URLSearchParams(location.search).get(name) };
}

const noEngine: EngineBridge = {
  load: () => new Promise(() => {}),
  generate: () => {
    throw new Error('not used');
  },
};

describe('startUrlSync', () => {
  it('applies the link, writes the full experiment back in place, and reports ignored values', () => {
    const page = fakeWindow('?model=%2Fmodels%2Fx%2F&seed=9&view=lens&depths=2,1&temperature=nope');
    const store = createLabStore(noEngine);
    const sync = startUrlSync(store, page.win);
    expect(store.getState()).toMatchObject({ view: 'lens', pendingLensDepths: [1, 2], settings: { seed: 9, temperature: 1 } });
    expect(sync.problems).toEqual(['Temperature "nope" in the link is not a number: using 1.']);
    expect(page.entries).toHaveLength(1);
    expect(page.param('model')).toBe('/models/x/');
    expect(page.param('temperature')).toBe('1');
    expect(page.param('depths')).toBe('1,2');
    sync.stop();
  });

  it('replaces the entry while typing, pushes on a view change, and Back/Forward restore the store', () => {
    const page = fakeWindow('');
    const store = createLabStore(noEngine);
    const sync = startUrlSync(store, page.win);
    store.getState().updateSettings({ prompt: 'a' });
    store.getState().updateSettings({ prompt: 'ab' });
    expect(page.entries).toHaveLength(1);
    expect(page.param('prompt')).toBe('ab');

    store.getState().setView('models');
    store.getState().updateSettings({ seed: 5 });
    expect(page.entries).toHaveLength(2);

    page.back();
    expect(store.getState()).toMatchObject({ view: 'generate', settings: { prompt: 'ab', seed: 42 } });
    expect(page.entries).toHaveLength(2); // applying a popped entry writes nothing
    page.forward();
    expect(store.getState()).toMatchObject({ view: 'models', settings: { seed: 5 } });
    expect(page.entries).toHaveLength(2);

    sync.stop();
    store.getState().setView('lens');
    expect(page.entries).toHaveLength(2);
  });
});
