/**
 * The golden check (engine == MusicGen's computation) in real Chromium, inside a Web Worker, on
 * both browser backends: WASM, and WebGPU (headless: SwiftShader's CPU adapter, correctness only).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GoldenReport } from '../../src/golden/goldenCheck';
import { launchChromium, type LabBrowser, type PageErrors } from './chromium';
import { SHARED_FIXTURES, startLabServer, type LabServer } from './server';

type HarnessReport = GoldenReport & { runtime: string; crossOriginIsolated: boolean };
type WebGpuProbe = { adapter: { vendor: string; architecture: string; isFallbackAdapter: boolean } | null; reason?: string };

declare global {
  interface Window {
    harnessReady?: boolean;
    probeWebGpu(): Promise<WebGpuProbe>;
    runGolden(fixturesUrl: string, backend: 'wasm' | 'webgpu'): Promise<HarnessReport>;
  }
}

function describeFailures(report: HarnessReport): string {
  const failed = report.checks.filter((check) => !check.passed);
  return `${report.runtime}: ${failed.length} of ${report.checks.length} checks failed\n` + failed.map((check) => `  ${check.name}: ${check.detail}`).join('\n');
}

describe('golden check in a browser worker', () => {
  let server: LabServer;
  let browser: LabBrowser;
  let page: Page;
  let errors: PageErrors;
  let fixturesUrl: string;

  beforeAll(async () => {
    server = await startLabServer();
    browser = await launchChromium();
    ({ page, errors } = await browser.newPage());
    fixturesUrl = server.fsUrl(`${SHARED_FIXTURES}/golden-tiny/`);
    await page.goto(`${server.origin}/tests/browser/harness/golden.html`);
    await page.waitForFunction(() => window.harnessReady === true);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is cross-origin isolated (multi-threaded WASM)', async () => {
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  });

  it('passes every check on WASM', async () => {
    const report = await page.evaluate((url) => window.runGolden(url, 'wasm'), fixturesUrl);
    expect(report.crossOriginIsolated).toBe(true);
    expect(report.checks.length).toBeGreaterThan(0);
    expect(report.passed, describeFailures(report)).toBe(true);
    expect(report.checks.every((check) => check.passed)).toBe(true);
  });

  it('has a WebGPU adapter in a worker', async () => {
    const probe = await page.evaluate(() => window.probeWebGpu());
    // No skip: without an adapter the WebGPU half of the proof is missing, so say why and fail.
    expect(probe.adapter, `WebGPU has no adapter in this Chromium: ${probe.reason}`).not.toBeNull();
  });

  it('passes every check on WebGPU', async () => {
    const report = await page.evaluate((url) => window.runGolden(url, 'webgpu'), fixturesUrl);
    expect(report.runtime).toMatch(/WebGPU/);
    expect(report.checks.length).toBeGreaterThan(0);
    expect(report.passed, describeFailures(report)).toBe(true);
    expect(report.checks.every((check) => check.passed)).toBe(true);
  });

  it('logged no console errors', () => {
    expect(errors.messages).toEqual([]);
  });
});
