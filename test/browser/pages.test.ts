import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { builtSite, serveSite, type SiteServer } from './support/site.ts';
import {
  describeWithChromium,
  launchBrowser,
  openPage,
  screenshot,
  sleep,
  waitUntil,
} from './support/browser.ts';

/**
 * Every page of the built guide, in Chromium: it renders, and logs no error. The board is
 * pointed at a port where nothing listens, so it shows how to start the local cloud.
 */
const NO_CLOUD = 'http://127.0.0.1:9';

/** The browser reports the board's refused calls as console errors: expected here. */
function expected(_text: string, url: string): boolean {
  return url.startsWith(NO_CLOUD);
}

describeWithChromium(`the guide in a browser`, () => {
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

  it('renders every page of the nav and the sidebar without console errors', async () => {
    const seen = new Set<string>(['/']);
    const queue = ['/'];
    const failures: string[] = [];
    let busy = 0;
    // A few tabs crawl side by side: each page waits for its network to go quiet.
    const tab = async () => {
      const { page, problems } = await openPage(browser, { ignore: expected });
      for (;;) {
        const path = queue.shift();
        if (path === undefined) {
          if (busy === 0) break;
          await sleep(50);
          continue;
        }
        busy++;
        try {
          problems.length = 0;
          await page.goto(`${site.url}${path}?cloud=${NO_CLOUD}`, { waitUntil: 'load' });
          await page.waitForSelector('.VPContent');
          // Client-side work (diagrams, the board) runs after hydration: let it finish.
          await page.waitForLoadState('networkidle');
          const title = (await page.locator('h1').first().textContent())?.trim();
          if (!title) failures.push(`${path}: no h1`);
          if ((await page.locator('.NotFound').count()) > 0) failures.push(`${path}: page not found`);
          for (const p of problems) failures.push(`${path}: ${p}`);
          const links = await page.$$eval('.VPSidebar a[href], .VPNavBar a[href]', (as) =>
            as.map((a) => a.getAttribute('href') ?? ''),
          );
          for (const href of links) {
            if (!href.startsWith('/') || href.startsWith('//')) continue;
            const clean = href.replace(/[#?].*$/, '').replace(/\.html$/, '');
            if (!seen.has(clean)) {
              seen.add(clean);
              queue.push(clean);
            }
          }
        } finally {
          busy--;
        }
      }
      await page.close();
    };
    await Promise.all([tab(), tab(), tab(), tab()]);
    expect(failures).toEqual([]);
    // Home, setup, six sessions, concepts, reference, help, instructors and the board.
    expect(seen.size).toBeGreaterThanOrEqual(15);
    expect([...seen]).toContain('/board');
  }, 180_000);

  it('every session page shows sls deploy and sls remove, local first and AWS later, in the same words', async () => {
    const { page, problems } = await openPage(browser, { ignore: expected });
    const texts: string[] = [];
    for (let n = 1; n <= 6; n++) {
      await page.goto(`${site.url}/sessions/session-${n}?cloud=${NO_CLOUD}`, { waitUntil: 'load' });
      const section = page.locator('.sg-deploy');
      await section.waitFor();
      expect(await section.locator('h2').textContent()).toContain(
        'Deploy it as the seeds do: local first, AWS later',
      );
      const text = (await section.textContent()) ?? '';
      for (const line of [
        'npm run deploy',
        'AWS_ENDPOINT_URL=http://127.0.0.1:4566 npx sls info --stage local',
        'npx sls invoke -f createVirus --stage local',
        'npx sls remove --stage local',
        'npm run deploy -- --aws',
        'npm run teardown -- --aws',
      ])
        expect(text, `session-${n}`).toContain(line);
      // Before the solution, after the check: what to do once the check passes.
      const order = await page.$$eval('h2[id]', (hs) => hs.map((h) => h.id));
      expect(order.indexOf('deploy'), `session-${n}: ${order.join(', ')}`).toBe(order.indexOf('check') + 1);
      texts.push(text);
    }
    // One source: the six pages say it in the same words.
    expect(new Set(texts).size).toBe(1);
    await page.close();
    expect(problems).toEqual([]);
  });

  it('has an icon, so no page asks for a favicon that is not there', async () => {
    const { page, problems } = await openPage(browser, { ignore: expected });
    await page.goto(`${site.url}/setup?cloud=${NO_CLOUD}`, { waitUntil: 'load' });
    const href = await page.locator('head link[rel="icon"]').getAttribute('href');
    const icon = await fetch(new URL(href!, site.url));
    expect(icon.status).toBe(200);
    expect(await icon.text()).toContain('<svg');
    await page.waitForLoadState('networkidle');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('the board says how to start the local cloud, and keeps looking for it', async () => {
    const { page, problems } = await openPage(browser, { ignore: expected });
    let probes = 0;
    page.on('request', (r) => {
      if (r.url().startsWith(`${NO_CLOUD}/_dojo/health`)) probes++;
    });
    await page.goto(`${site.url}/board?cloud=${NO_CLOUD}`);
    const card = page.locator('.board-card');
    await card.getByText('The local cloud is not running').waitFor();
    const text = await card.textContent();
    expect(text).toContain(NO_CLOUD);
    expect(text).toContain('npm start');
    expect(text).toContain('npm run dev');
    expect(text).toMatch(/Trying again in \d s/);
    await waitUntil(() => probes >= 2, 'a second attempt to reach the local cloud', 10_000);
    await screenshot(page, 'board-no-cloud');
    expect(problems).toEqual([]);
    await page.close();
  });
});
