/**
 * The engine worker's interventions methods (InterventionsWorkerApi) over the analysis runners:
 * means are keyed, checkpointed into a MeansStore after every batch (so a cancel or a closed tab
 * keeps the prompts done), reused when finished, exported and imported with their key checked;
 * sweeps and single interventions read finished means from the store and return audio.
 */
import * as Comlink from 'comlink';
import { allSites, siteHook, type MeansByHook } from '../analysis/interventions/kernel';
import { runIntervention, runSweep } from '../analysis/interventions/run';
import type { HookName } from '../engine/hooks';
import { decoderSteps } from '../engine/delayPattern';
import type { MusicgenEngine } from '../engine/engine';
import { meanSumsBytes } from '../analysis/means/kernel';
import { bundleDigest, meansKey, meansKeyId, type MeansKey, type MeansSettings } from '../analysis/means/key';
import { decodeMeansFile, encodeMeans, encodeMeanSums, sumsFromFile, validateMeansFile } from '../analysis/means/meansFile';
import { estimateEta } from '../analysis/means/progress';
import { computeMeans, DEFAULT_MEMORY_BUDGET, promptsPerBatch } from '../analysis/means/run';
import type { ClipAudio, InterventionsWorkerApi, MeansRequest, MeansStatus, SamplingRequest } from './interventionsApi';
import type { ModelInfo } from './workerApi';
import type { MeansFileStore } from './meansStore';

export interface InterventionsServiceContext {
  /** The loaded engine, or null before a model is loaded. */
  engine(): MusicgenEngine | null;
  /** Opened on first use (IndexedDB in the worker), so a page that never uses means never opens it. */
  openStore(): Promise<MeansFileStore>;
  /**
   * Runs a cancellable job (cancel(jobId) reaches its signal) after the engine's other jobs
   * (onnxruntime-web must never run two at once). If WebGPU fails during it, the model is reloaded
   * on WASM and `work` runs again there: `backendChange` is then the model's new description.
   */
  runJob<T>(jobId: number, work: (engine: MusicgenEngine, signal: AbortSignal) => Promise<T>): Promise<{ value: T; backendChange?: ModelInfo }>;
}

function settingsOf(request: SamplingRequest): MeansSettings {
  return { frames: request.frames, topK: request.topK, temperature: request.temperature, guidanceScale: request.guidanceScale, greedy: false };
}

function buffersOf(clips: readonly ClipAudio[]): Transferable[] {
  // Clips may be views of shared buffers; a transfer list must name each buffer once.
  return [...new Set<ArrayBufferLike>(clips.flatMap((clip) => [clip.samples.buffer, clip.codes.buffer]))] as Transferable[];
}

