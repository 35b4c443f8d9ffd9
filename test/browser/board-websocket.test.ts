import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { builtSite, REPO_ROOT, serveSite, type SiteServer } from './support/site.ts';
import {
  describeWithChromium,
  launchBrowser,
  openPage,
  sleep,
  waitUntil,
  within,
} from './support/browser.ts';
import { LocalCloud } from '../../emulator/cloud.ts';

/**
 * The board following session 3's bonus part: the learner's WebSocket API pushes each change
 * of the virus table (its stream, pushVirus), and the board shows it with no poll of GET
 * /viruses; when the socket closes it polls until it has a new one. A virus is written
 * straight into the table through the SDK, so only the push can bring it to a board that
 * does not poll. The session-3 solution runs on the local cloud at real speed.
 */
const VIRUSES = 'dojo-serverless-local-viruses';
const CONNECTIONS = 'dojo-serverless-local-connections';

describeWithChromium('the board following a WebSocket API (session 3 bonus)', () => {
  let site: SiteServer;
  let browser: Browser;
  let cloud: LocalCloud;
  let ddb: DynamoDBClient;
  let apiUrl: string;
  let wsUrl: string;
  let page: Page;
  let problems: string[];
  const polls: string[] = [];

  beforeAll(async () => {
    site = await serveSite(await builtSite());
    browser = await launchBrowser();
    cloud = await LocalCloud.start({ port: 0, speed: 1 });
    await cloud.deployService(resolve(REPO_ROOT, 'solutions/session-3'));
    ddb = new DynamoDBClient(cloud.clientConfig());
    apiUrl = cloud.apiUrls().find((a) => a.kind === 'HTTP API')!.url;
    wsUrl = cloud.apiUrls().find((a) => a.kind === 'WebSocket')!.url;
    ({ page, problems } = await openPage(browser));
    page.on('request', (r) => {
      if (r.method() === 'GET' && r.url().endsWith('/viruses')) polls.push(r.url());
    });
  }, 300_000);

  afterAll(async () => {
    await page?.close();
    ddb?.destroy();
    await cloud?.stop();
    await browser?.close();
    await site?.close();
  });

  const boardIds = () =>
    page.locator('.board-virus').evaluateAll((els) => els.map((e) => e.getAttribute('data-virus-id')!));
  const status = () => page.getByTestId('push-status');
  /** The changes a board says were pushed to it (the schedule's viruses too: compare counts, not values). */
  const pushedOn = async (p: Page) =>
    Number(/\((\d+) pushed\)/.exec((await p.getByTestId('push-status').textContent()) ?? '')?.[1]);
  const put = (id: string) =>
    ddb.send(
      new PutItemCommand({
        TableName: VIRUSES,
        Item: { id: { S: id }, createdAt: { S: new Date().toISOString() } },
      }),
    );
  const pushIs = (state: 'live' | 'down', what: string) =>
    within(page.locator(`[data-testid="push-status"][data-push="${state}"]`).waitFor(), what);
  const connectionIds = async () =>
    ((await ddb.send(new ScanCommand({ TableName: CONNECTIONS }))).Items ?? []).map((i) => i.connectionId.S!);

  it('shows a virus written through the SDK as soon as it is pushed, without a poll', async () => {
    await page.goto(`${site.url}/board?api=${encodeURIComponent(apiUrl)}&ws=${encodeURIComponent(wsUrl)}`);
    await pushIs('live', 'the board live on the WebSocket');
    expect(await status().textContent()).toContain('Live: your WebSocket API pushes each change (');
    await waitUntil(async () => (await connectionIds()).length === 1, 'the board in the connection table');
    // The list as it was when the push went live: one GET, then none while it stays live.
    await waitUntil(async () => polls.length >= 1, 'the first GET /viruses');
    const before = polls.length;

    const id = randomUUID();
    const pushed = await pushedOn(page);
    await put(id);
    await waitUntil(async () => (await boardIds()).includes(id), 'the pushed virus on the board', 10_000);
    expect(await pushedOn(page)).toBeGreaterThan(pushed);
    await ddb.send(new DeleteItemCommand({ TableName: VIRUSES, Key: { id: { S: id } } }));
    await waitUntil(async () => !(await boardIds()).includes(id), 'the pushed kill', 10_000);
    expect(await pushedOn(page)).toBeGreaterThan(pushed + 1);
    // Longer than the poller's 2 s: it is waiting, not polling.
    await sleep(2500);
    expect(polls.length, 'GET /viruses calls while the push is live').toBe(before);
    expect(problems).toEqual([]);
  });

  it('polls while the WebSocket is closed, and follows it again once it is back', async () => {
    const [connectionId] = await connectionIds();
    // The @connections API of the stage, as a handler reaches it: the server closes the socket.
    const management = new ApiGatewayManagementApiClient({
      ...cloud.clientConfig(),
      endpoint: wsUrl.replace(/^ws/, 'http'),
    });
    await management.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    management.destroy();
    await pushIs('down', 'the board to see the socket closed');
    expect(await status().textContent()).toContain('closed the connection: the board polls until it is back');
    const before = polls.length;
    const id = randomUUID();
    await put(id);
    await waitUntil(async () => polls.length > before, 'a poll of GET /viruses');
    // A new connection after the retry delay, and with it the push again.
    await pushIs('live', 'the board live on a new WebSocket');
    await waitUntil(
      async () => (await boardIds()).includes(id),
      'the virus written while the socket was closed',
    );
    expect(await connectionIds()).not.toContain(connectionId);
  });

  it("on the local cloud, follows the stack's own WebSocket API and shows what it pushes", async () => {
    const { page: local, problems: localProblems } = await openPage(browser);
    try {
      await local.goto(`${site.url}/board?cloud=${encodeURIComponent(cloud.endpoint)}`);
      await within(
        local.locator('[data-testid="push-status"][data-push="live"]').waitFor(),
        "the board live on the stack's WebSocket",
      );
      const before = await pushedOn(local);
      const id = randomUUID();
      await put(id);
      await waitUntil(
        async () => (await local.locator(`.board-virus[data-virus-id="${id}"]`).count()) === 1,
        'the pushed virus on the board',
        10_000,
      );
      expect(await pushedOn(local)).toBeGreaterThan(before);
      expect(localProblems).toEqual([]);
    } finally {
      await local.close();
    }
  });
});
