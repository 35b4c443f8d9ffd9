/**
 * `npm run doctor -- --aws`, the part that asks AWS (read only): whose credentials these
 * are, which dojo stacks are still deployed in the region (by their tags), how old they are
 * and what leaving them running costs. A stack costs money while it does something by
 * itself, which is what a schedule does; the cost of that is measured on backend/.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeStackResourcesCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { REPO_ROOT, UsageError } from '../core/repo.ts';
import type { Finding } from '../core/finding.ts';
import { defaultContext, awsGuideUrl, type AwsContext } from './context.ts';
import { usd } from './cost.ts';
import { estimateHour, type HourEstimate } from './estimate.ts';
import { leftovers } from './markers.ts';
import { resolveRegion, whoAmI } from './preflight.ts';
import { humanDuration } from './progress.ts';
import { listDojoStacks, type DojoStack } from './stacks.ts';
import { readGitIdentity, stageFromIdentity } from './stage.ts';

export interface AwsDoctorOptions {
  dir?: string;
  ctx?: AwsContext;
  /** For tests: an EventBridge client (schedules) other than the SDK's default. */
  events?: (region: string) => EventBridgeClient;
  /** For tests: the hourly cost of a ticking stack, instead of measuring backend/. */
  estimate?: () => Promise<HourEstimate | undefined>;
}

export async function awsFindings(options: AwsDoctorOptions = {}): Promise<Finding[]> {
  const ctx = options.ctx ?? defaultContext();
  const dir = options.dir ?? join(REPO_ROOT, 'backend');
  const findings: Finding[] = [];
  const region = await resolveRegion(existsSync(dir) ? dir : undefined);
  try {
    const id = await whoAmI(region.region);
    findings.push({
      status: 'ok',
      message: `AWS account ${id.accountId} as ${id.arn}, region ${region.region} (from ${region.from})`,
    });
  } catch (err) {
    const [message, ...rest] = (err as Error).message.split('\n');
    findings.push({
      status: 'fail',
      message,
      fix: err instanceof UsageError ? rest.map((l) => l.trim()).join(' ') : awsGuideUrl(),
    });
    return findings;
  }

  for (const m of leftovers(ctx.stateDir)) {
    findings.push({
      status: 'warn',
      message: `${m.stackName} (${m.region}) was left on AWS by a ${m.command} that was stopped ${humanDuration(Date.now() - Date.parse(m.startedAt))} ago`,
      fix: 'npm run teardown -- --aws removes it',
    });
  }

  let stacks: DojoStack[];
  try {
    stacks = await listDojoStacks(ctx.cloudFormation(region.region));
  } catch (err) {
    findings.push({
      status: 'warn',
      message: `Could not list the dojo's stacks in ${region.region}: ${(err as Error).message}`,
      fix: 'your identity needs cloudformation:DescribeStacks',
    });
    return findings;
  }
  if (stacks.length === 0) {
    findings.push({
      status: 'ok',
      message: `No dojo stack deployed in ${region.region}: nothing costs anything`,
    });
    return findings;
  }

  const mine = stageFromIdentity(readGitIdentity(REPO_ROOT));
  const events = options.events?.(region.region) ?? new EventBridgeClient({ region: region.region });
  let estimate: HourEstimate | undefined | null = null;
  const lines: string[] = [];
  let perHour = 0;
  try {
    for (const s of stacks) {
      const schedules = await schedulesOf(ctx.cloudFormation(region.region), events, s.stackName).catch(
        () => undefined,
      );
      let cost: string;
      if (schedules === undefined) cost = 'cost unknown (could not read its rules)';
      else if (schedules.length === 0) cost = '≈ $0 while nobody uses it (no schedule)';
      else {
        if (estimate === null)
          estimate = await (options.estimate ?? (() => measureBackend(dir)))().catch(() => undefined);
        const hour = estimate?.aloneUsd;
        if (hour !== undefined) perHour += hour;
        cost = `runs ${schedules.join(', ')}: ${hour === undefined ? 'cost unknown' : `≈ ${usd(hour)} an hour, ${usd(hour * 24)} a day`}`;
      }
      const age = s.createdAt ? `, ${humanDuration(Date.now() - s.createdAt.getTime())} old` : '';
      lines.push(
        `      ${s.stackName}  stage ${s.stage}${s.stage === mine ? ' (yours)' : ''}, ${s.status}${age}; ${cost}`,
      );
    }
  } finally {
    if (!options.events) events.destroy();
  }
  const total =
    perHour > 0
      ? ` (≈ ${usd(perHour)} an hour, ${usd(perHour * 24)} a day together${estimate ? ', estimated from backend/ on the local cloud' : ''})`
      : '';
  findings.push({
    status: 'warn',
    message: `${stacks.length} dojo ${stacks.length === 1 ? 'stack is' : 'stacks are'} deployed in ${region.region}${total}:\n${lines.join('\n')}`,
    fix: `npm run teardown -- --aws removes yours (--all: every stack of your stage; --everyone: all of them, for instructors)`,
  });
  return findings;
}

/** The schedules a stack runs: its EventBridge rules with a schedule expression, enabled. */
async function schedulesOf(
  cf: CloudFormationClient,
  events: EventBridgeClient,
  stackName: string,
): Promise<string[]> {
  const { StackResources = [] } = await cf.send(new DescribeStackResourcesCommand({ StackName: stackName }));
  const found: string[] = [];
  for (const r of StackResources) {
    if (r.ResourceType !== 'AWS::Events::Rule' || !r.PhysicalResourceId) continue;
    // A rule on a custom bus is known as "bus|rule"; schedules live on the default bus.
    const [bus, name] = r.PhysicalResourceId.includes('|')
      ? r.PhysicalResourceId.split('|')
      : [undefined, r.PhysicalResourceId];
    const rule = await events.send(new DescribeRuleCommand({ Name: name, EventBusName: bus }));
    if (rule.ScheduleExpression && rule.State === 'ENABLED') found.push(rule.ScheduleExpression);
  }
  return found;
}

async function measureBackend(dir: string): Promise<HourEstimate | undefined> {
  return existsSync(join(dir, 'serverless.ts')) ? estimateHour(dir) : undefined;
}
