/**
 * Launches the system Chromium (Debian, /usr/bin/chromium) through playwright-core for the
 * browser tests, and records every console error and uncaught page error so a test can assert
 * that the page stayed clean.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for a quiet, reproducible headless run (playwright itself adds `--headless`, `--no-sandbox`
 * and `--enable-unsafe-swiftshader`). WebGPU: on a machine without a GPU, `--enable-unsafe-webgpu`
 * is enough for Chromium 156 to expose SwiftShader's fallback adapter (a CPU Vulkan; probed:
 * vendor "google", architecture "swiftshader", no shader-f16). It is correct but very slow, so
 * browser tests check correctness, never timing. No `--enable-features=...` here: a second
 * `--enable-features` switch would replace the one playwright passes.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-dev-shm-usage', // /dev/shm is small in containers
  '--enable-unsafe-webgpu',
];

/** What a page reported while a test drove it. */
export interface PageErrors {
  /** `console.error` messages and uncaught errors, in order. */
  messages: string[];
}

export interface LabBrowser {
  context: BrowserContext;
  /** Opens a fresh page whose console errors and page errors are collected into `errors`. */
  newPage(): Promise<{ page: Page; errors: PageErrors }>;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh user-data-dir (no profile state leaks between runs). */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<LabBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'musicgen-lab-chromium-'));
  // launchPersistentContext is playwright's way to choose the user-data-dir.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      const errors: PageErrors = { messages: [] };
      page.on('console', (message: ConsoleMessage) => {
        if (message.type() === 'error') errors.messages.push(`console.error: ${message.text()}`);
      });
      page.on('pageerror', (error: Error) => errors.messages.push(`pageerror: ${error.message}`));
      // Errors thrown inside Web Workers surface here, not as page errors.
      page.on('worker', (worker) => {
        worker.on('console', (message: ConsoleMessage) => {
          if (message.type() === 'error') errors.messages.push(`worker console.error: ${message.text()}`);
        });
      });
      return { page, errors };
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
