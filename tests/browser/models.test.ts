/**
 * The Models panel in real Chromium against a local server in the hub's URL layout
 * (tests/browser/hubServer.ts): `?model=hf:…&hub=…` plans, downloads only the decoder's ranges,
 * converts in the convert worker, commits to the Origin Private File System and generates; a second
 * visit loads from storage with zero weight requests; a dropped connection resumes; corrupted bytes
 * and a full quota fail with one clear line and store nothing; cancel works mid-download and
 * mid-conversion, and installing again resumes.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hfNames } from '../../src/checkpoint/musicgenConfig';
import { launchChromium, type LabBrowser, type PageErrors } from './chromium';
import { SIDE_REPO, TEXT_ENCODER_TENSOR, TINY_REPO, weightRequests } from './hubServer';
import { hubServerForFile } from './hubSuite';
import { startLabServer, type LabServer } from './server';

const SCREENSHOT_DIR = fileURLToPath(new URL('./__screenshots__/', import.meta.url));
const STORED_ID = 'hf-lab-test--musicgen-tiny-main-fp32';

const hub = await hubServerForFile();
let server: LabServer;
let browser: LabBrowser;
let page: Page;
let errors: PageErrors;

/** Every file path in the origin's private file system. */
async function opfsPaths(target: Page): Promise<string[]> {
  return target.evaluate(async () => {
    type Dir = FileSystemDirectoryHandle & { entries(): AsyncIterable<[string, FileSystemHandle]> };
    const out: string[] = [];
    const walk = async (dir: Dir, prefix: string) => {
      for await (const [name, handle] of dir.entries()) {
        if (handle.kind === 'file') out.push(prefix + name);
        else await walk(handle as Dir, `${prefix}${name}/`);
      }
    };
    await walk((await navigator.storage.getDirectory()) as Dir, '');
    return out.sort();
  });
}

function modelUrl(): string {
  // WASM: these tests are about loading; the backend choice has its own tests.
  return `${server.origin}/?model=hf:${TINY_REPO}&hub=${encodeURIComponent(hub.url)}&backend=wasm&view=models`;
}

async function waitForModel(target: Page, name: string): Promise<void> {
  await target.waitForFunction((expected) => document.querySelector('[data-testid=model-name]')?.textContent?.startsWith(expected) ?? false, name, { timeout: 120_000 });
}

/** Waits until the tiny hub model is stored complete and loaded in the engine. */
async function waitForInstalled(target: Page): Promise<void> {
  // The row is marked loaded in the same task that starts the engine load, so the header cannot show a stale model here.
  await target.waitForSelector(`[data-testid=stored-model][data-id="${STORED_ID}"][data-complete=true] .active-tag`, { timeout: 120_000 });
  await waitForModel(target, `${TINY_REPO} · 4 layers`);
}

async function deleteStored(target: Page): Promise<void> {
  const rows = target.locator(`[data-testid=stored-model][data-id="${STORED_ID}"]`);
  if ((await rows.count()) === 0) return;
  await rows.locator('[data-testid=stored-delete]').click();
  await rows.waitFor({ state: 'detached' });
}

async function checkSize(target: Page): Promise<void> {
  await target.fill('[data-testid=hub-repo]', TINY_REPO);
  await target.press('[data-testid=hub-repo]', 'Enter');
  await target.waitForSelector('[data-testid=plan] [data-testid=install]');
}

