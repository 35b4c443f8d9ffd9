import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { builtSite, REPO_ROOT, serveSite, type SiteServer } from './support/site.ts';
import { describeWithChromium, launchBrowser, openPage, waitUntil } from './support/browser.ts';
import { startCloudProcess, type CloudProcess } from './support/cloud-process.ts';
import { clockTime } from '../../docs/.vitepress/theme/board/format.ts';

/**
 * The board at 60x, as an instructor reads it: over a hundred viruses drawn as the newest 100
 * "and N more", an approval row led by the virus id and strength, and the timeline filtered by
 * origin. Its screenshot is the one in the instructor guide (docs/public/screenshots/board.png).
 */
const SHOT = join(REPO_ROOT, 'docs', 'public', 'screenshots', 'board.png');
const TABLE = 'dojo-serverless-local-viruses';
/**
 * The picture's instants. A paused clock still flows at real speed while a request is in
 * flight (emulator/core/clock.ts), so the setup's calls take a second or two of virtual time, more on
 * a busy machine: each step that shows a time starts at an instant of its own, well past that.
 */
const START = Date.UTC(2026, 10, 21, 10, 0, 0);
/** The viruses are written from here on: the arrivals show them in its second. */
const WRITES_AT = START + 5_000;
const ALERT_AT = START + 15_000;
const SHOT_AT = START + 45_000;
const DEFINITION = {
  StartAt: 'AskForApproval',
  States: {
    AskForApproval: {
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents.waitForTaskToken',
      Parameters: {
        Entries: [
          {
            Source: 'dojo.lab',
            DetailType: 'PANDEMIC_ALERT',
            Detail: { 'token.$': '$$.Task.Token', 'strength.$': '$.strength', 'virusId.$': '$.virusId' },
          },
        ],
      },
      End: true,
    },
  },
};

describeWithChromium('the board at 60x', () => {
  let site: SiteServer;
  let browser: Browser;
  let cloud: CloudProcess;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    site = await serveSite(await builtSite());
    browser = await launchBrowser();
    // A paused clock at fixed instants, fixed names: the same screenshot every run. In a
    // process of its own, so that Playwright's timers here stay real (cloud-process.ts).
    cloud = await startCloudProcess({ speed: 'paused', start: START });
    const ddb = new DynamoDBClient(cloud.clientConfig());
    await ddb.send(
      new CreateTableCommand({
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await cloud.advanceTo(WRITES_AT);
    for (let batch = 0; batch < 6; batch++)
      await ddb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [TABLE]: Array.from({ length: 25 }, (_, i) => ({
              PutRequest: {
                Item: {
                  id: { S: `virus-${batch * 25 + i}` },
                  // 5 ms apart: which 100 are the newest is the same every run.
                  createdAt: { S: new Date(WRITES_AT + (batch * 25 + i) * 5).toISOString() },
                },
              },
            })),
          },
        }),
      );
    ddb.destroy();
    const sfn = new SFNClient(cloud.clientConfig());
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'labAlert',
        definition: JSON.stringify(DEFINITION),
        roleArn: 'arn:aws:iam::123456789012:role/sfn',
      }),
    );
    await cloud.advanceTo(ALERT_AT);
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: 'alert-virus-149',
        input: JSON.stringify({ virusId: 'virus-149', strength: 9 }),
      }),
    );
    sfn.destroy();
    ({ page, problems } = await openPage(browser));
    await page.setViewportSize({ width: 1200, height: 900 });
  }, 300_000);

  afterAll(async () => {
    await page?.close();
    await cloud?.stop();
    await browser?.close();
    await site?.close();
  });

  it('draws the newest 100 viruses and says how many more; an approval leads with the virus; the timeline filters by origin', async () => {
    await page.goto(`${site.url}/board?cloud=${cloud.endpoint}`);
    await page.locator('.board[data-status="online"]').waitFor();
    await waitUntil(
      async () => (await page.getByTestId('virus-count').textContent())?.includes('150'),
      '150 viruses on the board',
    );
    expect(await page.locator('.board-virus').count()).toBe(100);
    expect(await page.getByTestId('virus-more').textContent()).toContain('and 50 more');

    const approval = page.locator('.board-approvals .approval');
    await approval.waitFor();
    const facts = await approval.locator('.fact').allTextContents();
    expect(facts.map((f) => f.replace(/\s+/g, ' ').trim())).toEqual(['virusId virus-149', 'strength 9']);
    expect(await approval.locator('.where').textContent()).toContain('AskForApproval');

    // Two origins: the state machine's execution, and the event it put (by its source).
    const timeline = page.locator('.board-timeline');
    await timeline.locator('[data-origin="labAlert"][data-kind="execution"]').waitFor();
    await timeline.locator('button[data-origin="labAlert"]').click();
    await timeline.locator('li[data-origin="labAlert"]').first().waitFor({ state: 'detached' });
    expect(await timeline.locator('li[data-origin="dojo.lab"]').count()).toBeGreaterThan(0);
    await timeline.locator('button[data-origin="labAlert"]').click();
    await timeline.locator('li[data-origin="labAlert"]').first().waitFor();

    // The guide's picture: DynamoDB's 150 writes hidden, so the page shows the rest at once.
    await timeline.getByRole('button', { name: 'DynamoDB' }).click();
    await timeline.locator('li[data-kind="write"]').first().waitFor({ state: 'detached' });
    // The clock at the picture's instant; the board's own calls move it by milliseconds only.
    await cloud.advanceTo(SHOT_AT);
    await waitUntil(
      async () => (await page.getByTestId('virtual-time').textContent())?.includes(clockTime(SHOT_AT)),
      `the board's clock at ${clockTime(SHOT_AT)}`,
    );
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => document.fonts.ready);
    // The cloud's address has a new port every run: masked, so the picture stays the same.
    // The viruses wobble in real time: stopped at their first frame, so every run draws the same.
    const shot = await page.screenshot({
      fullPage: true,
      animations: 'disabled',
      mask: [page.locator('.board-link code')],
    });
    // Written only when it changed: the guide's build (shared by the browser tests) is
    // rebuilt whenever a file under docs/ changes.
    if (!existsSync(SHOT) || !readFileSync(SHOT).equals(shot)) writeFileSync(SHOT, shot);
    expect(problems).toEqual([]);
  }, 180_000);
});
