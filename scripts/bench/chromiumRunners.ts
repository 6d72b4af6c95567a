/**
 * The browser side of the bench: Vite dev server (COOP/COEP, the project's own config) and
 * headless Chromium from tests/browser/, the harness page in tests/browser/bench/, one worker per
 * runner. WebGPU counts only on a real adapter: SwiftShader's CPU fallback is not a timing target.
 */
import type { Workload } from '../../src/bench/plan';
import type { Block } from '../../src/bench/results';
import { launchChromium } from '../../tests/browser/chromium';
import { startLabServer } from '../../tests/browser/server';
import { classifyAdapter, type GpuAdapter, type WebGpuProbe } from '../../src/bench/gpu';
import type { BrowserRunnerJob } from '../../tests/browser/bench/bench.worker';
import type { GenerationInfo, OpenInfo, RunnerHandle } from './protocol';

declare global {
  interface Window {
    benchReady?: boolean;
    benchOpen(id: string, job: BrowserRunnerJob): Promise<OpenInfo>;
    benchGeneration(id: string): Promise<GenerationInfo>;
    benchBlock(id: string, workload: Workload, steps: number): Promise<Block>;
    benchClose(id: string): Promise<void>;
    benchProbeWebGpu(): Promise<WebGpuProbe>;
  }
}

export interface ChromiumSession {
  browser: string; // "Chromium 156.0.0.0 (headless)"
  adapter: GpuAdapter;
  /** A URL Vite serves a folder of the disk at (the bench's cache). */
  folderUrl(dir: string): string;
  start(id: string, job: BrowserRunnerJob): RunnerHandle;
  close(): Promise<void>;
}

/** A runner's error reaches the bench as a rejection of page.evaluate: keep its first line. */
const rethrow = (error: unknown): never => {
  throw new Error(error instanceof Error ? error.message.split('\n')[0] : String(error));
};

export async function openChromium(log: (line: string) => void): Promise<ChromiumSession> {
  const server = await startLabServer();
  // Developer features unmask the adapter's description (its GPU's name, for the bandwidth table).
  const browser = await launchChromium({ extraArgs: ['--enable-webgpu-developer-features'] }).catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  try {
    const { page, errors } = await browser.newPage();
    await page.goto(`${server.origin}/tests/browser/bench/bench.html`);
    await page.waitForFunction(() => window.benchReady === true, undefined, { timeout: 60_000 });
    const userAgent = await page.evaluate(() => navigator.userAgent);
    const adapter = classifyAdapter(await page.evaluate(() => window.benchProbeWebGpu()));
    return {
      browser: `Chromium ${/Chrome\/([\d.]+)/.exec(userAgent)?.[1] ?? 'unknown'} (headless)`,
      adapter,
      folderUrl: (dir) => server.fsUrl(`${dir}/`),
      start: (id, job) => ({
        open: () => page.evaluate(([i, j]) => window.benchOpen(i, j), [id, job] as const).catch(rethrow),
        generation: () => page.evaluate((i) => window.benchGeneration(i), id).catch(rethrow),
        block: (workload, steps) => page.evaluate(([i, w, s]) => window.benchBlock(i, w, s), [id, workload, steps] as const).catch(rethrow),
        close: () => page.evaluate((i) => window.benchClose(i), id).catch(rethrow),
      }),
      async close() {
        if (errors.messages.length) log(`browser console errors: ${errors.messages.join(' | ')}`);
        await browser.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser.close();
    await server.close();
    throw error;
  }
}
