/**
 * The AWS target's observation path end to end with no stand-in: `check session-4 --aws`, in
 * process, deploys with the real `osls deploy` to a local cloud's CloudFormation and S3 (only
 * AWS_ENDPOINT_URL points osls, and the checker's SDK clients, at it), observes and judges
 * without the local trace, as on AWS, and takes the stack down with the real `osls remove`.
 * What the test adds is the local cloud's clock: the 4 real minutes AWS would take pass in
 * virtual time. Then a catalogued mistake, judged the same way, fails with the local words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreEnv } from '../support/env.ts';
import { request } from 'node:http';
import { resolve } from 'node:path';
import {
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { LocalCloud } from '../../emulator/cloud.ts';
import { realOsls, type OslsRunner } from '../../checker/aws/osls.ts';
import { awsCheck } from '../../checker/commands/aws.ts';
import type { CheckReport } from '../../checker/core/result.ts';
import { copyWithEdits } from '../../checker/core/service-copy.ts';
import { loadSessionCheck } from '../../checker/sessions/index.ts';
import { mistakes } from '../../checker/sessions/session-4/mistakes.ts';
import { EARLY_LOOK, SAMPLES } from '../../checker/sessions/session-4/stats.ts';
import { localStacks, oslsEnv, type LocalStacks } from './local-stacks.ts';
import { checkAsOnAws, tempDir, testContext } from './support.ts';

const STACK = 'dojo-serverless-obs';

describe('--aws observation with the real osls, on the local CloudFormation and S3', () => {
  let cloud: LocalCloud;
  let stacks: LocalStacks;
  const state = tempDir('aws-observe');
  const saved = { ...process.env };

  beforeAll(async () => {
    // At speed 1, not paused: osls and the SDK's clients need timers that run while they talk to it.
    cloud = await LocalCloud.start({
      start: Date.UTC(2026, 10, 21, 10, 0, 0),
      speed: 1,
      seed: 4,
      accountId: '210987654321',
    });
    Object.assign(process.env, oslsEnv(cloud.endpoint));
    stacks = localStacks(cloud);
  });
  afterAll(async () => {
    restoreEnv(saved);
    stacks?.destroy();
    await cloud?.stop();
    state.remove();
  });

  it(
    'session 4 deployed by osls passes, judged without the local trace, and osls remove leaves nothing',
    { timeout: 300_000 },
    async () => {
      // The real osls, and what was on the local cloud once its deploy had returned.
      const osls = realOsls();
      const commands: string[] = [];
      let deployed: { stack?: Stack; httpApiId?: string; buckets: string[]; answer?: Answer } | undefined;
      const runner: OslsRunner = {
        async run(run) {
          commands.push(run.args[0]);
          const result = await osls.run(run);
          if (run.args[0] === 'deploy') {
            const { Stacks = [] } = await stacks.cf.send(new DescribeStacksCommand({ StackName: STACK }));
            const { StackResources = [] } = await stacks.cf.send(
              new DescribeStackResourcesCommand({ StackName: STACK }),
            );
            const url = Stacks[0]?.Outputs?.find((o) => o.OutputKey === 'HttpApiUrl')?.OutputValue;
            deployed = {
              stack: Stacks[0],
              httpApiId: StackResources.find((r) => r.ResourceType === 'AWS::ApiGatewayV2::Api')
                ?.PhysicalResourceId,
              buckets: await stacks.bucketsOf(STACK),
              answer: url ? await getThroughLocalGateway(cloud.endpoint, `${url}/viruses`) : undefined,
            };
          }
          return result;
        },
      };
      const ctx = testContext({
        stateDir: state.dir,
        runner,
        cfn: { url: cloud.endpoint },
        sfnEndpoint: cloud.endpoint,
      });
      const { code, report } = await checkAws(ctx);

      expect(report.results.filter((r) => r.status === 'fail')).toEqual([]);
      expect(code).toBe(0);
      expect(report).toMatchObject({ target: 'aws', minutes: 4, ok: true });
      // Without a trace the spread check counts executions: 3 a minute for the 4 minutes watched.
      expect(report.results.find((r) => r.id === 's4.executions')!.title).toContain('(12 executions)');
      // A correct draw is never stopped early: all of its answers are drawn and judged.
      expect(report.results.find((r) => r.id === 's4.random')!.title).toContain(`(${SAMPLES} draws,`);
      // Said before the deploy: how long the learner waits, from session.json's check.minutes.
      expect(ctx.lines).toContain('The check watches 4 real minutes on AWS (20 virtual minutes locally)');

      // osls deployed through the local CloudFormation, its artefacts in a deployment bucket on the local S3.
      expect(commands).toEqual(['deploy', 'remove']);
      expect(deployed?.stack?.StackStatus).toMatch(/^(CREATE|UPDATE)_COMPLETE$/);
      expect(deployed!.buckets).toHaveLength(1);
      // The URL osls put in the stack's outputs is AWS's form of the stack's HTTP API on the
      // local cloud, and the local gateway served GET /viruses there while it was deployed.
      const url = deployed!.stack!.Outputs?.find((o) => o.OutputKey === 'HttpApiUrl')?.OutputValue;
      expect(deployed!.httpApiId).toMatch(/^[a-z0-9]+$/);
      expect(url).toBe(`https://${deployed!.httpApiId}.execute-api.eu-west-1.amazonaws.com`);
      expect(deployed!.answer?.status, deployed!.answer?.body).toBe(200);
      expect(JSON.parse(deployed!.answer!.body)).toEqual({ viruses: expect.any(Array) });

      // osls remove took down the stack and emptied and deleted its deployment bucket.
      await stacks.expectGone(STACK);
    },
  );

  /** `npm run check session-4 -- --aws --json --yes --stage obs`, in process, on the local cloud's clock. */
  async function checkAws(
    ctx: ReturnType<typeof testContext>,
  ): Promise<{ code: number; report: CheckReport }> {
    const out: string[] = [];
    const log = console.log;
    console.log = (text: string) => out.push(text);
    try {
      const code = await awsCheck(await loadSessionCheck('session-4'), {
        dir: resolve('solutions/session-4'),
        stage: 'obs',
        yes: true,
        seed: 4,
        json: true,
        ctx,
        guard: false,
        target: { clock: { now: () => cloud.clock.now(), sleep: (ms) => cloud.clock.advance(ms) } },
      });
      return { code, report: JSON.parse(out.join('\n')) as CheckReport };
    } finally {
      console.log = log;
    }
  }
});

