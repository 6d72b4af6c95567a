/**
 * The browser side of the bench: Vite dev server (COOP/COEP, the project's own config) and
 * headless Chromium from tests/browser/, the harness page in tests/browser/bench/, one worker per
 * backend. WebGPU runs only on a real adapter: SwiftShader's CPU fallback is not a timing target.
 */
import type { BackendEntry, BackendRun } from '../../src/bench/results';
import { launchChromium } from '../../tests/browser/chromium';
import { startLabServer } from '../../tests/browser/server';
import type { BenchJob, WebGpuProbe } from '../../tests/browser/bench/bench.worker';

export interface BrowserResults {
  browser: string;
  wasm: BackendEntry;
  webgpu: BackendEntry;
}

declare global {
  interface Window {
    benchReady?: boolean;
    benchRun(job: BenchJob): Promise<BackendRun & { crossOriginIsolated: boolean }>;
    benchProbeWebGpu(): Promise<WebGpuProbe>;
  }
}

function failure(error: unknown): BackendEntry {
  return { status: 'failed', reason: error instanceof Error ? error.message.split('\n')[0] : String(error) };
}

export async function runChromium(bundleDir: string, job: Omit<BenchJob, 'bundleUrl' | 'backend'>, log: (line: string) => void): Promise<BrowserResults> {
  const server = await startLabServer();
  const browser = await launchChromium();
  try {
    const { page, errors } = await browser.newPage();
    await page.goto(`${server.origin}/tests/browser/bench/bench.html`);
    await page.waitForFunction(() => window.benchReady === true, undefined, { timeout: 60_000 });
    const userAgent = await page.evaluate(() => navigator.userAgent);
    const version = /Chrome\/([\d.]+)/.exec(userAgent)?.[1] ?? 'unknown';
    const bundleUrl = server.fsUrl(`${bundleDir}/`);

    let wasm: BackendEntry;
    try {
      const run = await page.evaluate((j) => window.benchRun(j), { ...job, bundleUrl, backend: 'wasm' as const });
      if (!run.crossOriginIsolated) throw new Error('the worker is not cross-origin isolated: WASM threads are off');
      const { crossOriginIsolated: _, ...backendRun } = run;
      wasm = { status: 'ok', run: backendRun };
      log(`Chromium WASM: ${run.plain.steps} steps`);
    } catch (error) {
      wasm = failure(error);
    }

    let webgpu: BackendEntry;
    const probe = await page.evaluate(() => window.benchProbeWebGpu());
    const adapter = probe.adapter;
    if (!adapter) webgpu = { status: 'skipped', reason: `no WebGPU adapter (${probe.reason})` };
    else if (adapter.isFallbackAdapter || /swiftshader/i.test(`${adapter.architecture} ${adapter.description} ${adapter.vendor}`)) {
      webgpu = { status: 'skipped', reason: `only a software adapter (${adapter.vendor} ${adapter.architecture}, SwiftShader fallback): not a timing target` };
    } else {
      try {
        const { crossOriginIsolated: _, ...run } = await page.evaluate((j) => window.benchRun(j), { ...job, bundleUrl, backend: 'webgpu' as const });
        webgpu = { status: 'ok', run: { ...run, description: `${run.description} (${adapter.vendor} ${adapter.architecture})` } };
      } catch (error) {
        webgpu = failure(error);
      }
    }
    if (errors.messages.length) log(`browser console errors: ${errors.messages.join(' | ')}`);
    return { browser: `Chromium ${version} (headless)`, wasm, webgpu };
  } finally {
    await browser.close();
    await server.close();
  }
}
