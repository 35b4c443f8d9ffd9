/**
 * The check's capture of a bus (checker/core/bus-capture.ts), how session 5 sees its ticks on
 * AWS: the rule, queue and policy its AWS configuration adds to the learner's stack, in the
 * config the real osls packages for AWS, and read back with the real SQS client from the
 * local cloud's EventBridge and SQS, without the local trace.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cpSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { realOsls } from '../../checker/aws/osls.ts';
import { prepareSnapshot, WRAPPER } from '../../checker/aws/snapshot.ts';
import { awsConfiguration, checkResourcesOf } from '../../checker/core/aws-configuration.ts';
import {
  busCaptureResources,
  CAPTURE_QUEUE,
  readCapture,
  type CapturedEvent,
} from '../../checker/core/bus-capture.ts';
import { localTarget } from '../../checker/core/local-target.ts';
import type { Target } from '../../checker/core/target.ts';
import { loadSessionCheck } from '../../checker/sessions/index.ts';
import { packageService, type Template } from '../../emulator/index.ts';
import { tempDir } from './support.ts';

const TICK = 'Schedule Tick';
const REJECTED = 'Schedule Rejected';
const capturing = {
  periods: [],
  checkResources: (t: Template) => busCaptureResources(t, [TICK, REJECTED]),
};
const bus: Template = {
  Resources: {
    DojoEventBus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'dojo-serverless-local' } },
  },
};

describe('the check-only resources of an AWS configuration', () => {
  it('are added to a copy of the template, marked, and found again in the deployed one', () => {
    const out = awsConfiguration(capturing, bus);
    expect(Object.keys(bus.Resources)).toEqual(['DojoEventBus']);
    expect(Object.keys(checkResourcesOf(out)).sort()).toEqual([
      'DojoCheckCapturePolicy',
      'DojoCheckCaptureQueue',
      'DojoCheckCaptureRule',
    ]);
    expect(out.Resources.DojoCheckCaptureRule.Properties).toMatchObject({
      EventBusName: { Ref: 'DojoEventBus' },
      EventPattern: { 'detail-type': [TICK, REJECTED] },
    });
    expect(checkResourcesOf(bus)).toEqual({});
  });

  it("refuses a learner's resource of the same name, saying which", () => {
    const taken: Template = {
      Resources: { ...bus.Resources, DojoCheckCaptureQueue: { Type: 'AWS::SQS::Queue' } },
    };
    expect(() => awsConfiguration(capturing, taken)).toThrow(
      'The template already has a resource DojoCheckCaptureQueue, a name the check keeps for its own: rename yours in serverless.ts.',
    );
  });
});

describe('session 5 on AWS', () => {
  const tmp = tempDir('aws-capture');
  afterAll(() => tmp.remove());

  it(
    'deploys the capture with its stack: in the template the real osls packages from the wrapper config',
    { timeout: 180_000 },
    async () => {
      const solution = resolve('solutions/session-5');
      const source = join(tmp.dir, 'service');
      cpSync(solution, source, {
        recursive: true,
        filter: (src) => !/(^|\/)(\.serverless|\.esbuild|node_modules)(\/|$)/.test(relative(solution, src)),
      });
      const { template } = await packageService(solution, 'local');
      const configured = awsConfiguration(await loadSessionCheck('session-5'), template);
      const snapshot = prepareSnapshot(source, join(tmp.dir, 'snapshot'), 'jane', {
        resources: checkResourcesOf(configured),
      });
      const result = await realOsls().run({
        cwd: snapshot,
        args: ['package', '--stage', 'jane', '--region', 'eu-west-1', '--config', WRAPPER],
        onLine: () => undefined,
      });
      expect(result.code, result.output).toBe(0);
      const packaged = JSON.parse(
        readFileSync(join(snapshot, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8'),
      ) as Template;
      expect(packaged.Resources.DojoCheckCaptureRule.Properties).toMatchObject({
        EventBusName: { Ref: 'DojoEventBus' },
        EventPattern: { 'detail-type': [TICK, REJECTED] },
        Targets: [{ Arn: { 'Fn::GetAtt': [CAPTURE_QUEUE, 'Arn'] } }],
      });
      expect(packaged.Resources.DojoCheckCapturePolicy.Properties!.PolicyDocument.Statement[0]).toMatchObject(
        {
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
        },
      );
      expect(packaged.Resources[CAPTURE_QUEUE].Type).toBe('AWS::SQS::Queue');
      // The learner's own resources are all there, untouched.
      for (const id of ['DojoEventBus', 'ScheduleTable', 'VirusTable', 'SchedulerStateMachine'])
        expect(packaged.Resources[id], id).toEqual(
          expect.objectContaining({ Type: template.Resources[id].Type }),
        );
    },
  );
});

describe('reading the capture', () => {
  let target: Target | undefined;
  afterEach(async () => {
    await target?.teardown();
    target = undefined;
  });

  /** A local cloud without its trace, as AWS is, with the bus and its capture deployed. */
  async function captured() {
    const local = await localTarget({ seed: 3 });
    target = Object.assign(local, { trace: undefined });
    const deployment = await target.deploy(process.cwd(), awsConfiguration(capturing, bus));
    const put = (detailType: string, detail: Record<string, unknown>, time?: Date) =>
      target!.clients().events.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: 'dojo-serverless-local',
              Source: 'dojo-serverless',
              DetailType: detailType,
              Detail: JSON.stringify(detail),
              Time: time,
            },
          ],
        }),
      );
    return { target, deployment, put };
  }

  it(
    'sees each watched event once, in order, with its time, and none put after the close',
    { timeout: 60_000 },
    async () => {
      const { target, deployment, put } = await captured();
      const seen: CapturedEvent[] = [];
      const reader = readCapture(target, deployment, (e) => seen.push(e))!;
      const start = target.now();
      await put(TICK, { id: 'every-5', n: 1 });
      await target.run(61_000);
      await put('Schedule Start', { id: 'not-watched' });
      await put(REJECTED, { id: 'bad', reason: 'no cron' });
      for (let n = 2; n <= 13; n++) await put(TICK, { id: 'burst', n });
      await target.run(5_000);
      const closing = reader.close();
      // An event of a later second than the close (times are to the second): not counted.
      await put(TICK, { id: 'too-late' }, new Date(target.now() + 2000));
      await closing;

      expect(seen.map((e) => `${e.detailType} ${e.detail.id}`)).toEqual([
        `${TICK} every-5`,
        `${REJECTED} bad`,
        ...Array.from({ length: 12 }, () => `${TICK} burst`),
      ]);
      expect(seen.filter((e) => e.detail.id === 'burst').map((e) => e.detail.n)).toEqual(
        Array.from({ length: 12 }, (_, i) => i + 2),
      );
      expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
      // EventBridge writes an event's time to the second.
      expect(seen[0].time).toBe(Math.floor(start / 1000) * 1000);
      expect(seen[1].time - seen[0].time).toBeGreaterThanOrEqual(61_000 - 1000);
      expect(seen[0].source).toBe('dojo-serverless');
    },
  );

  it(
    'fails the close, saying what to allow, when the queue cannot be read',
    { timeout: 60_000 },
    async () => {
      const { target, deployment } = await captured();
      const reader = readCapture(target, deployment, () => undefined)!;
      await target
        .clients()
        .sqs.send(new DeleteQueueCommand({ QueueUrl: deployment.resources.get(CAPTURE_QUEUE)!.physicalId }));
      await target.run(30_000);
      await expect(reader.close()).rejects.toThrow(
        /could not read the events it captured from the bus .*sqs:ReceiveMessage/,
      );
    },
  );

  it('is not there without the capture queue (the local check reads its trace)', async () => {
    const { target, deployment } = await captured();
    const resources = new Map([...deployment.resources].filter(([id]) => id !== CAPTURE_QUEUE));
    expect(readCapture(target, { ...deployment, resources }, () => undefined)).toBeUndefined();
  });
});