/**
 * The judging above can fail: a catalogued mistake, judged the same way without the trace (the
 * draws by statistics, as on AWS), fails with the local check's words. Deployed by the local
 * cloud itself rather than by a second osls deploy, which would double this file's time; after
 * the describe above has stopped its cloud (a process holds one local cloud's clock at a time).
 */
describe('--aws judging of a mistake, without the trace', () => {
  it('a constant wait, judged without the trace as on AWS, fails s4.random with the local words', async () => {
    const mistake = mistakes.find((m) => m.id === 'constant-wait')!;
    const copy = copyWithEdits(resolve('solutions/session-4'), mistake.edits);
    try {
      const report = await checkAsOnAws('session-4', copy.dir, 4);
      const result = report.results.find((r) => r.id === mistake.expect.check);
      expect(result?.status, JSON.stringify(report.results.filter((r) => r.status !== 'pass'))).toBe('fail');
      expect(`${result!.observed} ${result!.hint}`).toContain(mistake.expect.says);
      // Judged from the answers of invocations, by statistics: on AWS there is no probe to
      // measure the draw exactly. A constant is known at the first look: the rest is not drawn.
      expect(result!.observed).toContain(`(${EARLY_LOOK} answers)`);
      expect(report.ok).toBe(false);
    } finally {
      copy.remove();
    }
  }, 300_000);

  it('a draw that never gives 60, judged as on AWS, stops drawing at the second look and says so', async () => {
    const mistake = mistakes.find((m) => m.id === 'floor-59')!;
    const copy = copyWithEdits(resolve('solutions/session-4'), mistake.edits);
    try {
      const report = await checkAsOnAws('session-4', copy.dir, 4);
      const result = report.results.find((r) => r.id === 's4.random');
      expect(result?.status).toBe('fail');
      expect(result!.observed).toBe(`in ${2 * EARLY_LOOK} answers 60 never came up`);
    } finally {
      copy.remove();
    }
  }, 300_000);
});

interface Answer {
  status: number;
  body: string;
}

/**
 * A GET of an `https://<api>.execute-api.<region>.amazonaws.com/...` URL, sent to the local
 * gateway with that host, as a handler's own SDK client is routed there.
 */
function getThroughLocalGateway(endpoint: string, url: string): Promise<Answer> {
  const { host, pathname } = new URL(url);
  return new Promise((done, failed) => {
    const req = request(`${endpoint}${pathname}`, { headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', failed);
    req.end();
  });
}
