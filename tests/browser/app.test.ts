/**
 * The lab page end to end in real Chromium: the bundled tiny model loads in the engine worker,
 * a 1-second generation plays back as a waveform, a DecoderLens batch gives one player per depth,
 * Escape cancels a running job, and the page logs no errors.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LabBrowser, type PageErrors } from './chromium';
import { startLabServer, type LabServer } from './server';

const SCREENSHOT_DIR = fileURLToPath(new URL('./__screenshots__/', import.meta.url));
const FRAME_SECONDS = 1 / 50; // one EnCodec frame
const TINY_LAYERS = 4; // models/tiny (scripts/make-tiny.ts)

/** Durations (s) of the <audio> elements of the given players, once their metadata has loaded. */
async function audioDurations(page: Page, playerSelector: string): Promise<number[]> {
  await page.waitForFunction(
    (selector) => [...document.querySelectorAll<HTMLAudioElement>(`${selector} audio`)].every((audio) => audio.readyState >= 1),
    playerSelector,
  );
  return page.$$eval(`${playerSelector} audio`, (audios) => audios.map((audio) => (audio as HTMLAudioElement).duration));
}

/** Starts a generation of `seconds`, presses Escape once a step has run; resolves when the job ended. */
async function generateThenEscape(page: Page, seconds: number): Promise<void> {
  await page.getByLabel('Duration (s)').fill(String(seconds));
  await page.click('[data-testid=generate]');
  await page.waitForFunction(() => /step [1-9]/.test(document.querySelector('[data-testid=progress-label]')?.textContent ?? ''), undefined, { timeout: 120_000 });
  await page.keyboard.press('Escape');
  // 20 s of audio takes minutes on either backend here; ending within seconds means it was cancelled.
  await page.waitForSelector('[data-testid=progress]', { state: 'detached', timeout: 15_000 });
}

let server: LabServer;
let browser: LabBrowser;

