/**
 * The lab page end to end in real Chromium: the bundled tiny model loads in the engine worker
 * (auto on SwiftShader's adapter picks WASM and says why), a 1-second generation shows a waveform,
 * a mel spectrogram and a time axis and answers the keyboard, DecoderLens gives one player per
 * depth, Escape cancels, and the page logs no errors. Screenshots of every view are written to
 * tests/browser/__screenshots__/ to be looked at.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LabBrowser, type PageErrors } from './chromium';
import { SCREENSHOT_DIR } from './screenshots';
import { startLabServer, type LabServer } from './server';

const FRAME_SECONDS = 1 / 50; // one EnCodec frame
const DEMO_LAYERS = 6; // models/toy (scripts/make-toy.ts), the page's default demo

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

/** The canvases wavesurfer and its plugins drew into (inside the waveform's shadow root). */
async function waveformCanvases(page: Page, selector: string): Promise<{ canvases: number; spectrogram: boolean; timelineLabels: string[] }> {
  return page.$eval(selector, (waveform) => {
    const root = waveform.firstElementChild?.shadowRoot;
    const all = [...(root?.querySelectorAll('canvas') ?? [])];
    // The spectrogram plugin draws its frequency axis on a canvas of its own.
    const spectrogram = root?.querySelector('[part~="spec-labels"]') != null;
    const timelineLabels = [...(root?.querySelectorAll('[part~="timeline-notch-primary"]') ?? [])].map((notch) => notch.textContent ?? '').filter(Boolean);
    return { canvases: all.length, spectrogram, timelineLabels };
  });
}

let server: LabServer;
let browser: LabBrowser;

