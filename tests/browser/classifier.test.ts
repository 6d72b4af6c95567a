/**
 * The classifier in real Chromium: the lab's classifier worker (workers/classifier.worker.ts,
 * bundled by Vite) loads the bundled tiny classifier over HTTP and classifies 32 kHz clips on
 * WASM and in automatic mode (WebGPU first; SwiftShader's adapter in headless mode), and the AST
 * features reproduce the ast-fbank fixture in the page.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FbankFixtureReport } from '../../src/classifier/fbankFixture';
import type { RankedLabel } from '../../src/classifier/topLabels';
import { launchChromium, type LabBrowser, type PageErrors } from './chromium';
import { SHARED_FIXTURES, startLabServer, type LabServer } from './server';

interface ClassifierRun {
  info: { name: string; modelFile: string; labelCount: number; backend: string; backendDetail: string; fallbackReason: string | null };
  loadEvents: string[];
  classifyEvents: string[];
  clips: { logits: number[]; probabilitySum: number; top: RankedLabel[] }[];
}

declare global {
  interface Window {
    harnessReady?: boolean;
    runClassifier(backend: 'wasm' | 'webgpu' | 'auto'): Promise<ClassifierRun>;
    runFbankFixture(baseUrl: string): Promise<FbankFixtureReport>;
  }
}

describe('classifier worker in Chromium', () => {
  let server: LabServer;
  let browser: LabBrowser;
  let page: Page;
  let errors: PageErrors;
  let wasmRun: ClassifierRun;

  beforeAll(async () => {
    server = await startLabServer();
    browser = await launchChromium();
    ({ page, errors } = await browser.newPage());
    await page.goto(`${server.origin}/tests/browser/harness/classifier.html`);
    await page.waitForFunction(() => window.harnessReady === true);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads the bundled tiny classifier over HTTP and classifies clips on WASM', async () => {
    wasmRun = await page.evaluate(() => window.runClassifier('wasm'));
    expect(wasmRun.info).toMatchObject({ modelFile: 'onnx/model.onnx', labelCount: 527, backend: 'wasm', fallbackReason: null });
    expect(wasmRun.info.name).toMatch(/\/models\/classifiers\/ast-tiny$/);
    expect(wasmRun.loadEvents).toEqual(['config.json', 'preprocessor_config.json', 'onnx/model.onnx']);
    // Progress crosses as comlink messages that may trail the result: the events seen are an
    // in-order prefix of the batches (2 of 3 clips, then 3 of 3), never anything else.
    expect(wasmRun.classifyEvents.length).toBeGreaterThan(0);
    expect(wasmRun.classifyEvents).toEqual(['2/3', '3/3'].slice(0, wasmRun.classifyEvents.length));
    expect(wasmRun.clips).toHaveLength(3);
    for (const clip of wasmRun.clips) {
      expect(clip.logits).toHaveLength(527);
      expect(clip.probabilitySum).toBeCloseTo(1, 9);
      expect(clip.top).toHaveLength(3);
    }
    expect(wasmRun.clips[0].logits).toEqual(wasmRun.clips[2].logits);
    expect(wasmRun.clips[0].logits).not.toEqual(wasmRun.clips[1].logits);
  });

  it('in automatic mode passes over SwiftShader (a software adapter) to WASM and says why', async () => {
    const run = await page.evaluate(() => window.runClassifier('auto'));
    expect(run.info.backend).toBe('wasm');
    expect(run.info.fallbackReason).toMatch(/swiftshader/i);
  });

  it('runs on WebGPU when asked for it (SwiftShader headless) and agrees with WASM', async () => {
    const run = await page.evaluate(() => window.runClassifier('webgpu'));
    expect(run.info.backend).toBe('webgpu');
    expect(run.info.backendDetail).toMatch(/WebGPU/);
    run.clips.forEach((clip, i) => clip.logits.forEach((logit, c) => expect(logit).toBeCloseTo(wasmRun.clips[i].logits[c], 3)));
  });

  it('reproduces the ast-fbank fixture in the browser', async () => {
    const report = await page.evaluate((url) => window.runFbankFixture(url), server.fsUrl(`${SHARED_FIXTURES}/ast-fbank/`));
    expect(report.cases).toHaveLength(5);
    expect(report.passed).toBe(true);
  });

  it('logged no console errors', () => {
    expect(errors.messages).toEqual([]);
  });
});
