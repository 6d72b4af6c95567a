import { describe, expect, it } from 'vitest';
import { openModelFromUrl } from '../../../../src/ui/features/models/openModelFromUrl';
import { fakeBridge, STORED, store } from './fakeConvertBridge';

describe('openModelFromUrl', () => {
  it('loads a stored hub model with no plan, and plans one that is not stored', async () => {
    const stored = fakeBridge({ stored: STORED.id });
    const loaded: string[] = [];
    await openModelFromUrl(store(stored.bridge, loaded), new URLSearchParams('model=hf:facebook/musicgen-small'), 'http://lab/');
    expect(loaded).toEqual([`stored:${STORED.id}`]);
    expect(stored.calls.filter((c) => c.startsWith('plan'))).toEqual([]);

    const fresh = fakeBridge();
    const models = store(fresh.bridge, []);
    await openModelFromUrl(models, new URLSearchParams('model=hf:facebook/musicgen-small@v2'), 'http://lab/');
    expect(models.getState().hubRepo).toBe('facebook/musicgen-small@v2');
    expect(models.getState().plan.status).toBe('ready');
  });

  it('loads the demo by default, a bundle URL as given, and the demo with a message for a bad value', async () => {
    const loaded: string[] = [];
    await openModelFromUrl(store(fakeBridge().bridge, loaded), new URLSearchParams(''), 'http://lab/');
    await openModelFromUrl(store(fakeBridge().bridge, loaded), new URLSearchParams('model=/models/x/'), 'http://lab/');
    const bad = store(fakeBridge().bridge, loaded);
    await openModelFromUrl(bad, new URLSearchParams('model=hf:nope'), 'http://lab/');
    expect(loaded).toEqual(['http://lab/models/tiny/', 'http://lab/models/x/', 'http://lab/models/tiny/']);
    expect(bad.getState().message?.text).toMatch(/is not a hub repository.*The demo model is loaded instead\.$/);
  });

  it('opens a hub model in the dtype of ?dtype=, and says when the value is unknown', async () => {
    const quantised = fakeBridge();
    const models = store(quantised.bridge, []);
    await openModelFromUrl(models, new URLSearchParams('model=hf:facebook/musicgen-small&dtype=q8'), 'http://lab/');
    expect(models.getState().dtype).toBe('q8');
    expect(quantised.calls).toContain('findStored q8');
    expect(quantised.calls).toContain('plan hub q8');

    const bad = fakeBridge();
    const fallback = store(bad.bridge, []);
    await openModelFromUrl(fallback, new URLSearchParams('model=hf:facebook/musicgen-small&dtype=int3'), 'http://lab/');
    expect(fallback.getState().dtype).toBe('auto');
    expect(bad.calls).toContain('findStored auto');
    expect(fallback.getState().message).toEqual({ kind: 'error', text: 'Weights "int3" in the link is not one of auto, fp32, fp16, q8, q4: using auto.' });
  });
});
