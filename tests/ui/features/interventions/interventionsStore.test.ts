import { describe, expect, it } from 'vitest';
import type { ClassifyRequest } from '../../../../src/lab/classifierApi';
import type { MeansRequest, MeansStatus, RunProgress, SweepJobRequest, SweepResponse } from '../../../../src/lab/interventionsApi';
import type { ModelInfo, RunningJob } from '../../../../src/lab/workerApi';
import { createInterventionsStore, type ClassifierBridge, type InterventionsEngine, type LensBridge } from '../../../../src/ui/features/interventions/interventionsStore';
import { memorySweepResults } from '../../../../src/ui/features/interventions/resultsDatabase';
import { createLabStore, type EngineBridge } from '../../../../src/ui/state/labStore';

const LAYERS = 2;
const SAMPLES = 640;

function abortError(): Error {
  const error = new Error('cancelled');
  error.name = 'AbortError';
  return error;
}

/** A job that resolves (or, once cancelled, rejects) after reporting `reports`. */
function job<T>(value: () => T, reports: RunProgress[] = [], onProgress?: (p: RunProgress) => void): RunningJob<T> {
  let cancelled = false;
  const result = (async () => {
    for (const report of reports) {
      await Promise.resolve();
      onProgress?.(report);
      if (cancelled) throw abortError();
    }
    return value();
  })();
  return { jobId: Math.random(), result, cancel: () => (cancelled = true) };
}

/** The worker, faked: a key per prompt set; `cancelAfter` makes a means run stop after one batch of one prompt. */
function fakeEngine() {
  const stored = new Map<string, MeansStatus>();
  const keyOf = (request: MeansRequest) => `k${request.prompts.join('|').length}-${request.frames}-${request.seed}`;
  const sweeps: SweepJobRequest[] = [];
  const status = (request: MeansRequest): MeansStatus =>
    stored.get(keyOf(request)) ?? { keyId: keyOf(request), state: 'none', count: 0, total: request.prompts.length, bytes: 1234, steps: 13, promptsPerBatch: 1 };
  const engine: InterventionsEngine & { cancelNextMeans: boolean; sweeps: SweepJobRequest[] } = {
    cancelNextMeans: false,
    sweeps,
    meansStatus: async (request) => status(request),
    computeMeans(request, onProgress) {
      const reports = [{ done: 0, total: request.prompts.length, etaSeconds: null, label: 'prompts' }, { done: 1, total: request.prompts.length, etaSeconds: 3, label: 'prompts (batch 2)' }];
      const running = job(() => {
        const done: MeansStatus = { ...status(request), state: 'done', count: request.prompts.length };
        stored.set(keyOf(request), done);
        return done;
      }, reports, (p) => {
        onProgress?.(p);
        if (p.done === 1 && engine.cancelNextMeans) {
          engine.cancelNextMeans = false;
          stored.set(keyOf(request), { ...status(request), state: 'partial', count: 1 });
          running.cancel();
        }
      });
      return running;
    },
    exportMeans: async () => new Uint8Array([1, 2, 3]),
    importMeans: async (_bytes, name) => {
      throw new Error(`${name}: these means belong to another model ("musicgen-small", bundle ffffffffffff…), not the loaded "tiny" (bundle 0123…)`);
    },
    sweep(request, onProgress) {
      sweeps.push(request);
      const clip = (value: number) => ({ samples: new Float32Array(SAMPLES).fill(value), codes: new Int32Array(4) });
      const cells = (['replace', 'adjust'] as const).flatMap((method, methodIndex) =>
        Array.from({ length: LAYERS }, (_, layer) => (['attn', 'cross_attn', 'mlp'] as const).map((module, m) => ({ method, layer, module, ...clip(methodIndex * 3 * LAYERS + layer * 3 + m + 1) }))).flat(),
      );
      const response: SweepResponse = { frames: 1, sampleRate: 32000, baseline: clip(0), cells, chunks: 1, rowsPerChunk: 13, elapsedMs: 1 };
      return job(() => response, [{ done: 13, total: 13, etaSeconds: 0, label: 'rows' }], onProgress);
    },
    intervene: () => {
      throw new Error('not used');
    },
  };
  return engine;
}

/** Classifies a clip by its constant sample value v: p(guitar=140) falls and p(piano=153) rises with v. */
function fakeClassifier(): ClassifierBridge & { loads: number } {
  const classifier = {
    loads: 0,
    load: () => {
      classifier.loads++;
      return job(() => ({ name: 'ast-tiny', modelFile: 'model.onnx', labels: [], backend: 'wasm' as const, backendDetail: 'WASM' }));
    },
    classify: (request: ClassifyRequest) =>
      job(() => ({
        elapsedMs: 1,
        clips: request.clips.map((clip) => {
          const v = clip[0];
          const probabilities = new Float64Array(527).fill(0.5 / 525);
          probabilities[140] = 0.4 / (1 + v);
          probabilities[153] = 0.1 * (1 + v);
          return { logits: Float32Array.from(probabilities, Math.log), probabilities, top: [] };
        }),
      })),
  };
  return classifier;
}

