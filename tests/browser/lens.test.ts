/**
 * The DecoderLens view in real Chromium (tiny model on WASM): one batched run gives a clip per
 * depth and layer × time heatmaps with one cell per depth and frame; clicking (or Enter on) a cell
 * plays that depth from that time; A/B switches to the full model at the same playhead; the
 * teacher-forced lens and the layer self-similarity render; the page logs no errors.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LabBrowser, type PageErrors } from './chromium';
import { startLabServer, type LabServer } from './server';

const SCREENSHOT_DIR = fileURLToPath(new URL('./__screenshots__/', import.meta.url));
const TINY_LAYERS = 4;
const SECONDS = 2;
const FRAMES = SECONDS * 50;
const FRAME_SECONDS = 1 / 50;

let server: LabServer;
let browser: LabBrowser;
let page: Page;
let errors: PageErrors;

interface PlayEvent {
  depth: number;
  time: number;
}

/**
 * Every play() call on a lens clip, with the depth and the playhead at the call: read there, not in
 * the `play` event, because the clip has already moved on by the time the event is handled.
 */
async function recordPlays(target: Page): Promise<void> {
  await target.evaluate(() => {
    const plays: { depth: number; time: number }[] = [];
    (window as unknown as { lensPlays: typeof plays }).lensPlays = plays;
    const play = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      const card = this.closest<HTMLElement>('[data-testid=lens-clip]');
      if (card) plays.push({ depth: Number(card.dataset.depth), time: this.currentTime });
      return play.call(this);
    };
  });
}

async function waitForPlay(target: Page, count: number): Promise<PlayEvent> {
  await target.waitForFunction((n) => (window as unknown as { lensPlays: unknown[] }).lensPlays.length >= n, count);
  return target.evaluate((n) => (window as unknown as { lensPlays: PlayEvent[] }).lensPlays[n - 1], count);
}

const cells = (testId: string) => `[data-testid=${testId}] rect[role=gridcell]`;

