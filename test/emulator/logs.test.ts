import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { LocalCloud } from '../../emulator/cloud.ts';
import { runOsls } from '../../emulator/stack/package.ts';
import { MAX_EVENTS_PER_GROUP } from '../../emulator/logs/index.ts';
import { tempService } from '../support/temp-service.ts';

const run = promisify(execFile);

// A service as a learner writes it; osls packages it, with the log group it emits per function.
const service = tempService({
  'serverless.yml': `service: logsdemo
frameworkVersion: '4'
provider:
  name: aws
  runtime: nodejs22.x
  region: eu-west-1
  logRetentionInDays: 7
functions:
  hello:
    handler: handler.main
`,
  'handler.mjs': `export const main = async (event) => {
  console.log('hello from', event.who);
  console.error('Task timed out? no, just a phrase');
  return 'ok';
};`,
});

describe('CloudWatch Logs', () => {
  let cloud: LocalCloud;
  let logs: CloudWatchLogsClient;
  let lambda: LambdaClient;
  const group = '/aws/lambda/logsdemo-local-hello';
  const error = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: Error) => ({ name: e.name, message: e.message }),
    );

  beforeAll(async () => {
    cloud = await LocalCloud.start();
    await cloud.deployService(service.dir);
    logs = new CloudWatchLogsClient(cloud.clientConfig());
    lambda = new LambdaClient(cloud.clientConfig());
    // Names with a letter beyond f: a term matches anywhere in an event, and the START, END and
    // REPORT lines carry the request id in hex ('ada' matched one of them about one run in 140).
    for (const who of ['alan', 'grace'])
      await lambda.send(
        new InvokeCommand({
          FunctionName: 'logsdemo-local-hello',
          Payload: Buffer.from(JSON.stringify({ who })),
        }),
      );
  }, 60_000);
  afterAll(async () => {
    logs?.destroy();
    lambda?.destroy();
    await cloud?.stop();
    service.remove();
  });

  it("writes each invocation to the function's log group, one stream per sandbox, as AWS does", async () => {
    const { logGroups } = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }),
    );
    expect(logGroups).toEqual([
      expect.objectContaining({
        logGroupName: group,
        retentionInDays: 7,
        arn: expect.stringMatching(/:log-group:.+:\*$/),
      }),
    ]);
    const { logStreams } = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', descending: true }),
    );
    expect(logStreams).toHaveLength(1);
    const stream = logStreams![0];
    expect(stream.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    const { events } = await logs.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: stream.logStreamName,
        startFromHead: true,
      }),
    );
    const lines = events!.map((e) => e.message!);
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n$/);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z\t[0-9a-f-]{36}\tINFO\thello from alan\n$/);
    expect(lines[2]).toContain('\tERROR\tTask timed out? no, just a phrase\n');
    expect(lines[3]).toMatch(/^END RequestId: /);
    expect(lines[4]).toMatch(
      /^REPORT RequestId: .*\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 1024 MB\tMax Memory Used: \d+ MB\n$/,
    );
    expect(lines[6]).toContain('hello from grace');
    // Timestamps are the virtual clock's, in order.
    const stamps = events!.map((e) => e.timestamp!);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(Math.abs(stamps[0] - cloud.clock.now())).toBeLessThan(60_000);
  });

  it('filters with terms and quoted phrases, and refuses the patterns it does not know', async () => {
    const filter = async (filterPattern: string) =>
      (await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern }))).events!.map((e) =>
        e.message!.split('\t').at(-1)!.trim(),
      );
    expect(await filter('hello alan')).toEqual(['hello from alan']);
    expect(await filter('"Task timed out"')).toEqual([
      'Task timed out? no, just a phrase',
      'Task timed out? no, just a phrase',
    ]);
    expect(await filter('?alan ?grace')).toEqual(['hello from alan', 'hello from grace']);
    expect(await filter('hello -alan')).toEqual(['hello from grace']);
    // Case sensitive, as on AWS.
    expect(await filter('HELLO')).toEqual([]);
    expect(
      await error(
        logs.send(
          new FilterLogEventsCommand({ logGroupName: group, filterPattern: '{ $.level = "ERROR" }' }),
        ),
      ),
    ).toEqual({
      name: 'InvalidParameterException',
      message: expect.stringContaining('The local cloud does not support this filter pattern'),
    });
    expect(
      await error(logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '"unclosed' }))),
    ).toEqual({
      name: 'InvalidParameterException',
      message: expect.stringContaining('has no closing double quote'),
    });
  });

  it('manages groups and streams through the API, with AWS errors', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'app/audit' }));
    expect(await error(logs.send(new CreateLogGroupCommand({ logGroupName: 'app/audit' })))).toEqual({
      name: 'ResourceAlreadyExistsException',
      message: 'The specified log group already exists',
    });
    expect(await error(logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name!' })))).toMatchObject({
      name: 'InvalidParameterException',
    });
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'app/audit', logStreamName: 'one' }));
    const t = cloud.clock.now();
    expect(
      await error(
        logs.send(
          new PutLogEventsCommand({
            logGroupName: 'app/audit',
            logStreamName: 'one',
            logEvents: [
              { timestamp: t, message: 'b' },
              { timestamp: t - 1, message: 'a' },
            ],
          }),
        ),
      ),
    ).toEqual({
      name: 'InvalidParameterException',
      message: 'Log events in a single PutLogEvents request must be in chronological order.',
    });
    const put = await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'app/audit',
        logStreamName: 'one',
        logEvents: [
          { timestamp: t - 15 * 86_400_000, message: 'too old' },
          { timestamp: t, message: 'kept' },
        ],
      }),
    );
    expect(put.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 1 });
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: 'app/audit', logStreamName: 'one' }));
    expect(got.events!.map((e) => e.message)).toEqual(['kept']);
    expect(
      await error(
        logs.send(new PutRetentionPolicyCommand({ logGroupName: 'app/audit', retentionInDays: 2 })),
      ),
    ).toEqual({
      name: 'InvalidParameterException',
      message: expect.stringContaining('Invalid retentionInDays 2: it must be one of 1, 3, 5'),
    });
    // Retention runs on the virtual clock: a day later, a one-day retention has dropped the event.
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'app/audit', retentionInDays: 1 }));
    await cloud.clock.advance(86_400_000 + 1);
    const later = await logs.send(
      new GetLogEventsCommand({ logGroupName: 'app/audit', logStreamName: 'one' }),
    );
    expect(later.events).toEqual([]);
    await logs.send(new DeleteLogGroupCommand({ logGroupName: 'app/audit' }));
    expect(await error(logs.send(new DeleteLogGroupCommand({ logGroupName: 'app/audit' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
  });

  it(`keeps at most ${MAX_EVENTS_PER_GROUP} events per group, dropping the oldest`, async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'app/busy' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'app/busy', logStreamName: 's' }));
    const t = cloud.clock.now();
    for (const batch of [0, 1])
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: 'app/busy',
          logStreamName: 's',
          logEvents: Array.from({ length: 6000 }, (_, i) => ({
            timestamp: t - 20_000 + batch * 6000 + i,
            message: `event ${batch * 6000 + i}`,
          })),
        }),
      );
    const head = await logs.send(
      new GetLogEventsCommand({
        logGroupName: 'app/busy',
        logStreamName: 's',
        startFromHead: true,
        limit: 1,
      }),
    );
    expect(head.events![0].message).toBe(`event ${12_000 - MAX_EVENTS_PER_GROUP}`);
    const page = await logs.send(new FilterLogEventsCommand({ logGroupName: 'app/busy', limit: 9_000 }));
    expect(page.events).toHaveLength(9_000);
    const rest = await logs.send(
      new FilterLogEventsCommand({ logGroupName: 'app/busy', nextToken: page.nextToken }),
    );
    expect(rest.events).toHaveLength(MAX_EVENTS_PER_GROUP - 9_000);
    expect(rest.nextToken).toBeUndefined();
  });

  it('answers the AWS CLI (v1 has no `logs tail`: filter-log-events and get-log-events)', async () => {
    const env = {
      ...process.env,
      AWS_ENDPOINT_URL: cloud.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_DEFAULT_REGION: cloud.region,
    };
    const { stdout } = await run(
      'aws',
      [
        'logs',
        'filter-log-events',
        '--log-group-name',
        group,
        '--filter-pattern',
        'grace',
        '--output',
        'json',
      ],
      { env },
    );
    const out = JSON.parse(stdout) as { events: Array<{ message: string; logStreamName: string }> };
    expect(out.events.map((e) => e.message)).toEqual([expect.stringContaining('\tINFO\thello from grace\n')]);
    const { stdout: groups } = await run(
      'aws',
      ['logs', 'describe-log-groups', '--query', 'logGroups[].logGroupName', '--output', 'text'],
      { env },
    );
    expect(groups.trim().split(/\s+/)).toContain(group);
  });

  it('answers `sls logs -f` from the real osls with only the endpoint set', async () => {
    const output = await runOsls(service.dir, ['logs', '-f', 'hello', '--stage', 'local'], {
      AWS_ENDPOINT_URL: cloud.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    expect(output).toContain('hello from alan');
    expect(output).toContain('hello from grace');
    // osls folds START and REPORT into its own short lines.
    expect(output).toMatch(/^START\n.*\tINFO\thello from alan\n/);
    expect(output).toMatch(/END Duration: [\d.]+ ms Memory Used: \d+ MB/);
  }, 60_000);
});
