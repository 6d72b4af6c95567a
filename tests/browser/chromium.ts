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
];

const WEBGPU_ARGS: readonly string[] = ['--enable-unsafe-webgpu'];

export interface LaunchOptions {
  /** Expose WebGPU (SwiftShader's adapter when there is no GPU). Default true. */
  webgpu?: boolean;
  extraArgs?: readonly string[];
}

/** What a page reported while a test drove it. */
export interface PageErrors {
  /** `console.error` messages and uncaught errors (page and workers), in order. */
  messages: string[];
  /** onnxruntime's own warnings, which its WASM logger prints through console.error. */
  runtimeWarnings: string[];
}

/** onnxruntime-web tags each log line with its severity: `[W:onnxruntime:...]` is a warning. */
const ORT_WARNING = /\[W:onnxruntime:/;

export interface LabBrowser {
  context: BrowserContext;
  /** Opens a fresh page whose console errors and page errors are collected into `errors`. */
  newPage(): Promise<{ page: Page; errors: PageErrors }>;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh user-data-dir (no profile state leaks between runs). */
export async function launchChromium({ webgpu = true, extraArgs = [] }: LaunchOptions = {}): Promise<LabBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'musicgen-lab-chromium-'));
  // launchPersistentContext is playwright's way to choose the user-data-dir.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(webgpu ? WEBGPU_ARGS : []), ...extraArgs],
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      const errors: PageErrors = { messages: [], runtimeWarnings: [] };
      const record = (where: string) => (message: ConsoleMessage) => {
        if (message.type() !== 'error') return;
        const text = message.text();
        if (ORT_WARNING.test(text)) errors.runtimeWarnings.push(text);
        else errors.messages.push(`${where} console.error: ${text}`);
      };
      // Chromium reports a worker's console messages on the page too; listening there alone
      // records each message once.
      page.on('console', record('page'));
      page.on('pageerror', (error: Error) => errors.messages.push(`pageerror: ${error.message}`));
      return { page, errors };
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