beforeAll(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  server = await startLabServer();
  browser = await launchChromium({ webgpu: false });
  ({ page, errors } = await browser.newPage());
  await page.goto(`${server.origin}/?model=/models/tiny/&backend=wasm&view=lens`); // the DecoderLens tab
  await page.waitForSelector('[data-testid=backend]', { timeout: 120_000 });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('DecoderLens view', () => {
  it('shows empty states before a run', async () => {
    expect(await page.textContent('.lens-panel')).toMatch(/Run DecoderLens to hear each depth/);
    expect(await page.textContent('[data-testid=similarity]')).toMatch(/Compare layers to see/);
    expect(await page.isDisabled('[data-testid=play-all]')).toBe(true);
  });

  it('runs every depth in one batch: a clip per depth, then the measurement and teacher-forced heatmaps', async () => {
    await page.getByLabel('Duration (s)').fill(String(SECONDS));
    await page.click('[data-testid=generate-lens]');
    await page.waitForSelector('[data-testid=lens-progress]');
    await page.waitForSelector(cells('lens-teacher-heatmap'), { timeout: 300_000 });
    const depths = await page.$$eval('[data-testid=lens-clip]', (clips) => clips.map((clip) => Number((clip as HTMLElement).dataset.depth)));
    expect(depths).toEqual([1, 2, 3, 4]);
    expect(await page.locator(cells('lens-measure-heatmap')).count()).toBe(TINY_LAYERS * FRAMES);
    expect(await page.locator(cells('lens-teacher-heatmap')).count()).toBe(TINY_LAYERS * FRAMES);
    expect(await page.textContent('[data-testid=lens-run-caption]')).toMatch(/seed 42/);
    // Rows are deepest first.
    const rowLabels = await page.$$eval('[data-testid=lens-measure-heatmap] .heatmap-row-labels text', (texts) => texts.map((t) => t.textContent));
    expect(rowLabels).toEqual(['full (4)', 'depth 3', 'depth 2', 'depth 1']);
  });

  it('draws agreement with the full model: its own row is uniformly 1, and the tooltip says so', async () => {
    await page.selectOption('[data-testid=lens-measure-measure]', 'agreement');
    await page.selectOption('[data-testid=lens-measure-codebook]', { value: '1' }); // the second codebook
    const fullRowFills = await page.$$eval(`${cells('lens-measure-heatmap')}[data-row="0"]`, (rects) => [...new Set(rects.map((r) => r.getAttribute('fill')))]);
    expect(fullRowFills).toHaveLength(1);
    await page.hover(`${cells('lens-measure-heatmap')}[data-row="0"][data-column="10"]`);
    expect(await page.textContent('[data-testid=heatmap-tooltip]')).toBe('full (4) · 0.20 s (frame 10) · 1.00');
    expect(await page.locator(cells('lens-measure-heatmap')).count()).toBe(TINY_LAYERS * FRAMES);
  });

  it('a cell click plays that depth from that time; A/B goes to the full model at the same playhead', async () => {
    await recordPlays(page);
    // Row 2 is depth 2 (full, 3, 2, 1); column 60 is 1.2 s.
    await page.click(`${cells('lens-measure-heatmap')}[data-row="2"][data-column="60"]`);
    const first = await waitForPlay(page, 1);
    expect(first.depth).toBe(2);
    expect(Math.abs(first.time - 60 * FRAME_SECONDS)).toBeLessThan(FRAME_SECONDS);
    // The chart marks where that clip is (it stays where the clip paused or ended).
    await page.waitForFunction(() => {
      const marker = document.querySelector('[data-testid=lens-measure-heatmap] [data-testid=heatmap-marker]');
      const cell = document.querySelector('[data-testid=lens-measure-heatmap] rect[data-row="2"][data-column="60"]');
      return marker !== null && cell !== null && marker.getAttribute('y') === cell.getAttribute('y') && Number(marker.getAttribute('x')) >= Number(cell.getAttribute('x'));
    });
    await page.click('[data-testid=ab-2]');
    const second = await waitForPlay(page, 2);
    expect(second.depth).toBe(TINY_LAYERS);
    expect(second.time).toBeGreaterThanOrEqual(first.time);
    expect(await page.getAttribute('[data-testid=ab-2]', 'aria-pressed')).toBe('true');
    // One clip at a time: depth 2 has paused.
    expect(await page.$eval('[data-testid=lens-clip][data-depth="2"] audio', (audio) => (audio as HTMLAudioElement).paused)).toBe(true);
  });

  it('the keyboard moves through cells and Enter plays', async () => {
    const active = page.locator(`${cells('lens-measure-heatmap')}[tabindex="0"]`);
    await active.focus();
    const { row, column } = await active.evaluate((el) => ({ row: Number(el.getAttribute('data-row')), column: Number(el.getAttribute('data-column')) }));
    await page.keyboard.press('ArrowDown'); // one depth shallower
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      ([r, c]) => document.activeElement?.getAttribute('data-row') === String(r) && document.activeElement?.getAttribute('data-column') === String(c),
      [row + 1, column + 1],
    );
    await page.keyboard.press('Enter');
    const played = await waitForPlay(page, 3);
    const depths = [4, 3, 2, 1];
    expect(played.depth).toBe(depths[row + 1]);
    expect(Math.abs(played.time - (column + 1) * FRAME_SECONDS)).toBeLessThan(FRAME_SECONDS);
  });

  it('plays all depths in order from the start', async () => {
    await page.click('[data-testid=play-all]');
    const played = await waitForPlay(page, 4);
    expect(played.depth).toBe(1);
    expect(played.time).toBe(0);
    expect(await page.textContent('[data-testid=play-all]')).toBe('Stop');
    await page.click('[data-testid=play-all]');
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLAudioElement>('[data-testid=lens-clip] audio')].every((audio) => audio.paused));
  });

  it('computes the layer self-similarity over a prompt list: a symmetric L × L matrix with tooltips', async () => {
    await page.fill('[data-testid=similarity-prompts]', 'Compose a happy rock piece.\nCompose a slow jazz piece.');
    expect(await page.textContent('[data-testid=run-similarity]')).toBe('Compare layers over 2 prompts');
    await page.click('[data-testid=run-similarity]');
    await page.waitForSelector(cells('similarity-heatmap'), { timeout: 300_000 });
    expect(await page.locator(cells('similarity-heatmap')).count()).toBe(TINY_LAYERS * TINY_LAYERS);
    const fill = (r: number, c: number) => page.getAttribute(`${cells('similarity-heatmap')}[data-row="${r}"][data-column="${c}"]`, 'fill');
    expect(await fill(0, 3)).toBe(await fill(3, 0));
    await page.hover(`${cells('similarity-heatmap')}[data-row="0"][data-column="3"]`);
    expect(await page.textContent('[data-testid=heatmap-tooltip]')).toMatch(/^layer 1 ↔ layer 4: \d+\.\d\d$/);
    expect(await page.textContent('[data-testid=similarity]')).toContain('Averaged over 2 prompts');
  });

  it('logged no console errors; screenshots', async () => {
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}decoderlens-page.png`, fullPage: true });
    await page.locator('.lens-panel').screenshot({ path: `${SCREENSHOT_DIR}decoderlens-panel.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('.lens-panel').screenshot({ path: `${SCREENSHOT_DIR}decoderlens-panel-dark.png` });
    expect(errors.messages).toEqual([]);
  });
});
