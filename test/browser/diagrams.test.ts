/**
 * The sessions' architecture diagrams in Chromium, at a laptop's width: every graph is drawn,
 * none is shrunk past reading (a graph too wide for the page scrolls instead), session 6's
 * five state machines come one per graph in the order of its TODOs, and "Full size" shows a
 * graph at its natural size.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { builtSite, serveSite, type SiteServer } from './support/site.ts';
import { describeWithChromium, launchBrowser, openPage, screenshot, waitUntil } from './support/browser.ts';

/** The session-4 page embeds the board: pointed where nothing listens, its refused calls are expected. */
const NO_CLOUD = 'http://127.0.0.1:9';
const ignore = (_text: string, url: string) => url.startsWith(NO_CLOUD);

interface Drawn {
  title: string;
  /** Rendered width over the SVG's own (viewBox) width. */
  scale: number;
  natural: number;
}

async function diagramsOf(page: Page, path: string, site: SiteServer, count: number): Promise<Drawn[]> {
  await page.goto(`${site.url}${path}?cloud=${NO_CLOUD}`, { waitUntil: 'load' });
  await waitUntil(
    async () => (await page.locator('.sg-diagram svg[data-sized]').count()) === count || undefined,
    `${count} diagrams drawn on ${path}`,
  );
  return page.$$eval('.sg-diagram', (figures) =>
    figures.map((f) => {
      const svg = f.querySelector('svg') as SVGSVGElement;
      const natural = svg.viewBox.baseVal.width;
      return {
        title: f.querySelector('.sg-diagram-title')?.textContent?.trim() ?? '',
        scale: svg.getBoundingClientRect().width / natural,
        natural,
      };
    }),
  );
}

describeWithChromium(`the sessions' diagrams in a browser`, () => {
  let site: SiteServer;
  let browser: Browser;

  beforeAll(async () => {
    site = await serveSite(await builtSite());
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  for (const [session, count] of [
    ['session-4', 1],
    ['session-5', 1],
  ] as const) {
    it(
      `${session}: the diagram is drawn at 85% of its natural size or more`,
      { timeout: 60_000 },
      async () => {
        const { page, problems } = await openPage(browser, { ignore });
        const drawn = await diagramsOf(page, `/sessions/${session}`, site, count);
        for (const d of drawn)
          expect(
            d.scale,
            `${session} drawn at ${Math.round(d.scale * 100)}% of ${d.natural}px`,
          ).toBeGreaterThanOrEqual(0.85);
        await screenshot(page, `diagram-${session}`);
        expect(problems).toEqual([]);
        await page.close();
      },
    );
  }

  it(
    'session-6: one graph per state machine, in the order of the TODOs, each readable; Full size draws it at its natural size',
    { timeout: 60_000 },
    async () => {
      const { page, problems } = await openPage(browser, { ignore });
      const drawn = await diagramsOf(page, '/sessions/session-6', site, 5);
      expect(drawn.map((d) => d.title.split(':')[0])).toEqual([
        'TODOs 1–2',
        'TODOs 3–4',
        'TODO 5',
        'TODO 6',
        'TODOs 7–8',
      ]);
      for (const d of drawn)
        expect(d.scale, `${d.title} drawn at ${Math.round(d.scale * 100)}%`).toBeGreaterThanOrEqual(0.85);

      const last = page.locator('.sg-diagram').nth(4);
      await last.locator('.sg-diagram-zoom').click();
      await waitUntil(
        async () => (await last.getAttribute('class'))?.includes('sg-diagram-full') || undefined,
        'the diagram to go full size',
      );
      const full = await last.evaluate((f) => {
        const svg = f.querySelector('svg') as SVGSVGElement;
        return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      });
      expect(full).toBeGreaterThanOrEqual(0.99);
      expect(await last.locator('.sg-diagram-zoom').textContent()).toBe('Fit to page');
      await screenshot(page, 'diagram-session-6');
      expect(problems).toEqual([]);
      await page.close();
    },
  );
});
