/**
 * The browser's means store in real Chromium: IndexedDB keeps means across a reload, a finished
 * file replaces the unfinished state it resumes, and importing another model's file is refused
 * with one clear line.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createMeanSums } from '../../src/analysis/means/kernel';
import type { decodeMeansFile, encodeMeans, encodeMeanSums } from '../../src/analysis/means/meansFile';
import type { MeansStore } from '../../src/analysis/means/meansStore';
import { launchChromium, type LabBrowser, type PageErrors } from './chromium';
import { startLabServer, type LabServer } from './server';
import { testMeansKey } from '../helpers/meansFiles';

declare global {
  interface Window {
    harnessReady?: boolean;
    means: {
      MeansStore: typeof MeansStore;
      createMeanSums: typeof createMeanSums;
      decodeMeansFile: typeof decodeMeansFile;
      encodeMeans: typeof encodeMeans;
      encodeMeanSums: typeof encodeMeanSums;
    };
  }
}

const key = testMeansKey();

describe('means store in Chromium (IndexedDB)', () => {
  let server: LabServer;
  let browser: LabBrowser;
  let page: Page;
  let errors: PageErrors;

  const open = async () => {
    await page.goto(`${server.origin}/tests/browser/harness/meansStore.html`);
    await page.waitForFunction(() => window.harnessReady === true);
  };

  beforeAll(async () => {
    server = await startLabServer();
    browser = await launchChromium({ webgpu: false });
    ({ page, errors } = await browser.newPage());
    await open();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('keeps an unfinished state, then the finished means (float16) in its place, across a reload', async () => {
    const before = await page.evaluate(async (key) => {
      const { MeansStore, createMeanSums, encodeMeans, encodeMeanSums } = window.means;
      const store = await MeansStore.open();
      const state = createMeanSums(['blocks.0.hook_mlp_out'], 2, 3);
      state.sums.get('blocks.0.hook_mlp_out')!.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      state.count = 1;
      await store.put(encodeMeanSums(state, key, ['p1', 'p2']));
      const partial = (await store.list()).map((i) => [i.id.endsWith('.partial'), i.values, i.count]);
      state.sums.get('blocks.0.hook_mlp_out')!.set([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
      state.count = 2;
      await store.put(encodeMeans(state, key, ['p1', 'p2'], 'F16'));
      const finished = (await store.list()).map((i) => [i.id.endsWith('.partial'), i.values, i.count]);
      store.close();
      return { partial, finished };
    }, key);
    expect(before.partial).toEqual([[true, 'sum', 1]]);
    expect(before.finished).toEqual([[false, 'mean', 2]]);

    await open(); // a reload
    const after = await page.evaluate(async (key) => {
      const { MeansStore, decodeMeansFile } = window.means;
      const store = await MeansStore.open();
      const found = await store.find(key);
      store.close();
      if (!found) return null;
      const file = await decodeMeansFile(found.file, 'stored');
      return { values: found.info.values, means: Array.from(file.tensors.get('blocks.0.hook_mlp_out')!) };
    }, key);
    expect(after).toEqual({ values: 'mean', means: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] });
  });

  it("refuses to import another model's means file with a clear error, and imports this model's", async () => {
    const result = await page.evaluate(async (key) => {
      const { MeansStore, createMeanSums, encodeMeans } = window.means;
      const store = await MeansStore.open();
      const state = createMeanSums(['blocks.0.hook_mlp_out'], 2, 3);
      state.count = 2;
      const model = { bundle: key.bundle, modelName: 'tiny', numLayers: 4, hiddenSize: 3 };
      const foreign = encodeMeans(state, { ...key, bundle: 'c'.repeat(64), modelName: 'musicgen-small' }, ['p1', 'p2']);
      let refused = '';
      try {
        await store.importFile(foreign, 'piano.safetensors', model);
      } catch (error) {
        refused = (error as Error).message;
      }
      const notMeans = await store.importFile(new Uint8Array(16), 'song.wav', model).then(() => '', (error: Error) => error.message);
      const imported = await store.importFile(encodeMeans(state, key, ['p1', 'p2']), 'guitar.safetensors', model);
      const count = (await store.list()).length;
      await store.delete(imported.id);
      const afterDelete = (await store.list()).length;
      store.close();
      return { refused, notMeans, imported: imported.values, count, afterDelete };
    }, key);
    expect(result.refused).toMatch(/^piano\.safetensors: these means belong to another model \("musicgen-small", bundle cccccccccccc…\), not the loaded "tiny"/);
    expect(result.notMeans).toMatch(/^song\.wav: not a means file/);
    expect(result.imported).toBe('mean');
    expect(result.count).toBe(1); // the same key: the import replaced the earlier finished file
    expect(result.afterDelete).toBe(0);
  });

  it('logged no console errors', () => {
    expect(errors.messages).toEqual([]);
  });
});
