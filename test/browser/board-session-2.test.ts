import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DeleteItemCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { builtSite, REPO_ROOT, serveSite, type SiteServer } from './support/site.ts';
import {
  clickableViruses,
  describeWithChromium,
  launchBrowser,
  openPage,
  screenshot,
  waitUntil,
  within,
} from './support/browser.ts';
import { LocalCloud } from '../../emulator/cloud.ts';

/**
 * The board becomes playable in session 2: a click on a virus calls the learner's
 * DELETE /viruses/{id}, and the virus leaves the board and the table.
 */
const TABLE = 'dojo-serverless-local-viruses';

describeWithChromium(`the board on session 2`, () => {
  let site: SiteServer;
  let browser: Browser;
  let cloud: LocalCloud;
  let ddb: DynamoDBClient;
  let apiUrl: string;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    // The guide and the browser first: the local cloud then takes over this process's timers.
    site = await serveSite(await builtSite());
    browser = await launchBrowser();
    cloud = await LocalCloud.start({ port: 0, speed: 1 });
    await cloud.deployService(resolve(REPO_ROOT, 'solutions/session-2'));
    ddb = new DynamoDBClient(cloud.clientConfig());
    apiUrl = `${cloud.endpoint}/_aws/execute-api/${cloud.httpApis.list()[0].apiId}`;
    ({ page, problems } = await openPage(browser));
  }, 300_000);

  afterAll(async () => {
    await page?.close();
    ddb?.destroy();
    await cloud?.stop();
    await browser?.close();
    await site?.close();
  });

  const tableIds = async () =>
    ((await ddb.send(new ScanCommand({ TableName: TABLE }))).Items ?? []).map((i) => i.id.S!);
  const boardIds = () =>
    page.locator('.board-virus').evaluateAll((els) => els.map((e) => e.getAttribute('data-virus-id')!));
  const clickable = () => clickableViruses(page);
  const spawn = async () => {
    const res = await fetch(`${apiUrl}/viruses`, { method: 'POST' });
    expect(res.status).toBe(201);
  };

  it('shows the viruses of the table, including those spawned while it watches', async () => {
    for (let i = 0; i < 4; i++) await spawn();
    await page.goto(`${site.url}/board?cloud=${cloud.endpoint}`);
    await page.locator('.board[data-status="online"]').waitFor();
    await waitUntil(async () => (await boardIds()).length === 4, 'the 4 viruses on the board');
    // The viruses already there stay the same elements: a newcomer must not make them blink.
    await page
      .locator('.board-virus')
      .evaluateAll((els) => els.forEach((e) => e.setAttribute('data-seen', '')));
    await spawn();
    await waitUntil(async () => (await boardIds()).length === 5, 'the new virus on the board');
    expect((await boardIds()).sort()).toEqual((await tableIds()).sort());
    expect(await page.locator('.board-virus[data-seen]').count()).toBe(4);
    await screenshot(page, 'board-session-2-before-kill');
  });

  it('kills a virus on click: it leaves the board and the table', async () => {
    const [victim] = await clickable();
    expect(victim, 'a virus not covered by another').toBeDefined();
    await within(page.locator(`.board-virus[data-virus-id="${victim}"]`).click(), 'a click on the virus');
    await waitUntil(async () => !(await boardIds()).includes(victim), 'the virus to leave the board');
    const left = await tableIds();
    expect(left).not.toContain(victim);
    expect(left).toHaveLength(4);
    // The count moves once the kill's animation is done (400 ms): a poll may have taken the virus off first.
    await waitUntil(
      async () => (await page.getByTestId('kill-count').textContent())?.includes('1 killed'),
      'the kill counted',
    );

    // The timeline shows the kill: the request, the function, the DeleteItem.
    const timeline = page.locator('.board-timeline');
    await timeline
      .locator('.item-http')
      .filter({ hasText: `DELETE /viruses/${victim}` })
      .filter({ hasText: '204' })
      .waitFor();
    await timeline.locator('.item-write').filter({ hasText: 'DeleteItem' }).first().waitFor();
    await screenshot(page, 'board-session-2-after-kill');
    expect(problems).toEqual([]);
  });

  it("spawns a virus through the learner's own POST /viruses", async () => {
    const before = await tableIds();
    await within(page.getByRole('button', { name: 'Spawn a virus' }).click(), 'a click on Spawn a virus');
    await page.locator('.board-toast').filter({ hasText: 'through your POST /viruses' }).waitFor();
    await waitUntil(
      async () => (await boardIds()).length === before.length + 1,
      'the spawned virus on the board',
    );
    const after = await tableIds();
    expect(after).toHaveLength(before.length + 1);
    expect((await boardIds()).sort()).toEqual(after.sort());
    // It went through the learner's function, as the timeline shows.
    await page
      .locator('.board-timeline .item-http')
      .filter({ hasText: 'POST /viruses' })
      .filter({ hasText: '201' })
      .first()
      .waitFor();
  });

  it('drops a virus deleted behind its back (a DeleteItem in the trace)', async () => {
    const [gone] = await tableIds();
    await ddb.send(new DeleteItemCommand({ TableName: TABLE, Key: { id: { S: gone } } }));
    await waitUntil(async () => !(await boardIds()).includes(gone), 'the deleted virus to leave the board');
    expect((await boardIds()).sort()).toEqual((await tableIds()).sort());
  });

  it('says what went wrong when the kill fails, and keeps the virus', async () => {
    // A route that is not the learner's kill: the board must report, not pretend.
    const [target] = await clickable();
    expect(target, 'a virus not covered by another').toBeDefined();
    await page.route(`${apiUrl}/viruses/${target}`, (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        headers: { 'access-control-allow-origin': '*' },
        body: '{"message":"boom"}',
      }),
    );
    await within(page.locator(`.board-virus[data-virus-id="${target}"]`).click(), 'a click on the virus');
    await page
      .locator('.board-toast.error')
      .filter({ hasText: 'DELETE /viruses/{id} answered 500: boom' })
      .waitFor();
    expect(await boardIds()).toContain(target);
    expect(await tableIds()).toContain(target);
    await page.unroute(`${apiUrl}/viruses/${target}`);
    // The browser logs the failed request itself: that one is expected.
    expect(problems.filter((p) => !p.includes('status of 500'))).toEqual([]);
  });
});
