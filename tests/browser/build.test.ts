/**
 * The static build hosts the whole lab: `vite build` bundles onnxruntime-web's .wasm files and
 * the engine worker, copies models/ into the output, and a preview server (COOP/COEP) runs it.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LabBrowser } from './chromium';
import { PROJECT_ROOT } from './server';

describe('static build', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'musicgen-lab-dist-'));
  let server: PreviewServer;
  let browser: LabBrowser;

  beforeAll(async () => {
    const configFile = join(PROJECT_ROOT, 'vite.config.ts');
    await build({ root: PROJECT_ROOT, configFile, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    server = await preview({ root: PROJECT_ROOT, configFile, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: true } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.httpServer.close(() => resolve()) : resolve()));
    rmSync(outDir, { recursive: true, force: true });
  });

  it('contains the onnxruntime-web WASM binaries, the worker and the demo model', () => {
    const assets = readdirSync(join(outDir, 'assets'));
    expect(assets.some((name) => /^ort-wasm-simd-threaded\.jsep-.*\.wasm$/.test(name))).toBe(true);
    expect(assets.some((name) => /^engine\.worker-.*\.js$/.test(name))).toBe(true);
    expect(existsSync(join(outDir, 'models/tiny/manifest.json'))).toBe(true);
  });

  it('serves a cross-origin isolated page that loads the model and generates', async () => {
    const address = server.httpServer.address();
    if (!address || typeof address === 'string') throw new Error(`preview server has no TCP address: ${String(address)}`);
    const { page, errors } = await browser.newPage();
    await page.goto(`http://127.0.0.1:${address.port}/?backend=wasm`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.waitForSelector('[data-testid=backend]', { timeout: 120_000 });
    await page.getByLabel('Duration (s)').fill('0.2');
    await page.click('[data-testid=generate]');
    await page.waitForSelector('[data-testid=player]', { timeout: 120_000 });
    expect(await page.textContent('[data-testid=clip-duration]')).toBe('0.20 s');
    expect(errors.messages).toEqual([]);
  });
});