beforeAll(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  server = await startLabServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('lab page (default backend choice)', () => {
  let page: Page;
  let errors: PageErrors;

  beforeAll(async () => {
    ({ page, errors } = await browser.newPage());
    await page.goto(server.origin + '/');
  });

  it('loads the tiny demo model in the worker, on WebGPU when there is an adapter', async () => {
    await page.waitForSelector('[data-testid=backend]', { timeout: 120_000 });
    expect(await page.textContent('[data-testid=model-name]')).toContain(`${TINY_LAYERS} layers`);
    // Headless Chromium with --enable-unsafe-webgpu has SwiftShader's adapter, so auto picks WebGPU.
    expect(await page.textContent('[data-testid=backend]')).toBe('WebGPU');
    expect(await page.textContent('[data-testid=demo-banner]')).toMatch(/random weights.*noise/i);
    expect(await page.inputValue('#prompt')).toMatch(/^Compose a happy rock piece/);
  });

  it('generates 1 second from a typed prompt (Ctrl+Enter) and shows a playable waveform', async () => {
    await page.getByLabel('Duration (s)').fill('1');
    await page.fill('#prompt', 'Compose a calm jazz piece, with a piano melody. Use a slow tempo.');
    await page.focus('#prompt');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('[data-testid=progress]');
    await page.waitForSelector('[data-testid=player]', { timeout: 300_000 });

    const [duration] = await audioDurations(page, '[data-testid=player]');
    expect(Math.abs(duration - 1)).toBeLessThanOrEqual(FRAME_SECONDS);
    // wavesurfer draws into a shadow root inside the waveform container.
    expect(await page.$eval('[data-testid=waveform]', (el) => el.firstElementChild?.shadowRoot?.querySelector('canvas') !== null)).toBe(true);
    const href = await page.getAttribute('[data-testid=download]', 'href');
    expect(href).toMatch(/^blob:/);
    expect(await page.getAttribute('[data-testid=download]', 'download')).toMatch(/\.wav$/);
    // The download is a real 16-bit PCM WAV of 32000 samples.
    const header = await page.evaluate(async (url) => {
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      const view = new DataView(bytes.buffer);
      return { riff: String.fromCharCode(...bytes.subarray(0, 4)), rate: view.getUint32(24, true), bits: view.getUint16(34, true), dataBytes: view.getUint32(40, true) };
    }, href!);
    expect(header).toEqual({ riff: 'RIFF', rate: 32000, bits: 16, dataBytes: 2 * 32000 });
  });

  it('plays and pauses with the keyboard', async () => {
    const play = page.getByRole('button', { name: /^Play full model/ });
    await play.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.querySelector<HTMLAudioElement>('[data-testid=player] audio')!.paused);
    await page.getByRole('button', { name: /^Pause full model/ }).press('Enter');
    await page.waitForFunction(() => document.querySelector<HTMLAudioElement>('[data-testid=player] audio')!.paused);
  });

  it('runs DecoderLens over all depths in one batch: one player per depth, same duration', async () => {
    for (let depth = 1; depth <= TINY_LAYERS; depth++) expect(await page.isChecked(`[data-testid=depth-${depth}]`)).toBe(true);
    await page.click('[data-testid=generate-lens]');
    await page.waitForSelector('[data-testid=lens-progress]');
    await page.waitForSelector('[data-testid=lens-players] [data-testid=player]', { timeout: 300_000 });

    const depths = await page.$$eval('[data-testid=lens-players] [data-testid=player]', (players) => players.map((p) => Number((p as HTMLElement).dataset.depth)));
    expect(depths).toEqual([1, 2, 3, 4]);
    const durations = await audioDurations(page, '[data-testid=lens-players] [data-testid=player]');
    for (const duration of durations) expect(Math.abs(duration - 1)).toBeLessThanOrEqual(FRAME_SECONDS);
  });

  it('cancels a running generation with Escape and stays usable', async () => {
    await generateThenEscape(page, 20);
    expect(await page.textContent('[data-testid=message]')).toContain('Generation cancelled');
    // The earlier 1-second result is still the one shown, and the lab accepts a new job.
    const [duration] = await audioDurations(page, '.panel > [data-testid=player]');
    expect(Math.abs(duration - 1)).toBeLessThanOrEqual(FRAME_SECONDS);
    expect(await page.isEnabled('[data-testid=generate]')).toBe(true);
  });

  it('shows invalid settings as a message instead of failing', async () => {
    await page.getByLabel('Duration (s)').fill('');
    await page.getByLabel('Duration (s)').press('Enter'); // Enter in a field submits the form
    expect(await page.textContent('[data-testid=message] span')).toBe('Duration (s) needs a number.');
    expect(await page.getAttribute('input[aria-invalid=true]', 'id')).not.toBeNull();
    await page.getByLabel('Duration (s)').fill('1');
  });

  it('logged no console errors and takes a screenshot', async () => {
    await page.screenshot({ path: `${SCREENSHOT_DIR}lab.png`, fullPage: true });
    expect(errors.messages).toEqual([]);
  });
});

describe('lab page in a Chromium without WebGPU', () => {
  let noGpuBrowser: LabBrowser;

  beforeAll(async () => {
    noGpuBrowser = await launchChromium({ webgpu: false });
  });

  afterAll(async () => {
    await noGpuBrowser?.close();
  });

  it('falls back to WASM, says why in the header, and Escape cancels a WASM job', async () => {
    const { page, errors } = await noGpuBrowser.newPage();
    await page.goto(server.origin + '/');
    await page.waitForSelector('[data-testid=backend]', { timeout: 120_000 });
    expect(await page.textContent('[data-testid=backend]')).toBe('WASM');
    expect(await page.getAttribute('[data-testid=backend]', 'title')).toMatch(/WASM, \d+ threads?/);
    expect(await page.textContent('[data-testid=fallback-reason]')).toMatch(/WebGPU not used: .*adapter/);
    // onnxruntime's WASM runs resolve on microtasks; the worker must still take the cancel message.
    await generateThenEscape(page, 20);
    expect(await page.textContent('[data-testid=message] span')).toBe('Generation cancelled.');
    expect(await page.$('[data-testid=player]')).toBeNull();
    await page.screenshot({ path: `${SCREENSHOT_DIR}lab-wasm-fallback.png` });
    expect(errors.messages).toEqual([]);
  });
});
