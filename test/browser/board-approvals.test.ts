import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { builtSite, serveSite, type SiteServer } from './support/site.ts';
import { describeWithChromium, launchBrowser, openPage, screenshot, waitUntil } from './support/browser.ts';
import { LocalCloud } from '../../emulator/cloud.ts';

/**
 * Session 6's human in the loop: a task waiting on a task token shows on the board with
 * Approve and Reject, and leaves it once answered. The board answers through Step Functions
 * on the local cloud when the browser may call it (CORS); otherwise it shows the command
 * that does the same from a terminal, and the test runs that command's API call.
 */
const DEFINITION = {
  StartAt: 'AskTheDoctor',
  States: {
    AskTheDoctor: {
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents.waitForTaskToken',
      Parameters: {
        Entries: [
          {
            Source: 'dojo.board.test',
            DetailType: 'APPROVAL_REQUESTED',
            Detail: { 'token.$': '$$.Task.Token', 'virus.$': '$.virus' },
          },
        ],
      },
      ResultPath: '$.approval',
      Next: 'Decide',
    },
    Decide: {
      Type: 'Choice',
      Choices: [{ Variable: '$.approval.approved', BooleanEquals: true, Next: 'Vaccinate' }],
      Default: 'Wait it out',
    },
    Vaccinate: { Type: 'Succeed' },
    'Wait it out': { Type: 'Fail', Error: 'NotApproved' },
  },
};

describeWithChromium(`the board's approvals`, () => {
  let site: SiteServer;
  let browser: Browser;
  let cloud: LocalCloud;
  let sfn: SFNClient;
  let stateMachineArn: string;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    // The guide and the browser first: the local cloud then takes over this process's timers.
    site = await serveSite(await builtSite());
    browser = await launchBrowser();
    cloud = await LocalCloud.start({ port: 0, speed: 1 });
    sfn = new SFNClient(cloud.clientConfig());
    const created = await sfn.send(
      new CreateStateMachineCommand({
        name: 'vaccination',
        definition: JSON.stringify(DEFINITION),
        roleArn: 'arn:aws:iam::123456789012:role/sfn',
      }),
    );
    stateMachineArn = created.stateMachineArn!;
    ({ page, problems } = await openPage(browser));
  }, 300_000);

  afterAll(async () => {
    await page?.close();
    sfn?.destroy();
    await cloud?.stop();
    await browser?.close();
    await site?.close();
  });

  const start = async (name: string) =>
    (
      await sfn.send(
        new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify({ virus: name }) }),
      )
    ).executionArn!;
  const status = async (executionArn: string) =>
    (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
  const pending = () => page.locator('.board-approvals .approval');

  /** Clicks a button of the approval for `token`; answers like the fallback command when the browser cannot. */
  async function answer(token: string, button: 'Approve' | 'Reject'): Promise<'board' | 'terminal'> {
    await page.locator(`.approval[data-token="${token}"]`).getByRole('button', { name: button }).click();
    const how = await waitUntil(async () => {
      if ((await page.locator(`.approval[data-token="${token}"]`).count()) === 0) return 'board' as const;
      if ((await page.locator('.board-approvals-fallback').count()) > 0) return 'terminal' as const;
      return undefined;
    }, `the approval to be answered or the terminal command to show`);
    if (how === 'terminal') {
      const command = await page.locator('.board-approvals-fallback pre').textContent();
      expect(command).toContain(`--task-token '${token}'`);
      expect(command).toContain(`--endpoint-url ${cloud.endpoint}`);
      if (button === 'Approve') {
        expect(command).toContain(`send-task-success`);
        expect(command).toContain(`--task-output '{"approved": true}'`);
        await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved": true}' }));
      } else {
        expect(command).toContain('send-task-failure');
        expect(command).toContain('--error Rejected');
        await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected' }));
      }
    }
    await page.locator(`.approval[data-token="${token}"]`).waitFor({ state: 'detached' });
    return how;
  }

  it('lists the tasks waiting on a task token, and drops each once answered', async () => {
    const first = await start('virus-1');
    const second = await start('virus-2');
    await page.goto(`${site.url}/board?cloud=${cloud.endpoint}`);
    await page.locator('.board[data-status="online"]').waitFor();
    await waitUntil(async () => (await pending().count()) === 2, 'two pending approvals');
    expect(await pending().first().textContent()).toContain('AskTheDoctor');
    await screenshot(page, 'board-approvals-pending');

    const tokens = Object.fromEntries(cloud.sfn.pendingTaskTokens().map((t) => [t.executionArn, t.token]));
    const approvedVia = await answer(tokens[first], 'Approve');
    await waitUntil(async () => (await status(first)) === 'SUCCEEDED', 'the approved execution to succeed');
    expect(await pending().count()).toBe(1);

    await answer(tokens[second], 'Reject');
    await waitUntil(async () => (await status(second)) === 'FAILED', 'the rejected execution to fail');
    expect(await pending().count()).toBe(0);
    expect(await page.locator('.board-approvals').getAttribute('data-pending')).toBe('0');
    await screenshot(page, 'board-approvals-answered');

    // A browser refused by CORS logs the refused call: that is the terminal path, and expected.
    const refused =
      approvedVia === 'terminal'
        ? (p: string) => /CORS|Failed to load resource|ERR_FAILED/.test(p)
        : () => false;
    expect(problems.filter((p) => !refused(p))).toEqual([]);
  });
});
