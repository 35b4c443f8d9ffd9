import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreEnv } from '../support/env.ts';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { LocalCloud } from '../../emulator/cloud.ts';
import { deployedApi } from '../../checker/aws/board-api.ts';
import { realOsls } from '../../checker/aws/osls.ts';
import { startOnAws } from '../../checker/commands/start-aws.ts';
import { dojoTags, SERVICE_TAG } from '../../checker/aws/snapshot.ts';
import { tempDir, testContext } from './support.ts';

/**
 * Which API the board follows with npm start -- --aws: the newest stack of the learner's
 * stage with an HttpApiUrl output. CloudFormation and STS are a local cloud's; the stacks are
 * made through CloudFormation's API, tagged as osls deploy tags them.
 */
describe("the board on AWS finds the learner's deployed API (a local cloud's CloudFormation and STS)", () => {
  let cloud: LocalCloud;
  let cf: CloudFormationClient;
  const state = tempDir('board-api');
  const saved = { ...process.env };
  // osls is never run here: finding the API only reads CloudFormation.
  const ctx = () => testContext({ stateDir: state.dir, runner: realOsls(), cfn: { url: cloud.endpoint } });
  const create = async (name: string, stage: string, outputs: Record<string, string> = {}) => {
    const tags = { ...dojoTags(stage), [SERVICE_TAG]: 'dojo-serverless' };
    await cf.send(
      new CreateStackCommand({
        StackName: name,
        TemplateBody: JSON.stringify({
          Resources: { Samples: { Type: 'AWS::SQS::Queue' } },
          Outputs: Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { Value: value }])),
        }),
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    await cloud.cloudFormation.settled(name);
  };

  beforeAll(async () => {
    cloud = await LocalCloud.start({ port: 0, speed: 1 });
    cf = new CloudFormationClient(cloud.clientConfig());
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_STS: cloud.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: cloud.region,
    });
  });
  afterAll(async () => {
    restoreEnv(saved);
    cf?.destroy();
    await cloud?.stop();
    state.remove();
  });

  it('says what to do when nothing of the stage is deployed', async () => {
    const c = ctx();
    const lines: string[] = [];
    expect(await startOnAws({ ctx: c, print: (l) => lines.push(l), dir: 'solutions/session-2' })).toBe(1);
    expect(lines.join('\n')).toMatch(
      /Nothing of yours with an HTTP API is deployed on AWS \(stage [^,]+, [a-z0-9-]+\)[\s\S]*npm run deploy -- --aws/,
    );
  });

  it('picks the newest stack of the stage that has an HTTP API', async () => {
    // Made one after the other: each is newer than the one before (CreationTime, on the cloud's clock).
    await create('dojo-serverless-ana', 'ana', {
      HttpApiUrl: 'https://old.execute-api.eu-west-1.amazonaws.com',
    });
    await cloud.clock.advance(60_000);
    await create('lab-ana', 'ana', {
      HttpApiUrl: 'https://new.execute-api.eu-west-1.amazonaws.com/',
      ServiceEndpointWebsocket: 'wss://push.execute-api.eu-west-1.amazonaws.com/ana',
    });
    await cloud.clock.advance(60_000);
    await create('nothing-ana', 'ana');
    await cloud.clock.advance(60_000);
    await create('dojo-serverless-bob', 'bob', {
      HttpApiUrl: 'https://bob.execute-api.eu-west-1.amazonaws.com',
    });
    expect(await deployedApi(ctx(), 'eu-west-1', 'ana')).toEqual({
      stackName: 'lab-ana',
      url: 'https://new.execute-api.eu-west-1.amazonaws.com',
      webSocket: 'wss://push.execute-api.eu-west-1.amazonaws.com/ana',
    });
    expect(await deployedApi(ctx(), 'eu-west-1', 'bob')).toEqual({
      stackName: 'dojo-serverless-bob',
      url: 'https://bob.execute-api.eu-west-1.amazonaws.com',
    });
    expect(await deployedApi(ctx(), 'eu-west-1', 'carol')).toBeUndefined();
  });
});