/** DecoderLens generation, faked: depth d's clip holds the constant d. */
function fakeLensEngine() {
  const requests: number[][] = [];
  const lensEngine = {
    requests,
    /** Set to report, once, that the run moved the model to WASM (a lost WebGPU device). */
    backendChange: undefined as ModelInfo | undefined,
    generate: (request: { depths?: readonly number[] }) => {
      requests.push([...(request.depths ?? [])]);
      const clips = (request.depths ?? []).map((depth) => ({ depth, samples: new Float32Array(SAMPLES).fill(depth), codes: new Int32Array(4) }));
      const backendChange = lensEngine.backendChange;
      lensEngine.backendChange = undefined;
      return job(() => ({ frames: 1, sampleRate: 32000, clips, elapsedMs: 1, ...(backendChange ? { backendChange } : {}) }));
    },
  };
  return lensEngine as typeof lensEngine & LensBridge;
}

function setup() {
  const bridge = { load: async () => ({}), generate: () => ({}) } as unknown as EngineBridge;
  const lab = createLabStore(bridge);
  lab.setState({ model: { status: 'ready', bundleUrl: '/models/tiny/', info: { name: 'tiny', numLayers: LAYERS, sampleRate: 32000, samplesPerFrame: 640, backend: 'wasm', backendDetail: 'WASM' } } } as never);
  const engine = fakeEngine();
  const classifier = fakeClassifier();
  const results = memorySweepResults();
  const lensEngine = fakeLensEngine();
  const store = createInterventionsStore({ engine, lensEngine, classifier, lab, results, conceptStorage: null, defaultClassifierSource: () => '/models/classifiers/ast-tiny/' });
  store.getState().setPromptCount(2);
  store.getState().setSeconds(0.2);
  return { store, engine, classifier, results, lab, lensEngine };
}

/** Marks the loaded model as running on WebGPU (as before a device loss) and returns the ready model. */
function showOnWebGpu(lab: ReturnType<typeof setup>['lab']) {
  const ready = lab.getState().model;
  if (ready.status !== 'ready') throw new Error('setup loads the model');
  lab.setState({ model: { ...ready, info: { ...ready.info, backend: 'webgpu', backendDetail: 'WebGPU · testvendor' } } });
  return ready;
}

