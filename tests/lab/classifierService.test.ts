import { fileURLToPath } from 'node:url';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIOSET_LABELS } from '../../src/classifier/audiosetLabels';
import { nodeFolderLocation } from '../../src/checkpoint/nodeFolderLocation';
import { ClassifierWorkerClient, type ClassifierInfo, type ClassifierLoadProgress, type ClassifyRequest } from '../../src/lab/classifierApi';
import { createClassifierService } from '../../src/lab/classifierService';
import { isCancellation } from '../../src/lab/workerApi';
import { createRuntime } from '../../src/runtime/ort';
import { probeWebGpu } from '../../src/runtime/webGpuAdapter';

const TINY_CLASSIFIER_DIR = fileURLToPath(new URL('../../models/classifiers/ast-tiny/', import.meta.url));

/** The real classifier service on a MessageChannel (what a Worker is to comlink), WASM in Node. */
function startInProcessClassifier(): ClassifierWorkerClient {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(createClassifierService({ openLocation: (dir) => nodeFolderLocation(dir), createRuntime: (backend) => createRuntime(backend), probeWebGpu }), port1);
  return new ClassifierWorkerClient(port2 as unknown as Comlink.Endpoint, () => {
    port1.close();
    port2.close();
  });
}

const tone = (hz: number) => Float32Array.from({ length: 32000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / 32000));
const request: ClassifyRequest = { clips: [tone(220), tone(2000), tone(220)], sampleRate: 32000, topK: 3 };

describe('classifier service over comlink (tiny classifier, WASM in Node)', () => {
  let client: ClassifierWorkerClient;
  let info: ClassifierInfo;
  const progress: ClassifierLoadProgress[] = [];

  beforeAll(async () => {
    client = startInProcessClassifier();
    info = await client.load({ source: TINY_CLASSIFIER_DIR, backend: 'auto' }, (p) => progress.push(p)).result;
  });
  afterAll(() => client.terminate());

  it('loads the folder with byte progress, falling back from WebGPU to WASM and saying why', async () => {
    expect(info).toMatchObject({ name: TINY_CLASSIFIER_DIR, modelFile: 'onnx/model.onnx', backend: 'wasm' });
    expect(info.labels).toEqual(AUDIOSET_LABELS);
    expect(info.notes).toMatch(/random/);
    expect(info.fallbackReason).toMatch(/WebGPU/);
    expect(info.backendDetail).toMatch(/WASM/);
    await expect.poll(() => progress.map((p) => p.file)).toContain('onnx/model.onnx');
  });

  it('classifies 32 kHz clips into probabilities that sum to 1, logits and top labels, in request order', async () => {
    const steps: string[] = [];
    const response = await client.classify({ ...request, batchSize: 2 }, (p) => steps.push(`${p.done}/${p.total}`)).result;
    expect(response.clips).toHaveLength(3);
    for (const clip of response.clips) {
      expect(clip.logits).toBeInstanceOf(Float32Array);
      expect(clip.logits.length).toBe(527);
      expect(clip.probabilities).toBeInstanceOf(Float64Array);
      expect(clip.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(clip.top).toHaveLength(3);
      expect(clip.top[0].probability).toBe(Math.max(...clip.probabilities));
      expect(clip.top[0].label).toBe(AUDIOSET_LABELS[clip.top[0].index]);
    }
    expect(Array.from(response.clips[0].logits)).toEqual(Array.from(response.clips[2].logits));
    expect(Array.from(response.clips[0].logits)).not.toEqual(Array.from(response.clips[1].logits));
    await expect.poll(() => steps).toEqual(['2/3', '3/3']);
    // The caller keeps its clips (copied, not transferred).
    expect(request.clips[0].length).toBe(32000);
  });

  it('cancels a running job by id, and keeps working', async () => {
    let cancelled = false;
    const job = client.classify({ ...request, clips: Array.from({ length: 8 }, () => tone(440)), batchSize: 1 }, () => {
      if (!cancelled) {
        cancelled = true;
        job.cancel();
      }
    });
    const error = await job.result.then(() => null, (e: unknown) => e);
    expect(isCancellation(error), String(error)).toBe(true);
    expect((await client.classify(request).result).clips).toHaveLength(3);
  });

  it('cancels a load by id, leaving no classifier behind', async () => {
    const other = startInProcessClassifier();
    try {
      let cancelled = false;
      const job = other.load({ source: TINY_CLASSIFIER_DIR, backend: 'wasm' }, () => {
        if (!cancelled) {
          cancelled = true;
          job.cancel();
        }
      });
      const error = await job.result.then(() => null, (e: unknown) => e);
      expect(isCancellation(error), String(error)).toBe(true);
      await expect(other.classify(request).result).rejects.toThrow('no classifier is loaded yet');
    } finally {
      other.terminate();
    }
  });

  it('rejects bad requests with readable errors', async () => {
    await expect(client.classify({ ...request, sampleRate: 16000 }).result).rejects.toThrow("clips must be 32000 Hz (MusicGen's rate), got 16000 Hz");
    await expect(client.classify({ ...request, clips: [new Float32Array(5)] }).result).rejects.toThrow('clip 0 has 5 samples');
    const other = startInProcessClassifier();
    try {
      await expect(other.classify(request).result).rejects.toThrow('no classifier is loaded yet');
      await expect(other.load({ source: '/nonexistent/classifier/', backend: 'wasm' }).result).rejects.toThrow(/has no config.json/);
    } finally {
      other.terminate();
    }
  });
});
