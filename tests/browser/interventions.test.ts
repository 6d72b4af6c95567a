/**
 * The Interventions view in real Chromium on the tiny model (WASM): means for two concepts with
 * two prompts of 0.2 s, a sweep whose heatmaps have L × 3 cells each, a cell click that plays the
 * intervened clip next to the original, a reload that keeps means and results (IndexedDB), a
 * foreign means file refused with a clear error, and no console errors.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignMeansFile } from '../helpers/meansFiles';
import { launchChromium, type LabBrowser, type PageErrors } from './chromium';
import { startLabServer, type LabServer } from './server';

const SCREENSHOT_DIR = fileURLToPath(new URL('./__screenshots__/', import.meta.url));
const TINY_LAYERS = 4;
const SECONDS = 0.2; // 10 frames
const HEATMAPS = ['effect-replace', 'effect-adjust', 'precision-replace', 'precision-adjust'];

let server: LabServer;
let browser: LabBrowser;
let page: Page;
let errors: PageErrors;

const cells = (heatmap: string) => `[data-testid=heatmap-${heatmap}] rect[role=gridcell]`;

async function openLab(target: Page): Promise<void> {
  await target.goto(`${server.origin}/?model=/models/tiny/&backend=wasm&view=interventions&from=guitar&to=piano`);
  await target.waitForSelector('[data-testid=backend]', { timeout: 120_000 });
  await target.waitForSelector('[data-testid=interventions-view]');
}

/** A means file as another model would write it: same format, another bundle digest. */
function foreignMeansFileIn(dir: string): string {
  const file = join(dir, 'musicgen-small-guitar.safetensors');
  writeFileSync(file, foreignMeansFile({ layers: TINY_LAYERS, frames: 10, prompt: 'Compose a happy rock piece, with a guitar melody. Use a fast tempo.' }));
  return file;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  server = await startLabServer();
  browser = await launchChromium({ webgpu: false });
  ({ page, errors } = await browser.newPage());
  await openLab(page);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Interventions view', () => {
  it('shows the means size before computing and an empty state', async () => {
    await page.getByLabel('Prompts per concept').fill('2');
    await page.getByLabel('Seconds per clip').fill(String(SECONDS));
    // 3·4 hooks × 13 steps × 2 × 64 × 4 bytes = 79.9 KiB, for 2 prompts × (10 + 3) steps.
    await page.waitForFunction(() => /not computed: 78\.0 KiB for 2 prompts × 13 steps/.test(document.querySelector('[data-testid=means-from]')?.textContent ?? ''));
    expect(await page.textContent('[data-testid=means-to]')).toMatch(/piano.*not computed/);
    expect(await page.textContent('[data-testid=sweep-empty]')).toMatch(/4 layers × 3 modules × 2 methods = 24 interventions/);
    expect(await page.isDisabled('[data-testid=run-sweep]')).toBe(true);
  });

  it('computes the means of both concepts with progress', async () => {
    await page.click('[data-testid=compute-means]');
    await page.waitForFunction(() => /^guitar means: \d\/2 prompts.*ETA/.test(document.querySelector('[data-testid=iv-progress-label]')?.textContent ?? ''));
    expect(await page.isEnabled('[data-testid=iv-cancel]')).toBe(true);
    await page.waitForSelector('[data-testid=means-from][data-state=done]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid=means-to][data-state=done]', { timeout: 120_000 });
    expect(await page.textContent('[data-testid=means-from]')).toMatch(/ready: 2 prompts/);
    expect(await page.textContent('[data-testid=compute-means]')).toBe('Means ready');
  });

  it('runs the sweep: four heatmaps of layers × 3 modules, and per-layer line plots', async () => {
    await page.click('[data-testid=run-sweep]');
    await page.waitForSelector('[data-testid=sweep-results]', { timeout: 300_000 });
    for (const heatmap of HEATMAPS) {
      await page.waitForSelector(cells(heatmap));
      const fills = await page.$$eval(cells(heatmap), (rects) => rects.map((rect) => rect.getAttribute('fill')));
      expect(fills).toHaveLength(TINY_LAYERS * 3);
      expect(fills.every((fill) => fill !== null), `${heatmap} has an empty cell`).toBe(true);
    }
    expect(await page.$$eval('[data-testid=line-plot-effect] path', (paths) => paths.length)).toBe(6); // 3 modules × 2 methods
    // DecoderLens recognisability of both concepts: a point per depth each.
    expect(await page.$$eval('[data-testid=recognisability] circle', (points) => points.length)).toBe(2 * TINY_LAYERS);
    await page.hover(`${cells('effect-adjust')} >> nth=11`);
    expect(await page.textContent('[data-testid=heatmap-tooltip]')).toMatch(/adjust, layer 3 MLP: effect -?\d.*\(n 1, std 0\)/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'interventions-sweep.png'), fullPage: true });
  });

  it('plays the intervened clip next to the original when a cell is clicked', async () => {
    await page.click(`${cells('effect-replace')} >> nth=11`); // layer 3, MLP
    await page.waitForSelector('[data-testid=ab-compare]');
    expect(await page.textContent('[data-testid=ab-title]')).toBe('replace guitar → piano at layer 3 MLP');
    const durations = await page.$$eval('[data-testid=ab-compare] audio', (audios) =>
      Promise.all(
        audios.map(
          (audio) =>
            new Promise<number>((resolve) => {
              const media = audio as HTMLAudioElement;
              if (media.readyState >= 1) resolve(media.duration);
              else media.addEventListener('loadedmetadata', () => resolve(media.duration), { once: true });
            }),
        ),
      ),
    );
    expect(durations).toHaveLength(2);
    for (const duration of durations) expect(Math.abs(duration - SECONDS)).toBeLessThanOrEqual(1 / 50);
    // The intervened clip (B) plays by itself; the original (A) stays paused.
    await page.waitForFunction(() => {
      const audio = document.querySelector<HTMLAudioElement>('[data-testid=ab-intervened] audio');
      return !!audio && (!audio.paused || audio.ended) && audio.currentTime > 0;
    });
    expect(await page.$eval('[data-testid=ab-original] audio', (audio) => (audio as HTMLAudioElement).paused)).toBe(true);
  });

  it('keeps the means and the sweep across a reload', async () => {
    await page.reload();
    await page.waitForSelector('[data-testid=backend]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid=means-from][data-state=done]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=means-to][data-state=done]');
    for (const heatmap of HEATMAPS) expect(await page.$$eval(cells(heatmap), (rects) => rects.length)).toBe(TINY_LAYERS * 3);
    expect(await page.inputValue('[data-testid=concept-from]')).toBe('guitar');
    expect(new URL(page.url()).searchParams.get('backend')).toBe('wasm'); // other parameters kept
    await page.click(`${cells('precision-adjust')} >> nth=0`);
    expect(await page.textContent('[data-testid=ab-title]')).toBe('adjust guitar → piano at layer 0 self-attention');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'interventions-reloaded-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('refuses a means file of another model with a clear error, and a file that is not means', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iv-import-'));
    await page.setInputFiles('[data-testid=import-means-input]', foreignMeansFileIn(dir));
    await page.waitForSelector('[data-testid=iv-error]');
    expect(await page.textContent('[data-testid=iv-error]')).toMatch(
      /Cannot import musicgen-small-guitar\.safetensors: these means belong to another model \("musicgen-small", bundle ffffffffffff…\), not the loaded "tiny"/,
    );
    const notes = join(dir, 'notes.safetensors');
    writeFileSync(notes, 'just some text');
    await page.setInputFiles('[data-testid=import-means-input]', notes);
    await page.waitForFunction(() => /Cannot import notes\.safetensors: not a means file/.test(document.querySelector('[data-testid=iv-error]')?.textContent ?? ''));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'interventions-import-error.png') });
  });

  it('runs a single steer intervention on the last layer and plays it A/B with its metrics', async () => {
    await page.click('[data-testid=single-intervention] summary');
    await page.getByText('last layer').click();
    await page.getByLabel(/steer: output/).check();
    await page.getByLabel('α', { exact: true }).fill('2');
    expect(await page.textContent('[data-testid=run-intervention]')).toBe('Run on 3 sites');
    expect(new URL(page.url()).searchParams.get('sites')).toBe(`${TINY_LAYERS - 1}.attn,${TINY_LAYERS - 1}.cross_attn,${TINY_LAYERS - 1}.mlp`);
    expect(new URL(page.url()).searchParams.get('method')).toBe('steer');
    await page.click('[data-testid=run-intervention]');
    await page.waitForSelector('[data-testid=single-metrics]', { timeout: 120_000 });
    expect(await page.textContent('[data-testid=single-metrics]')).toMatch(/^steer α=2 at 3\.attn, 3\.cross_attn, 3\.mlp: effect -?\d+\.\d{3}, precision -?\d+\.\d{3}$/);
    expect(await page.textContent('[data-testid=ab-title]')).toMatch(/^steer α=2/);
  });

  it('adds a custom concept with labels found by search, and offers it as a concept', async () => {
    await page.click('[data-testid=add-concept]');
    const form = page.locator('[data-testid=custom-concept-form]');
    await form.getByLabel('Name').fill('Sitar');
    await form.getByLabel(/Prompts, one per line/).fill('Compose a calm raga, with a sitar melody.\nCompose a fast raga, with a sitar melody.');
    await form.getByLabel(/Relevant AudioSet labels/).fill('sitar');
    await form.getByLabel(/Relevant AudioSet labels/).press('Enter');
    expect(await form.locator('.chip').allTextContents()).toEqual(['★ Sitar×']);
    await form.getByRole('button', { name: 'Add concept' }).click();
    await page.waitForSelector('[data-testid=custom-concept-form]', { state: 'detached' });
    expect(await page.$$eval('[data-testid=concept-to] option', (options) => options.map((o) => (o as HTMLOptionElement).value))).toContain('sitar');
  });

  it('logged no console errors', () => {
    expect(errors.messages).toEqual([]);
  });
});