beforeAll(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  server = await startLabServer();
  browser = await launchChromium();
  ({ page, errors } = await browser.newPage());
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Models panel against a hub-layout server', () => {
  it('?model=hf: shows the size against the storage estimate, then downloads only decoder ranges, converts, stores, loads and generates', async () => {
    const mark = hub.requests.length;
    await page.goto(modelUrl());
    await page.waitForSelector('[data-testid=plan]', { timeout: 120_000 });
    expect(await page.textContent('[data-testid=plan-dtype]')).toMatch(/fp32 weights: no WebGPU adapter with shader-f16/);
    expect(await page.textContent('[data-testid=plan-storage]')).toMatch(/needs [\d.]+ MB while installing; [\d.]+ (GB|TB|MB) free of/);
    await page.locator('[data-testid=models-panel]').screenshot({ path: `${SCREENSHOT_DIR}models-plan.png` });
    // Planning read the checkpoint's header only (HEAD for the side files).
    const [textStart, textEnd] = hub.tensorRange(TEXT_ENCODER_TENSOR);
    const planned = weightRequests(hub.requests.slice(mark));
    expect(planned.map((r) => r.file)).toEqual(['model.safetensors', 'model.safetensors']);
    expect(planned.every((r) => Number(/bytes=\d+-(\d+)/.exec(r.range ?? '')?.[1]) < textStart)).toBe(true);

    const installMark = hub.requests.length;
    await page.click('[data-testid=install]');
    await waitForModel(page, `${TINY_REPO} · 4 layers`);
    const ranges = hub.checkpointRanges(installMark);
    expect(ranges.length).toBeGreaterThan(70);
    expect(ranges.some(([a, b]) => a < textEnd && b > textStart)).toBe(false); // the text-encoder tensor in front is never fetched
    expect(await page.getAttribute(`[data-testid=stored-model][data-id="${STORED_ID}"]`, 'data-complete')).toBe('true');
    const paths = await opfsPaths(page);
    expect(paths).toContain(`musicgen-lab/bundles/${STORED_ID}/manifest.json`);
    expect(paths.filter((p) => p.startsWith('musicgen-lab/downloads/'))).toEqual([]);

    await page.getByLabel('Duration (s)').fill('1');
    await page.click('[data-testid=generate]');
    await page.click('[data-testid=tab-generate]');
    await page.waitForSelector('[data-testid=player]', { timeout: 300_000 });
    await page.click('[data-testid=tab-models]');
    // The run's decoder speed is kept with the stored model, and shown in the list and by the dtype it was made with.
    const storedSpeed = page.locator(`[data-testid=stored-model][data-id="${STORED_ID}"] [data-testid=stored-speed]`);
    await storedSpeed.filter({ hasText: 'steps/s' }).waitFor();
    expect(await storedSpeed.textContent()).toMatch(/^[\d.]+ steps\/s on WASM \(1 run\)$/);
    expect(await page.textContent('[data-testid=dtype-fp32] [data-testid=dtype-speed]')).toMatch(/^[\d.]+ steps\/s on WASM \(1 run\) here$/);
    expect((await opfsPaths(page)).filter((p) => p.endsWith('speed.json'))).toEqual([`musicgen-lab/bundles/${STORED_ID}/speed.json`]);
    expect(await page.textContent('[data-testid=model-dtype]')).toBe('fp32 weights');
    expect(await page.$('[data-testid=quantised-notice]')).toBeNull();
    await page.locator('[data-testid=models-panel]').screenshot({ path: `${SCREENSHOT_DIR}models-stored.png` });
    expect(errors.messages).toEqual([]);
  });

  it('a second visit loads from storage with zero weight requests', async () => {
    const { page: second, errors: secondErrors } = await browser.newPage();
    const mark = hub.requests.length;
    await second.goto(modelUrl());
    await waitForModel(second, `${TINY_REPO} · 4 layers`);
    expect(hub.requests.slice(mark)).toEqual([]); // not even a HEAD
    expect(await second.$('[data-testid=plan]')).toBeNull();
    await second.close();
    expect(secondErrors.messages).toEqual([]);
  });

  it('resumes after the connection drops mid-file', async () => {
    await deleteStored(page);
    const [fc1Start] = hub.tensorRange(hfNames.layer(1, 'fc1.weight'));
    hub.dropOnce({ repo: TINY_REPO, file: 'model.safetensors', offset: fc1Start });
    hub.dropOnce({ repo: SIDE_REPO, file: 'onnx/text_encoder.onnx' });
    const mark = hub.requests.length;
    await checkSize(page);
    await page.click('[data-testid=install]');
    await waitForInstalled(page);
    // Fetched again after the drop (Chromium may add an attempt of its own on a closed keep-alive socket).
    expect(hub.checkpointRanges(mark).filter(([a]) => a === fc1Start).length).toBeGreaterThanOrEqual(2);
    expect(hub.requests.slice(mark).filter((r) => r.method === 'GET' && r.file === 'onnx/text_encoder.onnx').length).toBeGreaterThanOrEqual(2);
  });

  it('refuses corrupted bytes with a clear error and stores nothing', async () => {
    await deleteStored(page);
    hub.corrupt({ repo: SIDE_REPO, file: 'onnx/encodec_decode.onnx' });
    await checkSize(page);
    await page.click('[data-testid=install]');
    await page.waitForSelector('[data-testid=models-message]');
    expect(await page.textContent('[data-testid=models-message] span')).toMatch(/encodec_decode\.onnx arrived corrupted: its sha256 is .* the server says .*Nothing was stored; try again\.$/);
    hub.clearFaults();
    expect((await opfsPaths(page)).filter((p) => p.includes(STORED_ID))).toEqual([]);
    expect(await page.locator('[data-testid=stored-model]').count()).toBe(0);
  });

  it('stops with a clear error when the storage quota is too small, writing nothing', async () => {
    // Chromium has no per-origin quota switch, so the quota is injected into the convert worker:
    // first a small estimate (the check before downloading), then writes that fail as a full quota does.
    const convertWorker = page.workers().find((worker) => worker.url().includes('convert.worker'))!;
    await convertWorker.evaluate(() => {
      const real = StorageManager.prototype.estimate;
      (self as unknown as { restoreEstimate: () => void }).restoreEstimate = () => (StorageManager.prototype.estimate = real);
      StorageManager.prototype.estimate = async () => ({ usage: 1_000_000, quota: 1_200_000 });
    });
    await checkSize(page);
    expect(await page.getAttribute('[data-testid=plan-storage]', 'class')).toBe('status-error');
    await page.click('[data-testid=install]');
    await page.waitForFunction(() => /Not enough browser storage/.test(document.querySelector('[data-testid=models-message]')?.textContent ?? ''));
    expect(await page.textContent('[data-testid=models-message] span')).toMatch(/^Not enough browser storage for this model \(about [\d.]+ MB are needed\).*Nothing was kept\.$/);
    expect((await opfsPaths(page)).filter((p) => p.includes(STORED_ID))).toEqual([]);
    await page.click('[data-testid=models-message] button');

    await convertWorker.evaluate(() => {
      (self as unknown as { restoreEstimate: () => void }).restoreEstimate();
      let written = 0;
      const write = FileSystemWritableFileStream.prototype.write;
      FileSystemWritableFileStream.prototype.write = function (this: FileSystemWritableFileStream, data: FileSystemWriteChunkType) {
        written += (data as Uint8Array).byteLength ?? 0;
        if (written > 600_000) return Promise.reject(new DOMException('The operation failed because it would cause the application to exceed its storage quota.', 'QuotaExceededError'));
        return write.call(this, data);
      };
      (self as unknown as { restoreWrite: () => void }).restoreWrite = () => (FileSystemWritableFileStream.prototype.write = write);
    });
    try {
      await checkSize(page);
      await page.click('[data-testid=install]');
      await page.waitForSelector('[data-testid=models-message]');
      expect(await page.textContent('[data-testid=models-message] span')).toMatch(/^Not enough browser storage for this model: .*Nothing was kept\.$/);
      expect((await opfsPaths(page)).filter((p) => p.includes(STORED_ID))).toEqual([]);
      expect(await page.locator('[data-testid=stored-model]').count()).toBe(0);
      await page.click('[data-testid=models-message] button');
    } finally {
      await convertWorker.evaluate(() => (self as unknown as { restoreWrite: () => void }).restoreWrite());
    }
  });

  it('cancels mid-download and mid-conversion; installing again resumes from the stored ranges', async () => {
    const download = hub.stall({ repo: SIDE_REPO, file: 'onnx/text_encoder.onnx' });
    await checkSize(page);
    await page.click('[data-testid=install]');
    await download.stalled;
    await page.waitForFunction(() => document.querySelector('[data-testid=install-phase]')?.textContent === 'Downloading');
    await page.locator('[data-testid=models-panel]').screenshot({ path: `${SCREENSHOT_DIR}models-downloading.png` });
    await page.click('[data-testid=install-cancel]');
    await page.waitForSelector('[data-testid=models-message]');
    download.release();
    expect(await page.textContent('[data-testid=models-message] span')).toMatch(/^Cancelled\. Downloaded ranges are kept/);

    const [stallAt] = hub.tensorRange(hfNames.layer(2, 'fc1.weight'));
    const conversion = hub.stall({ repo: TINY_REPO, file: 'model.safetensors', offset: stallAt });
    const conversionMark = hub.requests.length;
    await checkSize(page);
    await page.click('[data-testid=install]');
    await conversion.stalled;
    await page.waitForFunction(() => document.querySelector('[data-testid=install-phase]')?.textContent === 'Converting');
    const beforeCancel = hub.checkpointRanges(conversionMark).map(([a]) => a);
    await page.keyboard.press('Escape'); // Escape cancels an install like every other job of the page
    await page.waitForSelector('[data-testid=models-message]');
    conversion.release();
    expect(await page.textContent('[data-testid=models-message] span')).toMatch(/^Cancelled\./);
    const row = page.locator(`[data-testid=stored-model][data-id="${STORED_ID}"]`);
    expect(await row.getAttribute('data-complete')).toBe('false');
    expect((await opfsPaths(page)).some((p) => p.endsWith(`${STORED_ID}/manifest.json`))).toBe(false);

    const mark = hub.requests.length;
    await checkSize(page);
    expect(await page.textContent('[data-testid=plan-download]')).toMatch(/already downloaded: resumes/);
    await page.click('[data-testid=install]');
    await waitForInstalled(page);
    const refetched = hub.checkpointRanges(mark).filter(([a]) => beforeCancel.includes(a) && a > 8 && a !== stallAt);
    expect(refetched.length).toBeLessThanOrEqual(1); // at most the header, which a new plan reads again
    expect(weightRequests(hub.requests.slice(mark)).filter((r) => r.file.endsWith('.onnx'))).toEqual([]);
  });

  it('stores and loads a picked bundle folder', async () => {
    await page.setInputFiles('[data-testid=local-folder]', fileURLToPath(new URL('../../models/tiny/', import.meta.url)));
    await page.waitForSelector('[data-testid=plan] [data-testid=install]');
    expect(await page.textContent('[data-testid=plan-download]')).toBe('0 B');
    await page.click('[data-testid=install]');
    await page.waitForSelector('[data-testid=stored-model][data-id="local-tiny-fp32"][data-complete=true] .active-tag', { timeout: 120_000 });
    await waitForModel(page, 'tiny · 4 layers');
  });

  it('offers every dtype with its estimated size; the keyboard picks q8 and the plan follows', async () => {
    await checkSize(page);
    const sizes: Record<string, number> = {};
    for (const dtype of ['fp32', 'fp16', 'q8', 'q4']) {
      const text = (await page.textContent(`[data-testid=dtype-${dtype}] [data-testid=dtype-size]`)) ?? '';
      const match = /^([\d.]+) (kB|MB)$/.exec(text);
      expect(match, `${dtype}: "${text}"`).not.toBeNull();
      sizes[dtype] = Number(match![1]) * (match![2] === 'MB' ? 1e6 : 1e3);
    }
    expect(sizes.fp32).toBeGreaterThan(sizes.fp16);
    expect(sizes.fp16).toBeGreaterThan(sizes.q8);
    expect(sizes.q8).toBeGreaterThan(sizes.q4);
    expect(await page.textContent('[data-testid=dtype-auto]')).toMatch(/^auto \(fp32 here\)/);
    expect(await page.textContent('[data-testid=dtype-q8]')).toMatch(/quantised/);

    // Radio buttons: focus the checked one, arrows move the choice (auto → fp32 → fp16 → q8).
    await page.focus('[data-testid=dtype-auto] input');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    expect(await page.isChecked('[data-testid=dtype-q8] input')).toBe(true);
    await page.waitForFunction(() => /^q8 \(int8\) weights, as asked: every figure is computed on quantised weights$/.test(document.querySelector('[data-testid=plan-dtype]')?.textContent ?? ''));
    await page.locator('[data-testid=models-panel]').screenshot({ path: `${SCREENSHOT_DIR}models-dtype.png` });
    await page.click('[data-testid=dtype-auto] input');
    await page.waitForFunction(() => /^fp32 weights/.test(document.querySelector('[data-testid=plan-dtype]')?.textContent ?? ''));
  });

  it('installs a q8 bundle as its own stored model, and every view with figures says they are computed on quantised weights', async () => {
    const q8Id = 'hf-lab-test--musicgen-tiny-main-q8';
    await checkSize(page);
    await page.click('[data-testid=dtype-q8] input');
    await page.waitForFunction(() => /^q8 \(int8\) weights, as asked/.test(document.querySelector('[data-testid=plan-dtype]')?.textContent ?? ''));
    await page.click('[data-testid=install]');
    await page.waitForSelector(`[data-testid=stored-model][data-id="${q8Id}"][data-complete=true] .active-tag`, { timeout: 120_000 });
    await waitForModel(page, `${TINY_REPO} · 4 layers`);
    expect(await page.getAttribute(`[data-testid=stored-model][data-id="${STORED_ID}"]`, 'data-complete')).toBe('true'); // the fp32 copy stays
    expect(await page.textContent('[data-testid=model-dtype]')).toBe('q8 weights: figures are computed on quantised weights');

    for (const view of ['lens', 'interventions']) {
      await page.click(`[data-testid=tab-${view}]`);
      const notice = page.locator('[data-testid=quantised-notice]');
      await notice.waitFor();
      expect(await notice.textContent()).toMatch(/^Quantised weights \(q8 \(int8\)\)\. Every figure here is computed on the quantised model/);
      if (view === 'lens') await page.locator('main').screenshot({ path: `${SCREENSHOT_DIR}models-q8-lens.png` });
    }

    await page.click('[data-testid=tab-generate]');
    await page.click('[data-testid=generate]');
    await page.waitForFunction(() => document.querySelector('[data-testid=provenance-dtype]')?.textContent === 'q8 (quantised)', undefined, { timeout: 300_000 });
    await page.click('[data-testid=tab-models]');
    const q8Speed = page.locator(`[data-testid=stored-model][data-id="${q8Id}"] [data-testid=stored-speed]`);
    await q8Speed.filter({ hasText: 'steps/s' }).waitFor();
    expect(await page.textContent('[data-testid=dtype-q8] [data-testid=dtype-speed]')).toMatch(/^[\d.]+ steps\/s on WASM \(1 run\) here$/);
    await page.locator('[data-testid=models-panel]').screenshot({ path: `${SCREENSHOT_DIR}models-q8-stored.png` });
  });

  it('logged no console errors, faults included', async () => {
    expect(errors.messages).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}models-page.png`, fullPage: true });
  });
});
