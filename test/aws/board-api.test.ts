import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCloud } from '../../emulator/cloud.ts';
import { deployedApi } from '../../checker/aws/board-api.ts';
import { startOnAws } from '../../checker/commands/start-aws.ts';
import { dojoTags, SERVICE_TAG } from '../../checker/aws/snapshot.ts';
import { CloudFormationStandIn } from './standins/cloudformation.ts';
import { standInRunner } from './standins/runner.ts';
import { tempDir, testContext } from './support.ts';

/**
 * Which API the board follows with npm start -- --aws: the newest stack of the learner's
 * stage with an HttpApiUrl output (CloudFormation is a stand-in here, STS the local cloud's).
 */
describe("the board on AWS finds the learner's deployed API (CloudFormation stand-in, STS from a local cloud)", () => {
  let cfn: CloudFormationStandIn;
  let cloud: LocalCloud;
  const state = tempDir('board-api');
  const saved = { ...process.env };
  const ctx = () => testContext({ stateDir: state.dir, runner: standInRunner({ stateDir: state.dir }), cfn });

  beforeAll(async () => {
    cfn = await CloudFormationStandIn.start();
    cloud = await LocalCloud.start({ port: 0, speed: 1 });
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_STS: cloud.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: cloud.region,
    });
  });
  afterAll(async () => {
    process.env = saved;
    await cfn.close();
    await cloud.stop();
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
    const tags = (stage: string) => ({ ...dojoTags(stage), [SERVICE_TAG]: 'dojo-serverless' });
    cfn.put({
      stackName: 'dojo-serverless-ana',
      tags: tags('ana'),
      outputs: { HttpApiUrl: 'https://old.execute-api.eu-west-1.amazonaws.com' },
      createdAt: new Date('2026-12-01T09:00:00Z'),
    });
    cfn.put({
      stackName: 'lab-ana',
      tags: tags('ana'),
      outputs: {
        HttpApiUrl: 'https://new.execute-api.eu-west-1.amazonaws.com/',
        ServiceEndpointWebsocket: 'wss://push.execute-api.eu-west-1.amazonaws.com/ana',
      },
      createdAt: new Date('2026-12-01T10:00:00Z'),
    });
    cfn.put({
      stackName: 'nothing-ana',
      tags: tags('ana'),
      outputs: {},
      createdAt: new Date('2026-12-01T11:00:00Z'),
    });
    cfn.put({
      stackName: 'dojo-serverless-bob',
      tags: tags('bob'),
      outputs: { HttpApiUrl: 'https://bob.execute-api.eu-west-1.amazonaws.com' },
      createdAt: new Date('2026-12-01T12:00:00Z'),
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
