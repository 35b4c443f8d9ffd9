/**
 * The minimal IAM policy of the guide (docs/public/dojo-learner-policy.json) against what the
 * --aws path really needs: for the packaged template of every session's solution, what osls
 * and CloudFormation do with the learner's permissions, and every SDK command the checker
 * sends. Evaluated with the local cloud's IAM evaluator, as AWS evaluates identity policies.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evaluate, type PolicyStatement } from '../../emulator/iam/policy.ts';
import { packageService } from '../../emulator/stack/package.ts';
import { awsConfiguration } from '../../checker/core/aws-configuration.ts';
import type { SessionId } from '../../checker/core/repo.ts';
import { loadSessionCheck } from '../../checker/sessions/index.ts';
import {
  CHECKER_CALLS,
  COVERED_TYPES,
  permissionsNeeded,
  uncoveredTypes,
  type Where,
} from '../../checker/aws/permissions.ts';

const policy = JSON.parse(readFileSync(resolve('docs/public/dojo-learner-policy.json'), 'utf8')) as {
  Statement: PolicyStatement[];
};
const where: Where = { stackName: 'dojo-serverless-local', region: 'eu-west-1', accountId: '210987654321' };
const SESSIONS = readdirSync(resolve('solutions'))
  .filter((d) => /^session-\d+$/.test(d))
  .sort();

function denied(needs: { action: string; resource: string; why: string }[]): string[] {
  return needs
    .filter((n) => evaluate(policy.Statement, n.action, n.resource) !== 'allowed')
    .map((n) => `${n.action} on ${n.resource} (${n.why})`);
}

describe('the learner policy in the guide', () => {
  for (const session of SESSIONS) {
    it(
      `allows everything a deploy, check and teardown of ${session}'s solution needs`,
      { timeout: 120_000 },
      async () => {
        const packaged = await packageService(resolve('solutions', session), 'local');
        // What the --aws check deploys: its AWS configuration adds resources of its own (session 5's capture queue).
        const template = awsConfiguration(await loadSessionCheck(session as SessionId), packaged.template);
        expect(
          uncoveredTypes(template),
          'resource types the policy knows nothing about: add them to checker/aws/permissions.ts and the policy',
        ).toEqual([]);
        const needs = permissionsNeeded(template, where);
        expect(needs.length).toBeGreaterThan(50);
        expect(denied(needs)).toEqual([]);
      },
    );
  }

  it("allows every SDK command the checker and doctor send, on the dojo's own resources", () => {
    const needs = Object.entries(CHECKER_CALLS).map(([command, c]) => ({
      action: c.action,
      resource: c.resource(where, 'viruses'),
      why: command,
    }));
    expect(denied(needs)).toEqual([]);
  });

  it('knows every SDK command the checker sends (a new command needs its permission here)', () => {
    const sent = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        // Mistake fixtures hold learners' code, not the checker's calls.
        else if (/\.ts$/.test(entry.name) && !/\.test\.ts$|mistakes\.ts$/.test(entry.name)) {
          for (const m of readFileSync(path, 'utf8').matchAll(/new (\w+Command)\(/g)) sent.add(m[1]);
        }
      }
    };
    // The --aws path: its own modules, the pipeline, and the sessions' observers (npm run invoke and
    // the other local-only commands talk to a local cloud, never to AWS).
    for (const dir of ['checker/aws', 'checker/core', 'checker/sessions']) walk(resolve(dir));
    expect([...sent].filter((c) => !CHECKER_CALLS[c]).sort()).toEqual([]);
  });

  it('is minimal: no wildcard actions, and "*" resources only for actions that take no resource', () => {
    const actions = (s: PolicyStatement) => [s.Action ?? []].flat();
    for (const s of policy.Statement) {
      expect(
        actions(s).filter((a) => a.includes('*')),
        s.Sid,
      ).toEqual([]);
      expect(s.NotAction, s.Sid).toBeUndefined();
    }
    const starOnly = policy.Statement.filter((s) => [s.Resource].flat().includes('*')).flatMap(actions);
    expect(starOnly.sort()).toEqual([
      'cloudformation:DescribeStacks',
      'cloudformation:ListStacks',
      'cloudformation:ValidateTemplate',
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html: no resource type.
      'lambda:CreateEventSourceMapping',
      'lambda:ListFunctions',
      'logs:DescribeLogGroups',
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridgescheduler.html: no resource type.
      'scheduler:ListSchedules',
      'states:ListStateMachines',
      'states:SendTaskFailure',
      'states:SendTaskHeartbeat',
      'states:SendTaskSuccess',
      'sts:GetCallerIdentity',
    ]);
  });

  it("refuses what is not the dojo's: another service's function, table or stack", () => {
    expect(
      evaluate(
        policy.Statement,
        'lambda:UpdateFunctionCode',
        'arn:aws:lambda:eu-west-1:210987654321:function:payments-prod-charge',
      ),
    ).toBe('implicit-deny');
    expect(
      evaluate(
        policy.Statement,
        'dynamodb:DeleteTable',
        'arn:aws:dynamodb:eu-west-1:210987654321:table/customers',
      ),
    ).toBe('implicit-deny');
    expect(
      evaluate(
        policy.Statement,
        'cloudformation:DeleteStack',
        'arn:aws:cloudformation:eu-west-1:210987654321:stack/payments-prod/0f1e2d3c',
      ),
    ).toBe('implicit-deny');
    expect(evaluate(policy.Statement, 'iam:CreateUser', 'arn:aws:iam::210987654321:user/eve')).toBe(
      'implicit-deny',
    );
  });

  it('covers the resource types the sessions use', () => {
    expect(COVERED_TYPES).toEqual(
      expect.arrayContaining([
        'AWS::Lambda::Function',
        'AWS::StepFunctions::StateMachine',
        'AWS::ApiGatewayV2::Api',
        'AWS::SQS::Queue',
      ]),
    );
  });
});