beforeAll(async () => {
  server = await startLabServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('lab page, auto backend with only SwiftShader', () => {
  let page: Page;
  let errors: PageErrors;

  beforeAll(async () => {
    ({ page, errors } = await browser.newPage());
    await page.goto(server.origin + '/');
  });

  it('chooses multi-threaded WASM over the software adapter and says why in the header', async () => {
    await page.waitForSelector('[data-testid=backend]', { timeout: 120_000 });
    expect(await page.textContent('[data-testid=model-name]')).toContain(`${DEMO_LAYERS} layers`);
    expect(await page.textContent('[data-testid=backend]')).toMatch(/^WASM · \d+ threads?$/);
    expect(await page.textContent('[data-testid=fallback-reason]')).toMatch(/WASM instead of WebGPU: the only WebGPU adapter is a software renderer \(swiftshader\)/i);
    expect(await page.inputValue('[data-testid=backend-choice]')).toBe('auto');
    expect(await page.textContent('[data-testid=demo-banner]')).toMatch(/toy MusicGen whose mechanism is known.*depth 5.*blocks\.4\.hook_mlp_out/);
    expect(await page.getAttribute('[data-testid=demo-banner] a', 'href')).toMatch(/\/models\/toy\/manifest\.json$/);
    expect(await page.inputValue('#prompt')).toMatch(/^Compose a happy rock piece/);
    expect(await page.textContent('[data-testid=result-empty]')).toContain('No clip yet');
    await page.screenshot({ path: `${SCREENSHOT_DIR}generate-empty.png` });
  });

  it('generates 1 second from a typed prompt (Ctrl+Enter): waveform, mel spectrogram, time axis, provenance', async () => {
    await page.getByLabel('Duration (s)').fill('1');
    await page.fill('#prompt', 'Compose a calm jazz piece, with a piano melody. Use a slow tempo.');
    await page.focus('#prompt');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('[data-testid=progress]');
    await page.waitForSelector('[data-testid=player]', { timeout: 300_000 });

    const [duration] = await audioDurations(page, '[data-testid=player]');
    expect(Math.abs(duration - 1)).toBeLessThanOrEqual(FRAME_SECONDS);
    await page.waitForFunction(() => {
      const root = document.querySelector('[data-testid=waveform]')?.firstElementChild?.shadowRoot;
      return (root?.querySelectorAll('[part~="timeline-notch-primary"]').length ?? 0) > 2 && (root?.querySelectorAll('canvas').length ?? 0) >= 2;
    });
    const drawn = await waveformCanvases(page, '[data-testid=waveform]');
    expect(drawn.spectrogram).toBe(true);
    expect(drawn.timelineLabels.slice(0, 3)).toEqual(['0 s', '0.1 s', '0.2 s']);
    expect(drawn.canvases).toBeGreaterThanOrEqual(3); // waveform, its progress overlay, the spectrogram
    expect(await page.textContent('[data-testid=provenance]')).toMatch(/Prompt\s*Compose a calm jazz piece.*Seed\s*42.*Duration\s*1 s.*Top-k\s*250.*Depth\s*6\/6.*Model\s*toy.*Backend\s*WASM/);

    const href = await page.getAttribute('[data-testid=download]', 'href');
    expect(href).toMatch(/^blob:/);
    expect(await page.getAttribute('[data-testid=download]', 'download')).toMatch(/^musicgen-compose-a-calm-jazz-piece.*-seed42-depth6-r-[a-z0-9-]+\.wav$/);
    // The download is a real 16-bit PCM WAV of 32000 samples.
    const header = await page.evaluate(async (url) => {
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      const view = new DataView(bytes.buffer);
      return { riff: String.fromCharCode(...bytes.subarray(0, 4)), rate: view.getUint32(24, true), bits: view.getUint16(34, true), dataBytes: view.getUint32(40, true) };
    }, href!);
    expect(header).toEqual({ riff: 'RIFF', rate: 32000, bits: 16, dataBytes: 2 * 32000 });
    await page.screenshot({ path: `${SCREENSHOT_DIR}generate.png`, fullPage: true });
  });

  it('plays, pauses and seeks with the keyboard on the focused player', async () => {
    const atTime = (seconds: number) =>
      page.waitForFunction((t) => Math.abs(document.querySelector<HTMLAudioElement>('[data-testid=player] audio')!.currentTime - t) < 1e-3, seconds);
    await page.focus('[data-testid=player]');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => !document.querySelector<HTMLAudioElement>('[data-testid=player] audio')!.paused);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector<HTMLAudioElement>('[data-testid=player] audio')!.paused);
    await page.keyboard.press('Home');
    await atTime(0);
    await page.keyboard.press('Shift+ArrowRight');
    await atTime(0.1);
    // Presses faster than a seek completes each count (wavesurfer's own setTime dropped these).
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await atTime(0.3);
    await page.keyboard.press('ArrowLeft');
    await atTime(0); // 0.3 - 1 s, clamped at the start (seeking to the very end races the media's own 'ended')
    expect(await page.textContent('[data-testid=clip-time]')).toMatch(/^0\.\d\d \/ 1\.00 s$/);
    // The Play button works from the keyboard as well.
    await page.getByRole('button', { name: /^Play full model/ }).press('Enter');
    await page.waitForFunction(() => !document.querySelector<HTMLAudioElement>('[data-testid=player] audio')!.paused);
    await page.getByRole('button', { name: /^Pause full model/ }).press('Enter');
    await page.waitForFunction(() => document.querySelector<HTMLAudioElement>('[data-testid=player] audio')!.paused);
  });

  it('runs DecoderLens over all depths in one batch: one player per depth, same duration', async () => {
    await page.click('[data-testid=tab-lens]');
    for (let depth = 1; depth <= DEMO_LAYERS; depth++) expect(await page.isChecked(`[data-testid=depth-${depth}]`)).toBe(true);
    await page.click('[data-testid=generate-lens]');
    await page.waitForSelector('[data-testid=lens-progress]');
    await page.waitForSelector('[data-testid=lens-players] [data-testid=player]', { timeout: 300_000 });

    const depths = await page.$$eval('[data-testid=lens-players] [data-testid=player]', (players) => players.map((p) => Number((p as HTMLElement).dataset.depth)));
    expect(depths).toEqual(Array.from({ length: DEMO_LAYERS }, (_, i) => i + 1));
    const durations = await audioDurations(page, '[data-testid=lens-players] [data-testid=player]');
    for (const duration of durations) expect(Math.abs(duration - 1)).toBeLessThanOrEqual(FRAME_SECONDS);
    await page.screenshot({ path: `${SCREENSHOT_DIR}lens.png`, fullPage: true });
  });

  it('shows clear empty states in the Interventions and Models views', async () => {
    await page.click('[data-testid=tab-interventions]');
    expect(await page.textContent('[data-testid=sweep-empty]')).toMatch(/No sweep for this pair yet/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}interventions.png` });
    await page.click('[data-testid=tab-models]');
    expect(await page.textContent('[data-testid=stored-demo]')).toMatch(/toy demo \(bundled\).*loaded/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}models.png` });
    await page.click('[data-testid=tab-generate]');
  });

  it('cancels a running generation with Escape, keeps the shown result, and nothing moves meanwhile', async () => {
    const shownRun = await page.getAttribute('[data-testid=player]', 'data-run');
    // Where the landmarks are before the job, while it runs, and after it.
    const layout = () =>
      page.$$eval('[data-testid=generate], [role=tablist], [data-testid=player], .history', (elements) =>
        elements.map((element) => {
          const box = element.getBoundingClientRect();
          return [Math.round(box.x), Math.round(box.y), Math.round(box.width), Math.round(box.height)].join(',');
        }),
      );
    const before = await layout();
    await page.getByLabel('Duration (s)').fill('20');
    await page.click('[data-testid=generate]');
    await page.waitForFunction(() => /step [1-9]/.test(document.querySelector('[data-testid=progress-label]')?.textContent ?? ''), undefined, { timeout: 120_000 });
    expect(await layout()).toEqual(before);
    await page.screenshot({ path: `${SCREENSHOT_DIR}generate-running.png` });
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=progress]', { state: 'detached', timeout: 15_000 });
    expect(await layout()).toEqual(before);
    expect(await page.textContent('[data-testid=message]')).toContain('Generation cancelled');
    expect(await page.getAttribute('[data-testid=player]', 'data-run')).toBe(shownRun);
    expect(await page.isEnabled('[data-testid=generate]')).toBe(true);
    await page.getByLabel('Duration (s)').fill('1');
  });

  it('shows invalid settings as a message instead of failing', async () => {
    await page.getByLabel('Duration (s)').fill('');
    await page.getByLabel('Duration (s)').press('Enter'); // Enter in a field submits the form
    expect(await page.textContent('[data-testid=message] span')).toBe('Duration (s) needs a number.');
    expect(await page.getAttribute('input[aria-invalid=true]', 'id')).not.toBeNull();
    await page.getByLabel('Duration (s)').fill('1');
  });

  it('looks right in dark mode', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    const colours = await page.evaluate(() => [getComputedStyle(document.documentElement).backgroundColor, getComputedStyle(document.documentElement).color]);
    expect(colours).toEqual(['rgb(15, 18, 32)', 'rgb(228, 230, 243)']);
    await page.screenshot({ path: `${SCREENSHOT_DIR}generate-dark.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('logged no console errors', () => {
    expect(errors.messages).toEqual([]);
  });
});

describe('lab page with WebGPU forced (?backend=webgpu, SwiftShader)', () => {
  it('runs on the adapter it names, and clips say so', async () => {
    const { page, errors } = await browser.newPage();
    await page.goto(server.origin + '/?backend=webgpu&seconds=0.2');
    await page.waitForSelector('[data-testid=backend]', { timeout: 120_000 });
    expect(await page.textContent('[data-testid=backend]')).toBe('WebGPU · google swiftshader');
    expect(await page.$('[data-testid=fallback-reason]')).toBeNull();
    await page.click('[data-testid=generate]');
    await page.waitForSelector('[data-testid=player]', { timeout: 300_000 });
    expect(await page.textContent('[data-testid=clip-duration]')).toBe('0.20 s');
    expect(await page.textContent('[data-testid=provenance]')).toMatch(/Backend\s*WebGPU/);
    // The header's menu reloads the model on another backend and records the choice in the URL.
    await page.selectOption('[data-testid=backend-choice]', 'wasm');
    await page.waitForFunction(() => /^WASM/.test(document.querySelector('[data-testid=backend]')?.textContent ?? ''), undefined, { timeout: 120_000 });
    expect(new URL(page.url()).searchParams.get('backend')).toBe('wasm');
    expect(await page.textContent('[data-testid=provenance]')).toMatch(/Backend\s*WebGPU/); // the clip was made on WebGPU
    await page.close();
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
    expect(await page.textContent('[data-testid=backend]')).toMatch(/^WASM · \d+ threads?$/);
    expect(await page.getAttribute('[data-testid=backend]', 'title')).toMatch(/WASM, \d+ threads?/);
    expect(await page.textContent('[data-testid=fallback-reason]')).toMatch(/WASM instead of WebGPU: WebGPU is .*(navigator\.gpu|adapter)/);
    // onnxruntime's WASM runs resolve on microtasks; the worker must still take the cancel message.
    await generateThenEscape(page, 20);
    expect(await page.textContent('[data-testid=message] span')).toBe('Generation cancelled.');
    expect(await page.$('[data-testid=player]')).toBeNull();
    await page.screenshot({ path: `${SCREENSHOT_DIR}lab-wasm-fallback.png` });
    expect(errors.messages).toEqual([]);
  });
});
