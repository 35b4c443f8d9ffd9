import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { builtSite, REPO_ROOT, serveSite, type SiteServer } from './support/site.ts';
import {
  clickableViruses,
  describeWithChromium,
  launchBrowser,
  openPage,
  waitUntil,
  within,
} from './support/browser.ts';
import { LocalCloud } from '../../emulator/cloud.ts';

/**
 * The board on a backend deployed to AWS (`?api=`, what npm start -- --aws opens): it
 * follows the learner's HTTP API alone, polling GET /viruses, and kills by DELETE. The API
 * is the same shape on AWS; here the local cloud's HTTP API of the session-2 solution
 * stands in for API Gateway, and the board is kept from the local cloud's own endpoints.
 */
const TABLE = 'dojo-serverless-local-viruses';

describeWithChromium(
  `the board following a deployed API (the local cloud's HTTP API stands in for AWS's)`,
  () => {
    let site: SiteServer;
    let browser: Browser;
    let cloud: LocalCloud;
    let ddb: DynamoDBClient;
    let apiUrl: string;
    let page: Page;
    let problems: string[];
    const asked: string[] = [];

    beforeAll(async () => {
      site = await serveSite(await builtSite());
      browser = await launchBrowser();
      cloud = await LocalCloud.start({ port: 0, speed: 1 });
      await cloud.deployService(resolve(REPO_ROOT, 'solutions/session-2'));
      ddb = new DynamoDBClient(cloud.clientConfig());
      apiUrl = `${cloud.endpoint}/_aws/execute-api/${cloud.httpApis.list()[0].apiId}`;
      ({ page, problems } = await openPage(browser));
      page.on('request', (r) => asked.push(r.url()));
    }, 300_000);

    afterAll(async () => {
      await page?.close();
      ddb?.destroy();
      await cloud?.stop();
      await browser?.close();
      await site?.close();
    });

    const tableIds = async () =>
      ((await ddb.send(new ScanCommand({ TableName: TABLE }))).Items ?? []).map((i) => i.id.S!).sort();
    const boardIds = async () =>
      (
        await page
          .locator('.board-virus')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-virus-id')!))
      ).sort();
    const spawn = async () => expect((await fetch(`${apiUrl}/viruses`, { method: 'POST' })).status).toBe(201);

    it('shows the viruses GET /viruses lists, new ones included, with no clock and no trace', async () => {
      for (let i = 0; i < 3; i++) await spawn();
      await page.goto(`${site.url}/board?api=${encodeURIComponent(apiUrl)}`);
      await page.locator('.board[data-status="online"]').waitFor();
      expect(await page.locator('.board-link').textContent()).toContain(`Following your API at ${apiUrl}`);
      await waitUntil(async () => (await boardIds()).length === 3, 'the 3 viruses on the board');
      await spawn();
      await waitUntil(async () => (await boardIds()).length === 4, 'the new virus, at the next poll');
      expect(await boardIds()).toEqual(await tableIds());
      expect(await page.locator('.board-clock').count()).toBe(0);
      expect(
        asked.filter((u) => u.includes('/_dojo/')),
        'calls to the local cloud itself',
      ).toEqual([]);
    });

    it('kills a virus on click through DELETE /viruses/{id}', async () => {
      // Not the first of the list: one whose middle no other virus covers, or the click kills that one.
      const [victim] = await clickableViruses(page);
      await within(
        page.locator(`.board-virus[data-virus-id="${victim}"]`).click({ force: true }),
        'a click on the virus',
      );
      await waitUntil(async () => !(await boardIds()).includes(victim), 'the virus to leave the board');
      expect(await tableIds()).not.toContain(victim);
      // The count moves once the kill's animation is done (400 ms): a poll may have taken the virus off first.
      await waitUntil(
        async () => (await page.getByTestId('kill-count').textContent())?.includes('1 killed'),
        'the kill counted',
      );
      // A virus killed elsewhere (another player, the CLI) goes at the next poll.
      await fetch(`${apiUrl}/viruses/${(await tableIds())[0]}`, { method: 'DELETE' });
      await waitUntil(async () => (await boardIds()).length === 2, 'the virus killed elsewhere to go');
      expect(problems).toEqual([]);
    });

    it('says the API does not answer when it is gone', async () => {
      const { page: other } = await openPage(browser, {
        ignore: (text) => /Failed to load resource|ERR_CONNECTION_REFUSED/.test(text),
      });
      await other.goto(`${site.url}/board?api=${encodeURIComponent('http://127.0.0.1:9/gone')}`);
      await other.locator('.board[data-status="offline"]').waitFor();
      expect(await other.locator('.board-card-title').textContent()).toBe('Your API does not answer');
      await other.close();
    });
  },
);
