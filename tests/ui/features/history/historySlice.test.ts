import { describe, expect, it } from 'vitest';
import type { GenerateResponse, ModelInfo } from '../../../../src/lab/workerApi';
import type { RunDatabase } from '../../../../src/ui/features/history/runDatabase';
import type { RunAudio, RunRecord } from '../../../../src/ui/features/history/runRecord';
import { createLabStore, type EngineBridge } from '../../../../src/ui/state/labStore';
import { DEFAULT_SETTINGS } from '../../../../src/ui/state/settings';

/** The RunDatabase contract over a Map (IndexedDB itself is exercised in tests/browser/experimentUrl.test.ts). */
function memoryRunDatabase(): RunDatabase {
  const runs = new Map<string, { record: RunRecord; audio: RunAudio }>();
  return {
    list: async () => [...runs.values()].map((run) => run.record).sort((a, b) => b.createdAt - a.createdAt),
    get: async (runId) => runs.get(runId) ?? null,
    put: async (record, audio) => void runs.set(record.id, { record, audio }),
    delete: async (runId) => void runs.delete(runId),
  };
}

const noEngine: EngineBridge = { load: () => new Promise(() => {}), generate: () => Promise.reject(new Error('not used')) as never };
const INFO: ModelInfo = { name: 'tiny', numLayers: 4, sampleRate: 32000, samplesPerFrame: 640, backend: 'wasm', preference: 'auto', backendDetail: 'onnxruntime-web WASM, 2 threads', wasmThreads: 2 };

/** A lens response whose two rows are views of one buffer, as the worker returns them. */
function lensResponse(): GenerateResponse {
  const shared = new Float32Array(2 * 640).map((_, i) => Math.sin(i / 10) / 2);
  return {
    frames: 1,
    sampleRate: 32000,
    backend: 'wasm',
    elapsedMs: 12,
    clips: [
      { depth: 2, samples: shared.subarray(0, 640), codes: new Int32Array(4) },
      { depth: 4, samples: shared.subarray(640), codes: new Int32Array(4) },
    ],
  };
}

describe('history slice', () => {
  it('stores a run with how it was made, shows its deepest clip, and re-opens it after a reload', async () => {
    const database = memoryRunDatabase();
    const store = createLabStore(noEngine, { runDatabase: Promise.resolve(database) });
    const settings = { ...DEFAULT_SETTINGS, seed: 3, seconds: 0.02 };
    await store.getState().recordRun('lens', settings, { info: INFO, bundleUrl: '/models/tiny/' }, lensResponse());
    const [record] = store.getState().runs;
    expect(record).toMatchObject({ kind: 'lens', settings, depths: [2, 4], backend: 'wasm', backendDetail: INFO.backendDetail, model: { name: 'tiny', numLayers: 4, bundleUrl: '/models/tiny/' } });
    expect(store.getState().clip?.depth).toBe(4);
    expect(store.getState().lensClips.map((clip) => clip.label)).toEqual(['depth 2 of 4', 'full model (4 layers)']);
    // Each stored clip owns its samples (a shared buffer would be stored once per clip).
    const stored = await database.get(record.id);
    expect(stored?.audio.clips.map((clip) => clip.samples.buffer.byteLength)).toEqual([640 * 4, 640 * 4]);

    const reloaded = createLabStore(noEngine, { runDatabase: Promise.resolve(database) });
    await reloaded.getState().refreshHistory();
    expect(reloaded.getState().runs.map((run) => run.id)).toEqual([record.id]);
    await reloaded.getState().openClip({ runId: record.id, depth: 2 }, { restoreSettings: true });
    expect(reloaded.getState().clip).toMatchObject({ runId: record.id, depth: 2, durationSeconds: 0.02 });
    expect(reloaded.getState().settings).toEqual(settings);
    expect(reloaded.getState().selectedClip).toEqual({ runId: record.id, depth: 2 });
  });

  it('exports a run as JSON with base64 WAVs', async () => {
    const store = createLabStore(noEngine, { runDatabase: Promise.resolve(memoryRunDatabase()) });
    await store.getState().recordRun('lens', DEFAULT_SETTINGS, { info: INFO, bundleUrl: '/models/tiny/' }, lensResponse());
    const runId = store.getState().runs[0].id;
    const exported = JSON.parse((await store.getState().exportRun(runId))!);
    expect(exported).toMatchObject({ format: 'musicgen-lab-run', version: 1, run: { id: runId } });
    expect(exported.clips.map((clip: { depth: number; fileName: string }) => [clip.depth, clip.fileName])).toEqual([
      [2, `musicgen-compose-a-happy-rock-piece-with-a-guitar-seed42-depth2-${runId}.wav`],
      [4, `musicgen-compose-a-happy-rock-piece-with-a-guitar-seed42-depth4-${runId}.wav`],
    ]);
    const wav = Buffer.from(exported.clips[0].wavBase64, 'base64');
    expect(wav.length).toBe(44 + 2 * 640);
    expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
  });

  it('deletes a run and clears what showed it; an unknown run gets a message, not an error', async () => {
    const database = memoryRunDatabase();
    const store = createLabStore(noEngine, { runDatabase: Promise.resolve(database) });
    await store.getState().recordRun('generate', DEFAULT_SETTINGS, { info: INFO, bundleUrl: '/models/tiny/' }, lensResponse());
    const runId = store.getState().runs[0].id;
    await store.getState().deleteRun(runId);
    expect(store.getState()).toMatchObject({ runs: [], clip: null, selectedClip: null });
    expect(await database.list()).toEqual([]);
    await store.getState().openClip({ runId, depth: null });
    expect(store.getState().clip).toBeNull();
    expect(store.getState().message?.text).toMatch(new RegExp(`Run ${runId} is not in this browser's history`));
  });

  it('keeps runs in memory when there is no database', async () => {
    const store = createLabStore(noEngine);
    await store.getState().refreshHistory();
    expect(store.getState().historyStatus).toBe('unavailable');
    await store.getState().recordRun('generate', DEFAULT_SETTINGS, { info: INFO, bundleUrl: '/models/tiny/' }, lensResponse());
    const runId = store.getState().runs[0].id;
    store.getState().clearSelection();
    await store.getState().openClip({ runId, depth: 2 });
    expect(store.getState().clip?.depth).toBe(2);
    expect(await store.getState().exportRun(runId)).toContain('"wavBase64"');
  });
});
