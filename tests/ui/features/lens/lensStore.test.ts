import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineWorkerClient } from '../../../../src/lab/workerApi';
import { createLensStore, similarityPromptList, type LensStore } from '../../../../src/ui/features/lens/lensStore';
import { createLabStore, type LabStore } from '../../../../src/ui/state/labStore';
import { startInProcessEngine, TINY_BUNDLE_DIR } from '../../../lab/engineWorkerBridge';
import { engineLosingGpuOnCue } from '../../../helpers/flakyGpuEngine';

describe('similarityPromptList', () => {
  it('takes one prompt per non-empty line, or the current prompt', () => {
    expect(similarityPromptList(' a \n\n b\n', 'current')).toEqual(['a', 'b']);
    expect(similarityPromptList('  \n', 'current')).toEqual(['current']);
  });
});

describe('lens store (real engine service over comlink, tiny model)', () => {
  let client: EngineWorkerClient;
  let lab: LabStore;
  let lens: LensStore;

  beforeAll(() => {
    client = startInProcessEngine();
    lab = createLabStore(client);
    lens = createLensStore(client, lab);
  });

  afterAll(() => client.terminate());

  it('says so when no model is loaded', async () => {
    await lens.getState().runLens();
    expect(lens.getState().error).toBe('The model is not loaded yet.');
    expect(lens.getState().job).toBeNull();
  });

  it('runs the chosen depths with the full model, then the teacher-forced lens, tracking both jobs', async () => {
    await lab.getState().loadModel(TINY_BUNDLE_DIR, 'wasm');
    lab.getState().updateSettings({ seconds: 0.1 }); // 5 frames, 8 steps
    lab.getState().setLensDepths([2]);
    const kinds = new Set<string>();
    const unsubscribe = lens.subscribe(({ job }) => job && kinds.add(job.kind));
    await lens.getState().runLens();
    unsubscribe();
    const { run, teacher, error, job } = lens.getState();
    expect(error).toBeNull();
    expect(job).toBeNull();
    expect([...kinds]).toEqual(['lens', 'teacher']);
    expect(run!.clips.map((clip) => clip.depth)).toEqual([2, 4]);
    expect(run!.measurements).toMatchObject({ depths: [2, 4], frames: 5, steps: 8 });
    expect(run!.fullCodes.length).toBe(4 * 5);
    expect(teacher).toMatchObject({ depths: [1, 2, 3, 4], frames: 5 });
  });

  it('cancels a running lens job and keeps the previous run', async () => {
    const previous = lens.getState().run;
    lab.getState().updateSettings({ seconds: 20 });
    const unsubscribe = lens.subscribe(({ job }) => {
      if (job && job.step >= 1 && !job.cancelling) lens.getState().cancel();
    });
    await lens.getState().runLens();
    unsubscribe();
    expect(lens.getState().error).toBe('Cancelled.');
    expect(lens.getState().run).toBe(previous);
    lab.getState().updateSettings({ seconds: 0.1 });
  });

  it('computes the self-similarity over the typed prompts, or the current one', async () => {
    await lens.getState().runSimilarity();
    expect(lens.getState().similarity!.prompts).toEqual([lab.getState().settings.prompt]);
    lens.getState().setSimilarityPrompts('one\ntwo');
    await lens.getState().runSimilarity();
    const { similarity } = lens.getState();
    expect(similarity!.prompts).toEqual(['one', 'two']);
    expect(similarity!.result).toMatchObject({ numLayers: 4, prompts: 2 });
  });

  it('shows invalid settings as an error instead of running', async () => {
    lab.getState().updateSettings({ seconds: Number.NaN });
    await lens.getState().runSimilarity();
    expect(lens.getState().error).toBe('Duration (s) needs a number.');
  });
});

describe('lens store when the WebGPU device is lost during a teacher-forced lens or similarity job', () => {
  /** The lab and lens stores over an engine loaded on a WebGPU that is lost when a job of `kind` starts. */
  async function losingDeviceAt(kind: 'teacher' | 'similarity') {
    let lose = false;
    const client = engineLosingGpuOnCue(() => lose);
    const lab = createLabStore(client);
    const lens = createLensStore(client, lab);
    await lab.getState().loadModel(TINY_BUNDLE_DIR, 'webgpu');
    lab.getState().updateSettings({ seconds: 0.1 });
    lab.getState().setLensDepths([2]);
    const unsubscribe = lens.subscribe(({ job }) => {
      if (job?.kind === kind) lose = true;
    });
    return { client, lab, lens, unsubscribe };
  }

  const backendOf = (lab: LabStore) => {
    const { model } = lab.getState();
    return model.status === 'ready' ? model.info : null;
  };

  it('the header shows WASM and why after the teacher-forced lens moved there', async () => {
    const { client, lab, lens, unsubscribe } = await losingDeviceAt('teacher');
    try {
      expect(backendOf(lab)?.backend).toBe('webgpu');
      await lens.getState().runLens();
      expect(lens.getState().error).toBeNull();
      expect(lens.getState().teacher).toMatchObject({ depths: [1, 2, 3, 4], frames: 5 });
      expect(lens.getState().teacher).not.toHaveProperty('backendChange');
      expect(backendOf(lab)).toMatchObject({ backend: 'wasm', fallbackReason: expect.stringMatching(/WebGPU stopped during a run/) });
      expect(lab.getState().message).toMatchObject({ kind: 'info', text: expect.stringMatching(/reloaded the model on WASM.*Your settings and results are kept\./) });
    } finally {
      unsubscribe();
      client.terminate();
    }
  });

  it('the header shows WASM and why after the layer similarity moved there', async () => {
    const { client, lab, lens, unsubscribe } = await losingDeviceAt('similarity');
    try {
      expect(backendOf(lab)?.backend).toBe('webgpu');
      await lens.getState().runSimilarity();
      expect(lens.getState().error).toBeNull();
      expect(lens.getState().similarity?.result).toMatchObject({ numLayers: 4, prompts: 1 });
      expect(lens.getState().similarity?.result).not.toHaveProperty('backendChange');
      expect(backendOf(lab)).toMatchObject({ backend: 'wasm', fallbackReason: expect.stringMatching(/WebGPU stopped during a run/) });
      expect(lab.getState().message).toMatchObject({ kind: 'info', text: expect.stringMatching(/reloaded the model on WASM/) });
    } finally {
      unsubscribe();
      client.terminate();
    }
  });
});
