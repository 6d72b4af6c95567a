/**
 * Every experiment in the URL, and the run history, in real Chromium: a link's settings, view,
 * depths and selected clip survive a reload; Back and Forward walk through views and clips; bad
 * values give a message; runs stay in IndexedDB across reloads and can be re-opened, exported
 * and deleted.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from './screenshots';
import { launchChromium, type LabBrowser, type PageErrors } from './chromium';
import { startLabServer, type LabServer } from './server';

const PROMPT = 'Compose a groovy jazz piece, with a trumpet melody. Use a medium tempo.';

let server: LabServer;
let browser: LabBrowser;
let page: Page;
let errors: PageErrors;

const param = (name: string) => new URL(page.url()).searchParams.get(name);
const selectedView = () => page.getAttribute('[role=tab][aria-selected=true]', 'data-testid');
const shownRun = () => page.getAttribute('[data-testid=player]', 'data-run');
const runIds = () => page.$$eval('[data-testid=run]', (runs) => runs.map((run) => (run as HTMLElement).dataset.run));

async function waitForModel(): Promise<void> {
  await page.waitForSelector('[data-testid=backend]', { timeout: 120_000 });
}

/** Generates with the form's settings; resolves with the new run's id once its player shows. */
async function generate(): Promise<string> {
  const before = await shownRun().catch(() => null);
  await page.click('[data-testid=generate]');
  await page.waitForFunction((previous) => {
    const run = document.querySelector('[data-testid=player]')?.getAttribute('data-run');
    return run && run !== previous && !document.querySelector('[data-testid=progress]');
  }, before, { timeout: 300_000 });
  return (await shownRun())!;
}