describe('interventions store', () => {
  it('shows the means of both concepts before computing, then computes them one after the other', async () => {
    const { store } = setup();
    await store.getState().refreshMeans();
    expect(Object.values(store.getState().meansStatus).map((s) => s?.state)).toEqual(['none', 'none']);
    const titles: string[] = [];
    const unsubscribe = store.subscribe((s) => s.job?.progress && titles.push(`${s.job.title} ${s.job.progress.done}`));
    await store.getState().computeMeans();
    unsubscribe();
    expect(titles).toContain('guitar means 1');
    expect(titles).toContain('piano means 1');
    expect(Object.values(store.getState().meansStatus).map((s) => s?.state)).toEqual(['done', 'done']);
    expect(store.getState().info).toBe('Means of guitar and piano are ready.');
  });

  it('after a cancel says how many prompts are kept and that Compute resumes', async () => {
    const { store, engine } = setup();
    engine.cancelNextMeans = true;
    await store.getState().computeMeans();
    expect(store.getState().info).toBe('guitar means: cancelled. 1 of 2 prompts are kept; Compute resumes from there.');
    expect(store.getState().meansStatus.guitar?.state).toBe('partial');
    expect(store.getState().job).toBeNull();
  });

  it('refuses to sweep before the means exist', async () => {
    const { store, engine } = setup();
    await store.getState().refreshMeans();
    await store.getState().runSweep();
    expect(store.getState().error).toBe('Compute the means of guitar and piano first.');
    expect(engine.sweeps).toEqual([]);
  });

  it("sweeps, classifies, computes the study's metrics, saves the result, and a cell click makes an A/B pair that plays", async () => {
    const { store, engine, classifier, results } = setup();
    await store.getState().computeMeans();
    store.getState().setBranches('both');
    await store.getState().runSweep();
    expect(store.getState().error).toBeNull();
    expect(engine.sweeps[0]).toMatchObject({ prompt: 'Compose a emotional rock piece, with a guitar melody. Use a fast tempo.', branches: 'both' });
    const { sweep } = store.getState();
    expect(sweep?.table.rows).toHaveLength(2 * 3 * LAYERS);
    // v = 1 for replace layer 0 attn: effect = ln(p140/p153 before) − ln(after) = ln((0.4/0.1) / (0.2/0.2)) = ln 4.
    expect(sweep?.table.rows[0]).toMatchObject({ from: 'guitar', to: 'piano', method: 'replace', layer: 0, module: 'attn', n: 1, effectStd: 0 });
    expect(sweep!.table.rows[0].effect).toBeCloseTo(Math.log(4), 5);
    expect(sweep!.table.rows.every((row) => row.precision <= 1e-7)).toBe(true);
    expect(await results.get('guitar->piano')).toBe(sweep);
    await store.getState().runSweep();
    expect(classifier.loads).toBe(1); // loaded once, then reused

    store.getState().selectCell({ method: 'adjust', layer: 1, module: 'mlp' });
    const { ab } = store.getState();
    expect(ab).toMatchObject({ title: 'adjust guitar → piano at layer 1 MLP', autoplay: true });
    expect(ab!.intervened.samples[0]).toBe(12); // the adjust, layer 1, mlp clip of the fake sweep
    expect(ab!.original.durationSeconds).toBeCloseTo(SAMPLES / 32000, 10);
  });

  it('shows the move to WASM when the WebGPU device was lost during a recognisability run', async () => {
    const { store, lensEngine, lab } = setup();
    const ready = showOnWebGpu(lab);
    await store.getState().computeMeans();
    lensEngine.backendChange = { ...ready.info, backend: 'wasm', backendDetail: 'WASM · 1 thread', fallbackReason: 'WebGPU stopped during a run (device lost); the lab reloaded the model on WASM' };
    await store.getState().runSweep();
    expect(store.getState().error).toBeNull();
    const { model, message } = lab.getState();
    expect(model.status === 'ready' && model.info).toMatchObject({ backend: 'wasm', backendDetail: 'WASM · 1 thread' });
    expect(message).toEqual({ kind: 'info', text: 'WebGPU stopped during a run (device lost); the lab reloaded the model on WASM. Your settings and results are kept.' });
  });

  it('shows the move to WASM when the WebGPU device was lost during the sweep itself', async () => {
    const { store, engine, lab } = setup();
    const ready = showOnWebGpu(lab);
    await store.getState().computeMeans();
    const wasmInfo: ModelInfo = { ...ready.info, backend: 'wasm', backendDetail: 'WASM · 1 thread', fallbackReason: 'WebGPU stopped during a run (device lost); the lab reloaded the model on WASM and re-ran the job' };
    const sweep = engine.sweep.bind(engine);
    engine.sweep = (request, onProgress) => {
      const running = sweep(request, onProgress);
      return { ...running, result: running.result.then((response) => ({ ...response, backendChange: wasmInfo })) };
    };
    await store.getState().runSweep();
    expect(store.getState().error).toBeNull();
    expect(store.getState().sweep).not.toBeNull();
    const { model, message } = lab.getState();
    expect(model.status === 'ready' && model.info).toMatchObject({ backend: 'wasm', backendDetail: 'WASM · 1 thread' });
    expect(message?.text).toMatch(/^WebGPU stopped during a run \(device lost\)/);
  });

  it("measures both concepts' recognisability per depth (NDCG) with the sweep, unless turned off", async () => {
    const { store, lensEngine } = setup();
    await store.getState().computeMeans();
    await store.getState().runSweep();
    expect(lensEngine.requests).toEqual([[1, 2], [1, 2]]); // every depth, once per concept
    const lens = store.getState().sweep!.lens!;
    expect(lens.map((row) => `${row.concept}@${row.depth}`)).toEqual(['guitar@1', 'guitar@2', 'piano@1', 'piano@2']);
    expect(lens.every((row) => row.n === 1 && row.ndcg > 0 && row.ndcg <= 1)).toBe(true);
    // Depth 2's clip (v = 2) ranks Piano above Guitar; depth 1's ties them: piano becomes more recognisable.
    expect(lens[3].ndcg).toBeGreaterThan(lens[2].ndcg);
    store.getState().setMeasureLens(false);
    await store.getState().runSweep();
    expect(store.getState().sweep!.lens).toBeNull();
    expect(lensEngine.requests).toHaveLength(2);
  });

  it('shows a refused import as one clear line', async () => {
    const { store } = setup();
    await store.getState().importMeans({ name: 'small.safetensors', arrayBuffer: async () => new ArrayBuffer(8) });
    expect(store.getState().error).toBe('Cannot import small.safetensors: these means belong to another model ("musicgen-small", bundle ffffffffffff…), not the loaded "tiny" (bundle 0123…)');
  });

  it('reloads the saved sweep of the chosen pair', async () => {
    const { store, results } = setup();
    await store.getState().computeMeans();
    await store.getState().runSweep();
    const saved = store.getState().sweep;
    store.setState({ sweep: null });
    store.getState().setTo('violin');
    await store.getState().loadStoredSweep();
    expect(store.getState().sweep).toBeNull();
    store.getState().setTo('piano');
    await store.getState().loadStoredSweep();
    expect(store.getState().sweep).toBe(await results.get('guitar->piano'));
    expect(store.getState().sweep).toBe(saved);
  });
});
