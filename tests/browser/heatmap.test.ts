/**
 * The heatmap legend in real Chromium: with tiny value ranges (float noise around 1, ±1e-7, a tiny
 * range far from 0) and an ordinary one, the drawn tick labels never overlap and stay inside the
 * legend. Screenshot: `__screenshots__/heatmap-tiny-ranges.png`.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LabBrowser, type PageErrors } from './chromium';
import { SCREENSHOT_DIR } from './screenshots';
import { startLabServer, type LabServer } from './server';

const CHARTS = ['near-one', 'tiny-diverging', 'large-offset', 'ordinary'];

describe('heatmap legend in Chromium', () => {
  let server: LabServer;
  let browser: LabBrowser;
  let page: Page;
  let errors: PageErrors;

  beforeAll(async () => {
    server = await startLabServer();
    browser = await launchChromium({ webgpu: false });
    ({ page, errors } = await browser.newPage());
    await page.goto(`${server.origin}/tests/browser/harness/heatmap.html`);
    await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
    for (const id of CHARTS) await page.waitForSelector(`[data-testid=heatmap-${id}] .heatmap-legend text`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws legend labels that neither overlap nor leave the legend, for tiny and ordinary ranges', async () => {
    const legends = await page.evaluate((ids) => {
      return ids.map((id) => {
        const svg = document.querySelector(`[data-testid=heatmap-${id}] .heatmap-legend svg`)!;
        const box = svg.getBoundingClientRect();
        const labels = [...svg.querySelectorAll('text')].map((text) => {
          const r = text.getBoundingClientRect();
          return { text: text.textContent ?? '', left: r.left - box.left, right: r.right - box.left };
        });
        return { id, width: box.width, labels };
      });
    }, CHARTS);
    for (const { id, width, labels } of legends) {
      expect(labels.length, id).toBeGreaterThanOrEqual(2);
      expect(new Set(labels.map((label) => label.text)).size, id).toBe(labels.length);
      labels.forEach((label, i) => {
        expect(label.left, `${id} ${label.text}`).toBeGreaterThanOrEqual(0);
        expect(label.right, `${id} ${label.text}`).toBeLessThanOrEqual(width);
        if (i > 0) expect(label.left - labels[i - 1].right, `${id}: "${labels[i - 1].text}" and "${label.text}"`).toBeGreaterThan(0);
      });
    }
    expect(legends.find((legend) => legend.id === 'near-one')!.labels.map((label) => label.text)).toEqual(['0.9999998', '1.0000001']);
    expect(legends.find((legend) => legend.id === 'ordinary')!.labels.map((label) => label.text)).toEqual(['0', '2', '4', '6']);
    await page.screenshot({ path: `${SCREENSHOT_DIR}heatmap-tiny-ranges.png`, fullPage: true });
    expect(errors.messages).toEqual([]);
  });
});