beforeAll(async () => {
  server = await startLabServer();
  browser = await launchChromium();
  ({ page, errors } = await browser.newPage());
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

// Runs made by the first group, used by the second.
let firstRun: string;
let secondRun: string;

describe('experiment in the URL', () => {
  it('reads every setting from a link and keeps parameters it does not own', async () => {
    const link = `/?model=/models/tiny/&prompt=${encodeURIComponent(PROMPT)}&seconds=0.2&seed=7&topk=50&temperature=0.8&guidance=4.5&backend=wasm&experiment-note=keep-me`;
    await page.goto(server.origin + link);
    await waitForModel();
    expect(await page.inputValue('#prompt')).toBe(PROMPT);
    expect(await page.getByLabel('Duration (s)').inputValue()).toBe('0.2');
    expect(await page.getByLabel('Seed').inputValue()).toBe('7');
    expect(await page.getByLabel('Top-k').inputValue()).toBe('50');
    expect(await page.getByLabel('Temperature').inputValue()).toBe('0.8');
    expect(await page.getByLabel('Guidance').inputValue()).toBe('4.5');
    expect(await page.inputValue('[data-testid=backend-choice]')).toBe('wasm');
    expect(await page.textContent('[data-testid=backend]')).toMatch(/^WASM/);
    expect(param('experiment-note')).toBe('keep-me');
    expect(param('view')).toBe('generate');
  });

  it('puts the generated clip, the view and the depths in the URL, and restores them after a reload', async () => {
    firstRun = await generate();
    expect(param('clip')).toBe(firstRun);
    expect(await page.textContent('[data-testid=provenance]')).toMatch(/Seed\s*7.*Duration\s*0.2 s.*Top-k\s*50.*Temp.\s*0.8.*Guidance\s*4.5/);
    await page.click('[data-testid=tab-lens]');
    await page.click('[data-testid=depth-2]');
    expect(param('view')).toBe('lens');
    expect(param('depths')).toBe('1,3,4');

    await page.reload();
    await waitForModel();
    expect(await selectedView()).toBe('tab-lens');
    expect(await page.inputValue('#prompt')).toBe(PROMPT);
    expect(await page.getByLabel('Seed').inputValue()).toBe('7');
    expect(await page.getByLabel('Guidance').inputValue()).toBe('4.5');
    const checked = await Promise.all([1, 2, 3, 4].map((depth) => page.isChecked(`[data-testid=depth-${depth}]`)));
    expect(checked).toEqual([true, false, true, true]);
    expect(param('experiment-note')).toBe('keep-me');
    await page.click('[data-testid=tab-generate]');
    await page.waitForSelector('[data-testid=player]');
    expect(await shownRun()).toBe(firstRun); // re-opened from IndexedDB
  });

  it('walks views and clips with Back and Forward', async () => {
    await page.getByLabel('Seed').fill('8');
    secondRun = await generate();
    expect(param('clip')).toBe(secondRun);
    await page.click('[data-testid=tab-models]');
    expect(param('view')).toBe('models');

    await page.goBack();
    await page.waitForFunction(() => document.querySelector('[role=tab][aria-selected=true]')?.getAttribute('data-testid') === 'tab-generate');
    expect(await shownRun()).toBe(secondRun);
    await page.goBack();
    await page.waitForFunction((run) => document.querySelector('[data-testid=player]')?.getAttribute('data-run') === run, firstRun);
    expect(param('clip')).toBe(firstRun);
    await page.goForward();
    await page.waitForFunction((run) => document.querySelector('[data-testid=player]')?.getAttribute('data-run') === run, secondRun);
    await page.goForward();
    await page.waitForFunction(() => document.querySelector('[role=tab][aria-selected=true]')?.getAttribute('data-testid') === 'tab-models');
    await page.click('[data-testid=tab-generate]');
  });

  it('says which values of a link it ignored, and uses defaults for them', async () => {
    await page.goto(server.origin + '/?model=/models/tiny/&backend=cuda&seed=abc&view=charts');
    await waitForModel();
    const message = await page.textContent('[data-testid=message]');
    expect(message).toContain('Unknown backend "cuda" in the link: using auto');
    expect(message).toContain('Seed "abc" in the link is not a number: using 42.');
    expect(message).toContain('Unknown view "charts"');
    expect(await page.inputValue('[data-testid=backend-choice]')).toBe('auto');
    expect(param('backend')).toBe('auto');
    expect(param('seed')).toBe('42');
  });
});

describe('run history', () => {
  it('keeps runs across reloads, newest first', async () => {
    expect(await runIds()).toEqual([secondRun, firstRun]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}history.png` });
  });

  it('re-opens a run: its audio, and its settings in the form', async () => {
    await page.click(`[data-testid=run][data-run="${firstRun}"] .run-open`);
    await page.waitForFunction((run) => document.querySelector('[data-testid=player]')?.getAttribute('data-run') === run, firstRun);
    expect(await page.getByLabel('Seed').inputValue()).toBe('7');
    expect(await page.inputValue('#prompt')).toBe(PROMPT);
    expect(param('clip')).toBe(firstRun);
  });

  it('exports a run as one JSON document with its WAVs', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=run][data-run="${firstRun}"] [data-testid=run-export]`)]);
    expect(download.suggestedFilename()).toBe(`musicgen-lab-${firstRun}.json`);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(exported).toMatchObject({ format: 'musicgen-lab-run', version: 1, run: { id: firstRun, kind: 'generate', settings: { prompt: PROMPT, seed: 7, seconds: 0.2 }, depths: [4] } });
    expect(exported.clips).toHaveLength(1);
    const wav = Buffer.from(exported.clips[0].wavBase64, 'base64');
    expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(wav.readUInt32LE(40)).toBe(2 * 0.2 * 32000); // 16-bit samples of 0.2 s
  });

  it('deletes a run, also after a reload', async () => {
    await page.click(`[data-testid=run][data-run="${secondRun}"] [data-testid=run-delete]`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=run]').length === 1);
    await page.reload();
    await waitForModel();
    await page.waitForSelector('[data-testid=run]');
    expect(await runIds()).toEqual([firstRun]);
    expect(await shownRun()).toBe(firstRun);
  });

  it('tells a link to a run this browser does not have, instead of failing', async () => {
    await page.goto(server.origin + '/?model=/models/tiny/&clip=r-unknown-0000&seconds=0.2');
    await waitForModel();
    await page.waitForSelector('[data-testid=result-empty]');
    expect(await page.textContent('[data-testid=result-empty]')).toContain('Run r-unknown-0000 is not available here');
    expect(await page.textContent('[data-testid=message]')).toContain("not in this browser's history");
  });

  it('selects one depth of a DecoderLens run, in the URL as run@depth, and restores it after a reload', async () => {
    await page.click('[data-testid=tab-lens]');
    await page.click('[data-testid=generate-lens]');
    await page.waitForSelector('[data-testid=lens-players] [data-testid=player]', { timeout: 300_000 });
    const lensRun = (await page.getAttribute('[data-testid=lens-players] [data-testid=player]', 'data-run'))!;
    await page.click(`[data-testid=run][data-run="${lensRun}"] [data-testid=run-depth-2]`);
    await page.waitForSelector('[data-testid=player][data-depth="2"]');
    expect(await selectedView()).toBe('tab-generate');
    expect(param('clip')).toBe(`${lensRun}@2`);
    expect(await page.textContent('[data-testid=provenance]')).toMatch(/Depth\s*2\/4/);

    await page.reload();
    await waitForModel();
    await page.waitForSelector('[data-testid=player][data-depth="2"]');
    expect(await shownRun()).toBe(lensRun);
    expect(await page.getAttribute(`[data-testid=run][data-run="${lensRun}"] [data-testid=run-depth-2]`, 'aria-pressed')).toBe('true');
    await page.screenshot({ path: `${SCREENSHOT_DIR}history-lens-depth.png` });
  });

  it('logged no console errors', () => {
    expect(errors.messages).toEqual([]);
  });
});

