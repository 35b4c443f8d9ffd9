import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { LocalCloud } from '../../emulator/index.ts';
import { registerCloud } from '../../checker/core/clouds.ts';
import { demo } from '../../checker/commands/demo.ts';
import { capture } from './support.ts';

/**
 * `npm run demo session-N`: each session's demo, run against a real local cloud with that
 * session's solution deployed (found as npm start's would be, in .dojo/run/clouds/), and
 * what each step says it did, seen through the AWS SDK.
 */
const realSetTimeout = globalThis.setTimeout;

describe('npm run demo', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  /** The session's solution on a local cloud listed in a scratch repository's registry, and the demo run on it. */
  async function runDemo(session: string) {
    const root = resolve('.dojo', 'tmp', `demo-${randomBytes(4).toString('hex')}`);
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    const cloud = await LocalCloud.start({ port: 0, speed: 1 });
    cleanup.push(() => cloud.stop());
    await cloud.deployService(resolve('solutions', session));
    const unregister = registerCloud(root, {
      port: Number(new URL(cloud.endpoint).port),
      endpoint: cloud.endpoint,
      region: cloud.region,
      dir: resolve('solutions', session),
      command: 'npm start',
    });
    cleanup.push(unregister);
    const config = cloud.clientConfig();
    const clients = {
      ddb: new DynamoDBClient(config),
      lambda: new LambdaClient(config),
      sfn: new SFNClient(config),
    };
    cleanup.push(() => Object.values(clients).forEach((c) => c.destroy()));
    const out = capture();
    const kept: Record<string, string> = {};
    const code = await demo({ session, root, print: out.print, kept });
    const envOf = async (fn: string, name: string) =>
      (await clients.lambda.send(new GetFunctionCommand({ FunctionName: `dojo-serverless-local-${fn}` })))
        .Configuration!.Environment!.Variables![name];
    const tableIds = async (fn: string, variable = 'VIRUS_TABLE_NAME') =>
      ((await clients.ddb.send(new ScanCommand({ TableName: await envOf(fn, variable) }))).Items ?? []).map(
        (i) => i.id.S,
      );
    return { code, text: out.text(), kept, cloud, clients, envOf, tableIds };
  }

  it('session 1: invokes createVirus, and the virus it returned is in the table', async () => {
    const { code, text, kept, tableIds, cloud } = await runDemo('session-1');
    expect(code).toBe(0);
    expect(text).toContain(`export AWS_ENDPOINT_URL=${cloud.endpoint}`);
    expect(text).toContain(
      "$ aws lambda invoke --function-name dojo-serverless-local-createVirus --cli-binary-format raw-in-base64-out --payload '{}' /dev/stdout",
    );
    expect(text).toContain('$ aws dynamodb scan --table-name dojo-serverless-local-viruses');
    expect(kept.virus).toMatch(/^[0-9a-f-]{36}$/);
    expect(await tableIds('createVirus')).toContain(kept.virus);
  }, 120_000);

  it('session 2: spawns through POST /viruses, lists, and kills that virus through DELETE', async () => {
    const { code, text, kept, tableIds } = await runDemo('session-2');
    expect(code).toBe(0);
    expect(text).toMatch(/\$ curl -s -X POST http:\/\/127\.0\.0\.1:\d+\/_aws\/execute-api\/\w+\/viruses/);
    expect(text).toContain(`/viruses/${kept.virus}`);
    expect(text).toMatch(/^ {2}201 /m);
    expect(text).toMatch(/^ {2}204$/m);
    expect(kept.virus).toBeTruthy();
    expect(await tableIds('createVirus')).not.toContain(kept.virus);
  }, 120_000);

  it('session 3: invokes createVirus as its schedule would, and its virus is in the table', async () => {
    const { code, kept, tableIds } = await runDemo('session-3');
    expect(code).toBe(0);
    expect(kept.virus).toBeTruthy();
    expect(await tableIds('createVirus')).toContain(kept.virus);
  }, 120_000);

  it("session 4: the event put on the bus starts virusCreation through the bus's rule", async () => {
    const { code, text, kept, clients } = await runDemo('session-4');
    expect(code).toBe(0);
    expect(text).toContain('$ aws events put-events --entries');
    expect(text).toContain('"DetailType":"VIRUS_CREATION_REQUESTED"');
    // The execution listed was started by the bus's rule, and waits.
    const execution = await clients.sfn.send(new DescribeExecutionCommand({ executionArn: kept.execution }));
    expect(execution.stateMachineArn).toMatch(/:stateMachine:dojo-serverless-local-virusCreation$/);
    expect(execution.status).toBe('RUNNING');
  }, 120_000);

  it('session 5: a Schedule Start starts a waiting scheduler execution; the Schedule Stop forgets it', async () => {
    const { code, text, kept, clients, envOf } = await runDemo('session-5');
    expect(code).toBe(0);
    expect(text).toContain('"DetailType":"Schedule Start"');
    // The execution listed waits, with the schedule the event asked for as its input.
    const execution = await clients.sfn.send(new DescribeExecutionCommand({ executionArn: kept.scheduler }));
    expect(execution.status).toBe('RUNNING');
    expect(JSON.parse(execution.input!)).toMatchObject({ id: 'demo:every-minute', cron: '* * * * *' });
    const table = await envOf('stopSchedule', 'SCHEDULE_TABLE_NAME');
    // The Stop reaches stopSchedule through its rule: the schedule's item goes.
    const until = performance.now() + 10_000;
    let item: unknown = {};
    while (item && performance.now() < until) {
      item = (
        await clients.ddb.send(
          new GetItemCommand({ TableName: table, Key: { id: { S: 'demo:every-minute' } } }),
        )
      ).Item;
      if (item) await new Promise((r) => realSetTimeout(r, 100));
    }
    expect(item).toBeUndefined();
  }, 120_000);

  it('session 6: starts labAlert, finds its task token in the history, and SendTaskSuccess ends the wait', async () => {
    const { code, text, kept, clients } = await runDemo('session-6');
    expect(code).toBe(0);
    expect(text).toContain('$ aws stepfunctions start-execution --state-machine-arn');
    expect(text).toContain(`$ aws stepfunctions get-execution-history --execution-arn ${kept.execution}`);
    expect(text).toContain('--task-output \'{"approved":true}\'');
    // The answer resumes the execution: its task succeeds with the demo's output.
    const succeededTask = async () =>
      (await clients.sfn.send(new GetExecutionHistoryCommand({ executionArn: kept.execution }))).events?.find(
        (e) => e.type === 'TaskSucceeded',
      );
    const until = performance.now() + 10_000;
    while (!(await succeededTask()) && performance.now() < until)
      await new Promise((r) => realSetTimeout(r, 100));
    const succeeded = (await succeededTask())!;
    expect(succeeded).toBeDefined();
    expect(JSON.parse(succeeded.taskSucceededEventDetails!.output!)).toEqual({ approved: true });
  }, 120_000);

  it('says how to start a local cloud when none runs', async () => {
    const root = resolve('.dojo', 'tmp', `demo-${randomBytes(4).toString('hex')}`);
    await expect(demo({ session: 'session-6', root, print: () => undefined })).rejects.toThrow(
      "No local cloud runs: start one with the session's solution, e.g. npm start -- --dir solutions/session-6",
    );
  });
});
