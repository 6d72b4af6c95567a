import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineWorkerClient } from '../../../src/lab/workerApi';
import { createLabStore, type LabStore } from '../../../src/ui/state/labStore';
import { DEFAULT_SETTINGS } from '../../../src/ui/state/settings';
import { startInProcessEngine, TINY_BUNDLE_DIR } from '../../lab/engineWorkerBridge';

describe('lab store (real engine service over comlink, tiny model)', () => {
  let client: EngineWorkerClient;
  let store: LabStore;

  beforeAll(() => {
    client = startInProcessEngine();
    store = createLabStore(client);
  });

  afterAll(() => client.terminate());

  it('refuses to generate before a model is loaded, with a message', async () => {
    await store.getState().generate();
    expect(store.getState().message).toEqual({ kind: 'error', text: 'The model is not loaded yet.' });
    expect(store.getState().job).toBeNull();
  });

  it('loads the model through the bridge and selects every lens depth', async () => {
    const states: string[] = [];
    const unsubscribe = store.subscribe((state) => states.push(state.model.status));
    await store.getState().loadModel(TINY_BUNDLE_DIR, 'wasm');
    unsubscribe();
    expect(states[0]).toBe('loading');
    const { model, lensDepths, message } = store.getState();
    expect(model.status).toBe('ready');
    expect(model.status === 'ready' && model.info.backend).toBe('wasm');
    expect(lensDepths).toEqual([1, 2, 3, 4]);
    expect(message).toBeNull();
  });

  it('starts with the study defaults', () => {
    expect(store.getState().settings).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS).toMatchObject({ seconds: 4, seed: 42, topK: 250, temperature: 1, guidanceScale: 3 });
  });

  it('generates a clip of the requested duration, tracking progress in a job', async () => {
    store.getState().updateSettings({ seconds: 0.2 }); // 10 frames
    const progress: string[] = [];
    const unsubscribe = store.subscribe(({ job }) => job && progress.push(`${job.step}/${job.steps}`));
    await store.getState().generate();
    unsubscribe();
    const { clip, job, message } = store.getState();
    expect(message).toBeNull();
    expect(job).toBeNull();
    // 13 decoder steps (10 frames + 3 for the delay pattern); the last reports may trail the result.
    expect(progress).toContain('1/13');
    expect(clip).not.toBeNull();
    expect(clip!.durationSeconds).toBeCloseTo(0.2, 6);
    expect(clip!.depth).toBe(4);
    expect(clip!.wavUrl).toMatch(/^blob:/);
    expect(clip!.fileName).toBe(`musicgen-compose-a-happy-rock-piece-with-a-guitar-seed42-depth4-${clip!.runId}.wav`);
    // The clip says how it was made, and the run is in the history and selected.
    expect(clip!.run).toMatchObject({ kind: 'generate', settings: { ...DEFAULT_SETTINGS, seconds: 0.2 }, depths: [4], backend: 'wasm', model: { name: 'tiny', numLayers: 4 } });
    expect(store.getState().runs[0].id).toBe(clip!.runId);
    expect(store.getState().selectedClip).toEqual({ runId: clip!.runId, depth: null });
  });

  it('keeps the chosen DecoderLens depths sorted and unique (the lens slice runs them)', () => {
    store.getState().toggleLensDepth(2);
    expect(store.getState().lensDepths).toEqual([1, 3, 4]);
    store.getState().setLensDepths([4, 1, 4]);
    expect(store.getState().lensDepths).toEqual([1, 4]);
    store.getState().setLensDepths([1, 2, 3, 4]);
  });

  it('cancels the running job and keeps the previous result', async () => {
    const previous = store.getState().clip;
    store.getState().updateSettings({ seconds: 20 });
    const unsubscribe = store.subscribe(({ job }) => {
      if (job && job.step >= 1 && !job.cancelling) store.getState().cancel();
    });
    await store.getState().generate();
    unsubscribe();
    expect(store.getState().message).toEqual({ kind: 'info', text: 'Generation cancelled.' });
    expect(store.getState().job).toBeNull();
    expect(store.getState().clip).toBe(previous);
  });

  it('reports invalid settings instead of sending them', async () => {
    store.getState().updateSettings({ seconds: Number.NaN });
    await store.getState().generate();
    expect(store.getState().message).toEqual({ kind: 'error', text: 'Duration (s) needs a number.' });
    store.getState().updateSettings({ seconds: 1, topK: 1.5 });
    await store.getState().generate();
    expect(store.getState().message?.text).toBe('Top-k must be a whole number (got 1.5).');
    store.getState().updateSettings({ topK: 250, prompt: '  ' });
    await store.getState().generate();
    expect(store.getState().message?.text).toBe('Write a prompt first.');
  });

  it('keeps the loaded model when another fails to load, and says so', async () => {
    await store.getState().loadModel('/nonexistent/bundle/', 'auto');
    const { model, message, backendPreference } = store.getState();
    expect(model.status === 'ready' && model.info.name).toBe('tiny');
    expect(backendPreference).toBe('wasm');
    expect(message?.kind).toBe('error');
    expect(message?.text).toMatch(/^Could not load \/nonexistent\/bundle\/ on auto: .*manifest\.json.*\. Still using tiny\.$/);
    store.getState().updateSettings({ seconds: 0.04, prompt: DEFAULT_SETTINGS.prompt });
    await store.getState().generate();
    expect(store.getState().message).toBeNull();
    expect(store.getState().clip?.durationSeconds).toBeCloseTo(0.04, 6);
  });

  it('shows a first load failure as model state, not an exception', async () => {
    const fresh = createLabStore(client);
    await fresh.getState().loadModel('/nonexistent/bundle/', 'wasm');
    const { model } = fresh.getState();
    expect(model.status).toBe('error');
    expect(model.status === 'error' && model.error).toMatch(/manifest\.json/);
  });
});
