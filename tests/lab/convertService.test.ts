/**
 * The convert service against a local server in the hub's layout, with in-memory storage:
 * planning (every dtype's size), a full install (only decoder ranges fetched, the same graphs as the committed tiny
 * bundle), fp16 on shader-f16, resume after a dropped connection and after a cancel, corrupted
 * bytes, a full quota, refusals.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../src/bundle/manifest';
import { hfNames } from '../../src/checkpoint/musicgenConfig';
import type { InstallProgress, InstallRequest } from '../../src/lab/convertApi';
import { createConvertService } from '../../src/lab/convertService';
import { TEXT_ENCODER_TENSOR, TINY_REPO, tinyHubCheckpoint, weightRequests } from '../browser/hubServer';
import { hubServerForFile } from '../browser/hubSuite';
import { TINY_BUNDLE_DIR } from './engineWorkerBridge';
import { memoryStorage, type MemoryStorage } from '../storage/memoryDir';

const hub = await hubServerForFile();

const tinyManifest = JSON.parse(readFileSync(`${TINY_BUNDLE_DIR}manifest.json`, 'utf8')) as BundleManifest;

function service(storage: MemoryStorage, options: { f16?: boolean } = {}) {
  return createConvertService({
    openStorage: async () => storage.root,
    fetch: globalThis.fetch,
    hasShaderF16: async () => options.f16 ?? false,
    estimate: async () => ({ usage: storage.usedBytes(), quota: storage.quotaBytes === Infinity ? 1e12 : storage.quotaBytes }),
  });
}

function tinyHubCheckpointFiles(): File[] {
  const { config, weights } = tinyHubCheckpoint();
  return [new File([config.slice()], 'config.json'), new File([weights.slice()], 'model.safetensors')];
}

function hubRequest(dtype: InstallRequest['dtype'] = 'auto', repo = TINY_REPO): InstallRequest {
  return { source: { kind: 'hub', repo, revision: 'main', endpoint: hub.url }, dtype };
}

describe('convert service (hub layout server, in-memory storage)', () => {
  it('plans: sizes, weight dtype and where the bytes come from, before downloading', async () => {
    const storage = memoryStorage();
    const plan = await service(storage).plan(hubRequest());
    const sideBytes = [...hub.files.get('Xenova/musicgen-small')!.values()].reduce((n, b) => n + b.length, 0);
    const [textStart, textEnd] = hub.tensorRange(TEXT_ENCODER_TENSOR);
    const checkpointBytes = hub.files.get(TINY_REPO)!.get('model.safetensors')!.length;
    expect(plan).toMatchObject({ kind: 'checkpoint', numLayers: 4, hiddenSize: 64, dtype: 'fp32', resumedBytes: 0, id: 'hf-lab-test--musicgen-tiny-main-fp32' });
    expect(plan.dtypeReason).toMatch(/fp32.*no WebGPU adapter with shader-f16/);
    // Only the decoder's bytes count: never the text-encoder tensor in front.
    expect(plan.downloadBytes).toBeLessThan(checkpointBytes - (textEnd - textStart) + sideBytes);
    expect(plan.downloadBytes).toBeGreaterThan(sideBytes);
    expect(plan.neededBytes).toBe(plan.downloadBytes + plan.bundleBytes);
    expect(storage.paths()).toEqual([]); // planning stores nothing
  });

  it('installs: fetches only the decoder ranges, converts, verifies, and stores the same graphs as the committed tiny bundle', async () => {
    const storage = memoryStorage();
    const mark = hub.requests.length;
    const phases: InstallProgress[] = [];
    const stored = await service(storage).install(1, hubRequest(), (p) => phases.push(p));
    expect(stored).toMatchObject({ id: 'hf-lab-test--musicgen-tiny-main-fp32', complete: true, dtype: 'fp32', numLayers: 4, name: TINY_REPO });

    const [textStart, textEnd] = hub.tensorRange(TEXT_ENCODER_TENSOR);
    const ranges = hub.checkpointRanges(mark);
    expect(ranges.some(([a, b]) => a < textEnd && b > textStart)).toBe(false);
    const [embedStart] = hub.tensorRange(hfNames.embed(0));
    expect(ranges.filter(([a]) => a >= embedStart).length).toBe(4 + 4 * 16 + 2 + 4 + 2); // one request per decoder tensor

    const manifest = JSON.parse(await (await storage.root.dir('bundles', false))!.dir(stored.id, false).then(async (d) => (await d!.file('manifest.json'))!.text())) as BundleManifest;
    expect(manifest.graphs.blocks.map((b) => b.sha256)).toEqual(tinyManifest.graphs.blocks.map((b) => b.sha256));
    expect(manifest.graphs.head.sha256).toBe(tinyManifest.graphs.head.sha256);
    expect(manifest.text?.encoder.sha256).toBe(tinyManifest.text?.encoder.sha256);
    expect(manifest.audio?.decoder.sha256).toBe(tinyManifest.audio?.decoder.sha256);
    // Downloads are dropped once the bundle commits.
    expect(storage.paths().filter((p) => p.startsWith('downloads/'))).toEqual([]);

    expect([...new Set(phases.map((p) => p.phase))]).toEqual(['prepare', 'download', 'convert', 'verify']);
    const last = phases[phases.length - 1];
    expect(last.download.bytes).toBe(last.download.totalBytes);
    expect(phases.filter((p) => p.phase === 'convert').map((p) => p.label)).toContain('block_3.onnx');
  });

  it('chooses fp16 weights on a shader-f16 adapter and says so', async () => {
    const storage = memoryStorage();
    const convert = service(storage, { f16: true });
    const plan = await convert.plan(hubRequest());
    expect(plan.dtype).toBe('fp16');
    expect(plan.dtypeReason).toMatch(/shader-f16/);
    const stored = await convert.install(1, hubRequest(), undefined);
    expect(stored.dtype).toBe('fp16');
    expect(await convert.findStored({ kind: 'hub', repo: TINY_REPO, revision: 'main', endpoint: hub.url }, 'auto')).toBe(stored.id);
    expect(await convert.findStored({ kind: 'hub', repo: TINY_REPO, revision: 'v2', endpoint: hub.url }, 'auto')).toBeUndefined();
  });

  it('plans every dtype: sizes of each, and a quantised choice is its own stored model, never the fp32 copy', async () => {
    const storage = memoryStorage();
    const convert = service(storage);
    const auto = await convert.plan(hubRequest());
    expect(auto.autoDtype).toBe('fp32');
    const sizes = auto.bundleBytesByDtype!;
    expect(sizes.fp32).toBe(auto.bundleBytes);
    expect(sizes.fp32).toBeGreaterThan(sizes.fp16);
    expect(sizes.fp16).toBeGreaterThan(sizes.q8);
    expect(sizes.q8).toBeGreaterThan(sizes.q4);

    const q8 = await convert.plan(hubRequest('q8'));
    expect(q8).toMatchObject({ id: 'hf-lab-test--musicgen-tiny-main-q8', dtype: 'q8', autoDtype: 'fp32', bundleBytes: sizes.q8, bundleBytesByDtype: sizes });
    expect(q8.dtypeReason).toMatch(/quantised/);
    expect(q8.neededBytes).toBe(q8.downloadBytes + sizes.q8);

    const fp32 = await convert.install(1, hubRequest('fp32'), undefined);
    const source = { kind: 'hub' as const, repo: TINY_REPO, revision: 'main', endpoint: hub.url };
    expect(await convert.findStored(source, 'q8')).toBeUndefined(); // the fp32 copy is another model
    expect(await convert.findStored(source, 'fp32')).toBe(fp32.id);
  });

  it('converts in the chosen quantised dtype: each its own stored model with that manifest dtype, the estimate within 5% of the stored size', async () => {
    const storage = memoryStorage();
    const convert = service(storage);
    const source = { kind: 'hub' as const, repo: TINY_REPO, revision: 'main', endpoint: hub.url };
    for (const [i, dtype] of (['q8', 'q4'] as const).entries()) {
      const plan = await convert.plan(hubRequest(dtype));
      const stored = await convert.install(i, hubRequest(dtype), undefined);
      expect(stored).toMatchObject({ id: `hf-lab-test--musicgen-tiny-main-${dtype}`, dtype, complete: true, numLayers: 4 });
      expect(Math.abs(stored.bytes - plan.bundleBytes) / stored.bytes).toBeLessThan(0.05);
      expect(await convert.findStored(source, dtype)).toBe(stored.id);
    }
    const fp32 = await convert.install(2, hubRequest('fp32'), undefined);
    expect((await convert.list()).map((m) => `${m.id} ${m.dtype}`)).toEqual([`${fp32.id} fp32`, 'hf-lab-test--musicgen-tiny-main-q4 q4', 'hf-lab-test--musicgen-tiny-main-q8 q8']);
    expect(await convert.findStored(source, 'auto')).toBe(fp32.id); // auto never opens a quantised copy
  });

  it('keeps measured speeds with the stored model and lists them', async () => {
    const storage = memoryStorage();
    const convert = service(storage);
    const stored = await convert.install(1, hubRequest(), undefined);
    await convert.recordSpeed(stored.id, { backend: 'wasm', stepsPerSecond: 20, measuredAt: 1 });
    await convert.recordSpeed(stored.id, { backend: 'wasm', stepsPerSecond: 30, measuredAt: 2 });
    expect((await convert.list()).find((m) => m.id === stored.id)?.speed).toEqual({ wasm: { stepsPerSecond: [20, 30], measuredAt: 2 } });
  });

  it('resumes a range after the connection drops mid-body', async () => {
    const [start] = hub.tensorRange(hfNames.layer(1, 'fc1.weight'));
    hub.dropOnce({ repo: TINY_REPO, file: 'model.safetensors', offset: start });
    hub.dropOnce({ repo: 'Xenova/musicgen-small', file: 'onnx/text_encoder.onnx' });
    const mark = hub.requests.length;
    const stored = await service(memoryStorage()).install(1, hubRequest(), undefined);
    expect(stored.complete).toBe(true);
    expect(hub.checkpointRanges(mark).filter(([a]) => a === start)).toHaveLength(2);
    expect(hub.requests.slice(mark).filter((r) => r.method === 'GET' && r.file === 'onnx/text_encoder.onnx')).toHaveLength(2);
  });

  it('cancels mid-conversion, keeps nothing loadable, and a retry resumes from the stored ranges', async () => {
    const storage = memoryStorage();
    const convert = service(storage);
    const [stallAt] = hub.tensorRange(hfNames.layer(2, 'fc1.weight'));
    const stall = hub.stall({ repo: TINY_REPO, file: 'model.safetensors', offset: stallAt });
    const phases: InstallProgress[] = [];
    const mark = hub.requests.length;
    const running = convert.install(7, hubRequest(), (p) => phases.push(p));
    await stall.stalled;
    convert.cancel(7);
    stall.release();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(phases.some((p) => p.phase === 'convert' && p.label === 'block_1.onnx')).toBe(true);
    const [entry] = await convert.list();
    expect(entry).toMatchObject({ complete: false });
    expect(storage.paths().some((p) => p.endsWith('manifest.json'))).toBe(false);

    const fetchedBefore = new Set(hub.checkpointRanges(mark).map(([a]) => a));
    const retryMark = hub.requests.length;
    const stored = await convert.install(8, hubRequest(), undefined);
    expect(stored.complete).toBe(true);
    const refetched = hub.checkpointRanges(retryMark).filter(([a]) => fetchedBefore.has(a) && a !== stallAt);
    expect(refetched).toEqual([]);
    expect(weightRequests(hub.requests.slice(retryMark)).filter((r) => r.file.endsWith('.onnx'))).toEqual([]);
  });

  it('refuses corrupted bytes with a clear error and stores nothing', async () => {
    const storage = memoryStorage();
    hub.corrupt({ repo: 'Xenova/musicgen-small', file: 'onnx/encodec_decode.onnx' });
    await expect(service(storage).install(1, hubRequest(), undefined)).rejects.toThrow(/encodec_decode\.onnx arrived corrupted: its sha256 is .*the server says .*Nothing was stored/);
    expect(storage.paths()).toEqual([]);
  });

  it('stops with a clear error when the quota runs out, leaving nothing half-written', async () => {
    const plan = await service(memoryStorage()).plan(hubRequest());
    // Enough for the estimate check to pass only if usage is ignored: the real writes fail mid-way.
    const storage = memoryStorage(Math.floor(plan.bundleBytes * 0.6));
    const convert = createConvertService({
      openStorage: async () => storage.root,
      fetch: globalThis.fetch,
      hasShaderF16: async () => false,
      estimate: async () => null, // a browser without estimate(): the write itself hits the quota
    });
    await expect(convert.install(1, hubRequest(), undefined)).rejects.toThrow(/^Not enough browser storage for this model.*Nothing was kept\.$/);
    expect(storage.paths()).toEqual([]);
    // With an estimate, the check happens before anything is downloaded.
    const mark = hub.requests.length;
    await expect(service(memoryStorage(1000)).install(2, hubRequest(), undefined)).rejects.toThrow(/Not enough browser storage.*about [\d.]+ MB are needed/);
    expect(weightRequests(hub.requests.slice(mark)).filter((r) => r.range === undefined || !/^bytes=0-/.test(r.range))).toHaveLength(1); // the header only
  });

  it('refuses melody and stereo checkpoints before any request, and names a missing repository', async () => {
    const mark = hub.requests.length;
    await expect(service(memoryStorage()).plan(hubRequest('auto', 'facebook/musicgen-melody'))).rejects.toThrow(/melody-conditioned MusicGen; the lab runs text-only checkpoints/);
    await expect(service(memoryStorage()).plan(hubRequest('auto', 'facebook/musicgen-stereo-small'))).rejects.toThrow(/stereo MusicGen; the lab runs mono/);
    expect(hub.requests.length).toBe(mark);
    await expect(service(memoryStorage()).plan(hubRequest('auto', 'nobody/nothing'))).rejects.toThrow(/401.*gated or private/);
  });

  it('stores a picked bundle folder after checking its files, and converts a picked checkpoint folder', async () => {
    const storage = memoryStorage();
    const convert = service(storage);
    const bundleFiles = readdirSync(TINY_BUNDLE_DIR)
      .filter((name) => name !== 'source')
      .map((name) => new File([readFileSync(`${TINY_BUNDLE_DIR}${name}`)], name));
    const bundleRequest: InstallRequest = { source: { kind: 'files', label: 'tiny', files: bundleFiles, endpoint: hub.url }, dtype: 'auto' };
    expect(await convert.plan({ ...bundleRequest, dtype: 'q4' })).toMatchObject({ kind: 'bundle', downloadBytes: 0, id: 'local-tiny-fp32', dtype: 'fp32', bundleBytesByDtype: null }); // a bundle keeps its dtype
    expect(await convert.install(1, bundleRequest, undefined)).toMatchObject({ id: 'local-tiny-fp32', complete: true, name: 'tiny' });

    const tampered = bundleFiles.map((file) => (file.name === 'head.onnx' ? new File([new Uint8Array(file.size)], file.name) : file));
    await expect(convert.install(2, { ...bundleRequest, source: { ...bundleRequest.source, files: tampered } as InstallRequest['source'] }, undefined)).rejects.toThrow(/head\.onnx: sha256 .* does not match/);
    expect((await convert.list()).map((m) => m.id)).toEqual([]); // the same id: discarded, nothing half-written

    const checkpoint = tinyHubCheckpointFiles();
    const mark = hub.requests.length;
    const stored = await convert.install(3, { source: { kind: 'files', label: 'my-checkpoint', files: checkpoint, endpoint: hub.url }, dtype: 'auto' }, undefined);
    expect(stored).toMatchObject({ id: 'local-my-checkpoint-fp32', complete: true, numLayers: 4 });
    // Side files the folder lacks come from the hub; the checkpoint itself never touches the network.
    expect(hub.requests.slice(mark).map((r) => r.repo)).not.toContain(TINY_REPO);
  });

  it('deletes a stored model', async () => {
    const storage = memoryStorage();
    const convert = service(storage);
    const stored = await convert.install(1, hubRequest(), undefined);
    await convert.remove(stored.id);
    expect(await convert.list()).toEqual([]);
    expect(storage.paths()).toEqual([]);
  });
});