export function createInterventionsService(context: InterventionsServiceContext): InterventionsWorkerApi {
  /** Decoded finished means by key id, so repeated sweeps do not re-read the store. */
  const meansCache = new Map<string, { key: MeansKey; means: MeansByHook }>();
  let digest: { engine: MusicgenEngine; bundle: string } | null = null;
  let opened: Promise<MeansFileStore> | null = null;
  const store = () => (opened ??= context.openStore());

  function requireEngine(): MusicgenEngine {
    const engine = context.engine();
    if (!engine) throw new Error('no model is loaded yet');
    return engine;
  }

  async function identity(engine: MusicgenEngine) {
    if (digest?.engine !== engine) digest = { engine, bundle: await bundleDigest(engine.manifest) };
    const { config, name } = engine.manifest;
    return { bundle: digest.bundle, modelName: name, numLayers: config.numLayers, hiddenSize: config.hiddenSize };
  }

  function hooksOf(engine: MusicgenEngine): HookName[] {
    return allSites(engine.manifest.config.numLayers).map(siteHook);
  }

  /** A job's result with the backend change, if any, and its buffers handed over (not copied). */
  async function transferredJob<T extends object>(jobId: number, work: (engine: MusicgenEngine, signal: AbortSignal) => Promise<{ response: T; buffers: Transferable[] }>) {
    const { value, backendChange } = await context.runJob(jobId, work);
    return Comlink.transfer(backendChange ? { ...value.response, backendChange } : value.response, value.buffers);
  }

  async function status(engine: MusicgenEngine, request: MeansRequest): Promise<MeansStatus & { key: MeansKey; found?: { file: Uint8Array } }> {
    const settings = settingsOf(request);
    const key = await meansKey(engine.manifest, request.prompts, settings, request.seed);
    const keyId = await meansKeyId(key);
    const { config } = engine.manifest;
    const steps = decoderSteps(request.frames, config.numCodebooks);
    const found = await (await store()).find(key);
    const state = !found ? 'none' : found.info.values === 'mean' ? 'done' : 'partial';
    return {
      keyId,
      key,
      found,
      state,
      count: found?.info.count ?? 0,
      total: request.prompts.length,
      bytes: meanSumsBytes(3 * config.numLayers, steps, config.hiddenSize),
      steps,
      promptsPerBatch: promptsPerBatch(engine.manifest, request.frames, request.budgetBytes ?? DEFAULT_MEMORY_BUDGET),
    };
  }

  function publicStatus({ key: _key, found: _found, ...rest }: Awaited<ReturnType<typeof status>>): MeansStatus {
    return rest;
  }

  async function finishedMeans(engine: MusicgenEngine, keyId: string, which: string): Promise<{ key: MeansKey; means: MeansByHook }> {
    const cached = meansCache.get(keyId);
    if (cached) return cached;
    const stored = await (await store()).get(keyId);
    if (!stored) throw new Error(`the ${which} concept's means (${keyId}) are not computed yet`);
    const file = await decodeMeansFile(stored.file, `the ${which} concept's means`);
    if (file.values !== 'mean') throw new Error(`the ${which} concept's means are unfinished (${file.count} of ${file.key.promptCount} prompts): compute them first`);
    validateMeansFile(file, await identity(engine), `the ${which} concept's means`);
    const entry = { key: file.key, means: file.tensors as MeansByHook };
    meansCache.set(keyId, entry);
    return entry;
  }

  /** The settings both concepts' means were made with (they must agree: a sweep compares like with like). */
  async function sharedSettings(engine: MusicgenEngine, toKeyId: string, fromKeyId?: string) {
    const to = await finishedMeans(engine, toKeyId, 'desired');
    const from = fromKeyId ? await finishedMeans(engine, fromKeyId, 'original') : undefined;
    if (from) {
      const a = from.key.settings;
      const b = to.key.settings;
      const differs = (Object.keys(b) as (keyof MeansSettings)[]).find((field) => a[field] !== b[field]);
      if (differs) throw new Error(`the two concepts' means were made with different ${differs} (${a[differs]} vs ${b[differs]}): compute them with the same settings`);
      if (from.key.seedPolicy.seed !== to.key.seedPolicy.seed) throw new Error(`the two concepts' means were made with different seeds (${from.key.seedPolicy.seed} vs ${to.key.seedPolicy.seed})`);
    }
    return { settings: to.key.settings, seed: to.key.seedPolicy.seed, from: from?.means, to: to.means };
  }

  return {
    async meansStatus(request) {
      return publicStatus(await status(requireEngine(), request));
    },

    computeMeans(jobId, request, onProgress) {
      // A re-run after a fallback resumes from the last checkpoint (same bundle, same key).
      return transferredJob(jobId, async (engine, signal) => {
        const current = await status(engine, request);
        if (current.state === 'done') return { response: publicStatus(current), buffers: [] };
        const { key, keyId } = current;
        const resume = current.found ? sumsFromFile(await decodeMeansFile(current.found.file, `the saved means of ${keyId}`)) : undefined;
        const means = await store();
        const sums = await computeMeans(engine, {
          prompts: request.prompts,
          hooks: hooksOf(engine),
          settings: settingsOf(request),
          seed: request.seed,
          budgetBytes: request.budgetBytes,
          resume,
          signal,
          // The state is serialised at once: the next batch keeps adding to the same arrays.
          onCheckpoint: async (state) => {
            if (state.count < request.prompts.length) await means.put(encodeMeanSums(state, key, request.prompts), `means ${keyId}`);
          },
          onProgress: (progress) => onProgress?.({ ...progress }),
        });
        await means.put(encodeMeans(sums, key, request.prompts), `means ${keyId}`);
        return { response: { ...publicStatus(current), state: 'done' as const, count: sums.count }, buffers: [] };
      });
    },

    async exportMeans(keyId) {
      const means = await store();
      const stored = (await means.get(keyId)) ?? (await means.get(`${keyId}.partial`));
      if (!stored) throw new Error(`no means are stored under ${keyId}`);
      const copy = stored.file.slice();
      return Comlink.transfer(copy, [copy.buffer]);
    },

    async importMeans(bytes, fileName) {
      const engine = requireEngine();
      const file = await decodeMeansFile(bytes, fileName);
      validateMeansFile(file, await identity(engine), fileName);
      const expectedHooks = hooksOf(engine);
      const missing = expectedHooks.find((hook) => !file.tensors.has(hook));
      if (missing) throw new Error(`${fileName}: has no ${missing}; the lab needs every attention, cross-attention and MLP output of all ${engine.manifest.config.numLayers} layers`);
      const { config } = engine.manifest;
      const steps = decoderSteps(file.key.settings.frames, config.numCodebooks);
      if (file.steps !== steps) throw new Error(`${fileName}: holds ${file.steps} steps, its key's ${file.key.settings.frames} frames need ${steps}`);
      const { keyId } = await (await store()).put(bytes, fileName);
      meansCache.delete(keyId);
      const { settings, seedPolicy } = file.key;
      return {
        keyId,
        state: file.values === 'mean' ? 'done' : 'partial',
        count: file.count,
        total: file.key.promptCount,
        bytes: meanSumsBytes(file.hooks.length, file.steps, file.d),
        steps: file.steps,
        promptsPerBatch: promptsPerBatch(engine.manifest, settings.frames, DEFAULT_MEMORY_BUDGET),
        prompts: file.prompts,
        settings: { frames: settings.frames, seed: seedPolicy.seed, topK: settings.topK, temperature: settings.temperature, guidanceScale: settings.guidanceScale },
      };
    },

    sweep(jobId, request, onProgress) {
      return transferredJob(jobId, async (engine, signal) => {
        const started = performance.now();
        const { settings, seed, from, to } = await sharedSettings(engine, request.toKeyId, request.fromKeyId);
        const result = await runSweep(engine, {
          prompt: request.prompt,
          settings,
          seed,
          from: from!,
          to,
          methods: request.methods,
          branches: request.branches,
          frameWindow: request.frameWindow,
          budgetBytes: request.budgetBytes,
          rowsPerChunk: request.rowsPerChunk,
          signal,
          onProgress: (progress) => onProgress?.({ ...progress }),
        });
        signal.throwIfAborted();
        onProgress?.({ done: result.cells.length + 1, total: result.cells.length + 1, etaSeconds: 0, label: 'decoding audio' });
        const audio = await engine.decodeAudio([result.baseline, ...result.cells.map((cell) => cell.codes)], settings.frames); // per row [samples]
        const response = {
          frames: settings.frames,
          sampleRate: engine.manifest.config.sampleRate,
          baseline: { samples: audio[0], codes: result.baseline },
          cells: result.cells.map(({ cell, codes }, i) => ({ ...cell, codes, samples: audio[i + 1] })),
          chunks: result.chunks,
          rowsPerChunk: result.rowsPerChunk,
          elapsedMs: performance.now() - started,
        };
        return { response, buffers: buffersOf([response.baseline, ...response.cells]) };
      });
    },

    intervene(jobId, request, onProgress) {
      return transferredJob(jobId, async (engine, signal) => {
        const started = performance.now();
        const { settings, seed, from, to } = await sharedSettings(engine, request.toKeyId, request.fromKeyId);
        const steps = decoderSteps(settings.frames, engine.manifest.config.numCodebooks);
        const intervention = {
          method: request.method,
          sites: request.sites,
          branches: request.branches,
          frames: request.frameWindow,
          ...(request.method === 'steer' ? { alpha: request.alpha ?? 1 } : {}),
        };
        const codes = await runIntervention(engine, {
          prompt: request.prompt,
          intervention,
          settings,
          seed,
          from,
          to,
          signal,
          onProgress: ({ step }) => onProgress?.({ done: step, total: steps, etaSeconds: estimateEta(step, steps - step, (performance.now() - started) / 1000), label: 'steps' }),
        });
        signal.throwIfAborted();
        const [original, intervened] = await engine.decodeAudio([codes.original, codes.intervened], settings.frames);
        const response = {
          frames: settings.frames,
          sampleRate: engine.manifest.config.sampleRate,
          original: { samples: original, codes: codes.original },
          intervened: { samples: intervened, codes: codes.intervened },
          elapsedMs: performance.now() - started,
        };
        return { response, buffers: buffersOf([response.original, response.intervened]) };
      });
    },
  };
}
