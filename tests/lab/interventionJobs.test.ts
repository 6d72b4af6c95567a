/**
 * The worker's means, intervention and sweep jobs over comlink (a MessageChannel, as a Worker is
 * to comlink) on the tiny model, WASM in Node, with an in-memory means store in place of IndexedDB.
 */
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meansKeyId } from '../../src/analysis/means/key';
import { decodeMeansFile, readMeansInfo } from '../../src/analysis/means/meansFile';
import type { StoredMeansInfo } from '../../src/analysis/means/meansStore';
import { nodeBundleFiles } from '../../src/bundle/nodeBundleFiles';
import { createEngineService } from '../../src/lab/engineService';
import type { MeansStoreLike } from '../../src/lab/interventionJobs';
import { EngineWorkerClient, isCancellation, type AnalysisProgressEvent } from '../../src/lab/workerApi';
import { createRuntime, probeWebGpu } from '../../src/runtime/ort';
import { TINY_BUNDLE_DIR } from './engineWorkerBridge';

function memoryMeansStore(): MeansStoreLike & { files: Map<string, { info: StoredMeansInfo; file: Uint8Array }> } {
  const files = new Map<string, { info: StoredMeansInfo; file: Uint8Array }>();
  return {
    files,
    async put(file, source = 'means file') {
      const { key, values, count } = readMeansInfo(file, source);
      const keyId = await meansKeyId(key);
      const info: StoredMeansInfo = { id: values === 'sum' ? `${keyId}.partial` : keyId, keyId, key, values, count, bytes: file.byteLength, savedAt: Date.now() };
      files.set(info.id, { info, file: file.slice() });
      if (values === 'mean') files.delete(`${keyId}.partial`);
      return info;
    },
    async find(key) {
      const keyId = await meansKeyId(key);
      return files.get(keyId) ?? files.get(`${keyId}.partial`);
    },
    async get(id) {
      return files.get(id);
    },
  };
}

const sampling = { frames: 8, seed: 42, topK: 250, temperature: 1, guidanceScale: 3 };
const conceptPrompts = (instrument: string) => ['happy rock', 'sad pop', 'fast jazz'].map((rest) => `Compose a ${rest} piece, with a ${instrument} melody.`);

describe('intervention jobs over comlink (tiny model, WASM in Node)', () => {
  let client: EngineWorkerClient;
  let store: ReturnType<typeof memoryMeansStore>;
  let guitar: string;
  let piano: string;

  beforeAll(async () => {
    store = memoryMeansStore();
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(createEngineService({ openBundle: (dir) => nodeBundleFiles(dir), createRuntime: (backend) => createRuntime(backend), probeWebGpu, openMeansStore: async () => store }), port1);
    client = new EngineWorkerClient(port2 as unknown as Comlink.Endpoint, () => {
      port1.close();
      port2.close();
    });
    await client.load({ bundleUrl: TINY_BUNDLE_DIR, backend: 'wasm' });
  });
  afterAll(() => client.terminate());

  it('computes concept means into the store, and reuses them for the same key', async () => {
    const progress: AnalysisProgressEvent[] = [];
    const first = await client.conceptMeans({ ...sampling, prompts: conceptPrompts('guitar') }, (p) => progress.push(p)).result;
    expect(first).toMatchObject({ values: 'mean', count: 3, reused: false, resumedFrom: 0 });
    guitar = first.id;
    piano = (await client.conceptMeans({ ...sampling, prompts: conceptPrompts('piano') }).result).id;
    const again = await client.conceptMeans({ ...sampling, prompts: conceptPrompts('guitar') }).result;
    expect(again).toMatchObject({ id: guitar, reused: true });
    await expect.poll(() => progress.at(-1)?.done).toBe(3);
    const file = await decodeMeansFile(store.files.get(guitar)!.file, 'stored');
    expect(file.hooks).toHaveLength(12); // every module output of 4 layers
  });

  it('keeps the finished batches of a cancelled means job and resumes from them', async () => {
    const prompts = [...conceptPrompts('violin'), ...conceptPrompts('trumpet'), ...conceptPrompts('flute')];
    const budgetBytes = 1; // one prompt per batch: the cancel arrives long before the ninth
    let cancelled = false;
    const job = client.conceptMeans({ ...sampling, prompts, budgetBytes }, (p) => {
      if (p.done >= 1 && !cancelled) {
        cancelled = true;
        job.cancel();
      }
    });
    const error = await job.result.then(() => null, (e: unknown) => e);
    expect(isCancellation(error), String(error)).toBe(true);
    const partial = [...store.files.values()].find(({ info }) => info.values === 'sum');
    expect(partial?.info.count).toBeGreaterThanOrEqual(1);
    const resumed = await client.conceptMeans({ ...sampling, prompts, budgetBytes }).result;
    expect(resumed).toMatchObject({ values: 'mean', count: 9, reused: false });
    expect(resumed.resumedFrom).toBe(partial!.info.count);
    expect([...store.files.values()].some(({ info }) => info.values === 'sum')).toBe(false);
  });

  it('plays an intervention next to its original (A/B), and sweeps every site in chunks', async () => {
    const sites = (['attn', 'cross_attn', 'mlp'] as const).map((module) => ({ layer: 3, module }));
    const ab = await client.intervene({ ...sampling, prompt: conceptPrompts('guitar')[0], intervention: { method: 'replace', sites }, toMeansId: piano }).result;
    expect(ab.original.samples.length).toBe(640 * sampling.frames);
    expect(ab.intervened.samples.length).toBe(640 * sampling.frames);
    expect(Array.from(ab.intervened.codes)).not.toEqual(Array.from(ab.original.codes));
    const progress: AnalysisProgressEvent[] = [];
    const sweep = await client.sweep({ ...sampling, prompt: conceptPrompts('guitar')[0], fromMeansId: guitar, toMeansId: piano, budgetBytes: 1 }, (p) => progress.push(p)).result;
    expect(sweep.cells).toHaveLength(24);
    expect(sweep.cells[23]).toMatchObject({ method: 'adjust', layer: 3, module: 'mlp' });
    expect(sweep.chunks).toBe(25); // one row per chunk under a 1-byte budget
    expect(Array.from(sweep.baseline)).toEqual(Array.from(ab.original.codes));
    await expect.poll(() => progress.some((p) => p.label.includes('chunk 25/25'))).toBe(true);
  });

  it('says what is wrong with the means it was given', async () => {
    await expect(client.sweep({ ...sampling, frames: 5, prompt: 'x', fromMeansId: guitar, toMeansId: piano }).result).rejects.toThrow(/computed over 8 frames \(11 steps\); this run has 5 frames/);
    await expect(client.intervene({ ...sampling, prompt: 'x', intervention: { method: 'replace', sites: [{ layer: 0, module: 'mlp' }] }, toMeansId: 'nope' }).result).rejects.toThrow(/no stored means with id nope/);
  });
});
