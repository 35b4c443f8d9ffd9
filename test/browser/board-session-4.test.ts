import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { builtSite, REPO_ROOT, serveSite, type SiteServer } from './support/site.ts';
import { describeWithChromium, launchBrowser, openPage, screenshot, waitUntil } from './support/browser.ts';
import { LocalCloud } from '../../emulator/cloud.ts';

/**
 * The board on the reference solution of session 4, on a local cloud in this process: the
 * board's own Fast-forward runs 20 virtual minutes, and the viruses, the histogram of wait
 * times, the arrivals and the timeline must all match what the local cloud did.
 */
describeWithChromium(`the board on session 4`, () => {
  let site: SiteServer;
  let browser: Browser;
  let cloud: LocalCloud;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    // The guide and the browser first: the local cloud then takes over this process's timers.
    site = await serveSite(await builtSite());
    browser = await launchBrowser();
    // Real speed until the board fast-forwards: the browser's calls take real time anyway.
    cloud = await LocalCloud.start({ port: 0, speed: 1, seed: 4 });
    await cloud.deployService(resolve(REPO_ROOT, 'solutions/session-4'));
    ({ page, problems } = await openPage(browser));
  }, 300_000);

  afterAll(async () => {
    await page?.close();
    await cloud?.stop();
    await browser?.close();
    await site?.close();
  });

  const boardCount = async () => Number(await page.locator('.board-arena').getAttribute('data-viruses'));
  const histogramTotal = async () =>
    Number(
      (await page
        .locator('.board-waits')
        .getAttribute('data-total')
        .catch(() => '0')) ?? 0,
    );

  it('shows the viruses appear and fills the histogram when the board fast-forwards 20 minutes', async () => {
    await page.goto(`${site.url}/board?cloud=${cloud.endpoint}`);
    await page.locator('.board[data-status="online"]').waitFor();
    await page.getByText('No viruses yet').waitFor();
    const startedAt = cloud.clock.now();

    await page.locator('.board-clock-forward input').fill('20');
    await page.getByRole('button', { name: 'Fast-forward 20 min' }).click();
    await waitUntil(
      () => cloud.clock.now() >= startedAt + 20 * 60_000 && !cloud.clock.state().advancing,
      '20 virtual minutes',
      60_000,
    );

    // What the local cloud did: one wait chosen per execution, one virus per finished one.
    const waits = cloud.trace.find('sfn.state.exit', (e) => e.state === 'ChooseWaitTime').length;
    const { Items = [] } = await new DynamoDBClient(cloud.clientConfig()).send(
      new ScanCommand({ TableName: 'dojo-serverless-local-viruses' }),
    );
    expect(waits).toBeGreaterThanOrEqual(57);
    expect(Items.length).toBeGreaterThanOrEqual(54);

    await waitUntil(
      async () => (await boardCount()) === Items.length,
      `the board to show the ${Items.length} viruses of the table`,
    );
    await waitUntil(async () => (await histogramTotal()) === waits, `the histogram to count ${waits} waits`);
    expect(await page.locator('.board-virus').count()).toBe(Math.min(Items.length, 100));
    const ids = await page
      .locator('.board-virus')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-virus-id')));
    const tableIds = new Set(Items.map((i) => i.id.S));
    expect(ids.every((id) => tableIds.has(id!))).toBe(true);

    // Spread over the arena, not piled in a corner.
    const boxes = await page
      .locator('.board-virus')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.x, r.y]));
    const xs = boxes.map(([x]) => x);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(600);

    // The histogram's bars add up, the arrivals show dots, the clock shows the new time.
    const bars = await page
      .locator('.board-waits .bar')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('title')?.split(': ')[1])));
    expect(bars.reduce((a, b) => a + b, 0)).toBe(waits);
    expect(bars.filter((n) => n > 0).length).toBeGreaterThanOrEqual(8);
    expect(await page.locator('.board-arrivals .dot').count()).toBeGreaterThan(10);
    const shown = await page.getByTestId('virtual-time').textContent();
    const now = new Date(cloud.clock.now()).toISOString().slice(11, 16);
    await waitUntil(
      async () => (await page.getByTestId('virtual-time').textContent())?.startsWith(now),
      `the clock to show ${now} (showed ${shown})`,
    );

    await screenshot(page, 'board-session-4');
    expect(problems).toEqual([]);
  }, 120_000);

  it('tells the story behind the viruses in the timeline, newest first', async () => {
    const timeline = page.locator('.board-timeline');
    const kinds = await timeline
      .locator('.item')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    for (const kind of ['tick', 'event', 'execution', 'invocation', 'write'])
      expect(kinds, kind).toContain(kind);
    const times = await timeline.locator('.item .time').allTextContents();
    expect([...times].sort().reverse()).toEqual(times);

    const execution = timeline.locator('.item-execution').filter({ hasText: 'succeeded' }).first();
    expect(await execution.textContent()).toMatch(
      /ChooseWaitTime \(\d+ ms\)\s*→\s*WaitXSeconds \([\d.]+ s\)\s*→\s*CreateVirus/,
    );

    // A Lambda invocation opens on its logs.
    const createVirus = timeline.locator('.item-invocation').filter({ hasText: 'createVirus' }).first();
    await createVirus.locator('summary').click();
    expect(await createVirus.locator('pre.logs').textContent()).toMatch(
      /virus created [0-9a-f-]{36} after waiting \d+ s/,
    );

    // The filters hide a kind and bring it back.
    await timeline.getByRole('button', { name: 'Lambda' }).click();
    expect(await timeline.locator('.item-invocation').count()).toBe(0);
    await timeline.getByRole('button', { name: 'Lambda' }).click();
    expect(await timeline.locator('.item-invocation').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('sets the clock speed from its buttons', async () => {
    const clockButtons = page.locator('.board-clock-buttons');
    await clockButtons.getByRole('button', { name: '60x' }).click();
    await waitUntil(() => cloud.clock.getSpeed() === 60, 'the clock at 60x');
    await page.locator('.board-clock[data-speed="60"]').waitFor();
    await clockButtons.getByRole('button', { name: 'Pause' }).click();
    await waitUntil(() => cloud.clock.getSpeed() === 'paused', 'the clock paused');
    // Back to real time before anything else: the browser driver's own timers run on this clock.
    await clockButtons.getByRole('button', { name: '1x' }).click();
    await waitUntil(() => cloud.clock.getSpeed() === 1, 'the clock at 1x');
    expect(await clockButtons.getByRole('button', { name: '1x' }).getAttribute('aria-pressed')).toBe('true');
    expect(problems).toEqual([]);
  });
});
