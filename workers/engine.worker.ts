/**
 * The engine worker: owns the onnxruntime runtime and the loaded MusicgenEngine, and exposes
 * EngineWorkerApi (src/lab/workerApi.ts) through comlink. One job = one AbortController here,
 * reachable from the UI by job id.
 */
import * as Comlink from 'comlink';
import { urlBundleFiles } from '../src/bundle/bundleFiles';
import { MusicgenEngine } from '../src/engine/engine';
import { loadOnPreferredBackend } from '../src/lab/backendChoice';
import type { EngineWorkerApi, GenerateResponse, ModelInfo } from '../src/lab/workerApi';
import { createRuntime } from '../src/runtime/ort';

let engine: MusicgenEngine | null = null;
const runningJobs = new Map<number, AbortController>();

function describeModel(loaded: MusicgenEngine, backend: ModelInfo['backend'], fallbackReason?: string): ModelInfo {
  const { manifest, runtime } = loaded;
  return {
    name: manifest.name,
    numLayers: manifest.config.numLayers,
    sampleRate: manifest.config.sampleRate,
    samplesPerFrame: manifest.config.samplesPerFrame,
    notes: manifest.notes,
    backend,
    backendDetail: runtime.description,
    fallbackReason,
  };
}

function requireEngine(): MusicgenEngine {
  if (!engine) throw new Error('no model is loaded yet');
  return engine;
}

const api: EngineWorkerApi = {
  async load(request, onProgress) {
    await engine?.release();
    engine = null;
    // A relative bundle URL is relative to the page, not to this worker's script.
    const files = urlBundleFiles(new URL(request.bundleUrl, self.location.origin).href);
    const choice = await loadOnPreferredBackend(request.backend, async (backend) =>
      MusicgenEngine.load(files, await createRuntime(backend), { onProgress: (progress) => onProgress?.({ ...progress }) }),
    );
    engine = choice.value;
    return describeModel(engine, choice.backend, choice.fallbackReason);
  },

  async generate(jobId, request, onProgress) {
    const loaded = requireEngine();
    const controller = new AbortController();
    runningJobs.set(jobId, controller);
    const started = performance.now();
    try {
      const depths = request.depths?.length ? [...request.depths] : [loaded.manifest.config.numLayers];
      const result = await loaded.generate({
        prompts: [request.prompt],
        frames: request.frames,
        seed: request.seed,
        topK: request.topK,
        temperature: request.temperature,
        guidanceScale: request.guidanceScale,
        rows: depths.map((depth) => ({ prompt: 0, depth })),
        signal: controller.signal,
        onProgress: (progress) => onProgress?.({ ...progress }),
      });
      controller.signal.throwIfAborted();
      const audio = await loaded.decodeAudio(
        result.rows.map((row) => row.codes),
        result.frames,
      ); // per row [samplesPerFrame · frames]
      const response: GenerateResponse = {
        frames: result.frames,
        sampleRate: loaded.manifest.config.sampleRate,
        clips: depths.map((depth, i) => ({ depth, samples: audio[i], codes: result.rows[i].codes })),
        elapsedMs: performance.now() - started,
      };
      // Rows may be views of one shared buffer; a transfer list must name each buffer once.
      const buffers = new Set<ArrayBufferLike>(response.clips.flatMap((clip) => [clip.samples.buffer, clip.codes.buffer]));
      return Comlink.transfer(response, [...buffers] as Transferable[]);
    } finally {
      runningJobs.delete(jobId);
    }
  },

  cancel(jobId) {
    runningJobs.get(jobId)?.abort();
  },
};

Comlink.expose(api);
