/**
 * What CloudFormation says about the dojo's stacks: one stack's resources and outputs (the
 * Deployment a check observes), a stack's status, and every stack tagged by the dojo.
 */
import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import type { DeployedResource, Deployment } from '../core/target.ts';
import { DOJO_TAG, DOJO_TAG_VALUE, SERVICE_TAG, STAGE_TAG } from './snapshot.ts';
import { realSleep as sleep } from '../../emulator/index.ts';

export interface DojoStack {
  stackName: string;
  stage: string;
  service: string;
  status: string;
  createdAt?: Date;
  tags: Record<string, string>;
}

export async function describeDeployment(cf: CloudFormationClient, stackName: string): Promise<Deployment> {
  const [{ StackResources = [] }, { Stacks = [] }] = await Promise.all([
    cf.send(new DescribeStackResourcesCommand({ StackName: stackName })),
    cf.send(new DescribeStacksCommand({ StackName: stackName })),
  ]);
  const resources = new Map<string, DeployedResource>();
  for (const r of StackResources) {
    if (r.LogicalResourceId && r.ResourceType)
      resources.set(r.LogicalResourceId, {
        logicalId: r.LogicalResourceId,
        type: r.ResourceType,
        physicalId: r.PhysicalResourceId ?? '',
      });
  }
  const outputs: Record<string, unknown> = {};
  for (const o of Stacks[0]?.Outputs ?? []) if (o.OutputKey) outputs[o.OutputKey] = o.OutputValue;
  return { stackName, resources, outputs, warnings: [] };
}

/** The stack's status, or undefined when there is no such stack. */
export async function stackStatus(cf: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    const { Stacks = [] } = await cf.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks[0];
    return stack && stack.StackStatus !== 'DELETE_COMPLETE' ? stack : undefined;
  } catch (err) {
    if (isMissingStackError(err)) return undefined;
    throw err;
  }
}

export function isMissingStackError(err: unknown): boolean {
  return /does not exist/.test((err as Error)?.message ?? '');
}

/** Every stack the dojo tagged, or only those of one stage. */
export async function listDojoStacks(
  cf: CloudFormationClient,
  filter: { stage?: string } = {},
): Promise<DojoStack[]> {
  const found: DojoStack[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cf.send(new DescribeStacksCommand({ NextToken }));
    for (const s of page.Stacks ?? []) {
      const tags = Object.fromEntries((s.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
      if (tags[DOJO_TAG] !== DOJO_TAG_VALUE || s.StackStatus === 'DELETE_COMPLETE' || !s.StackName) continue;
      const stage = tags[STAGE_TAG] ?? '';
      if (filter.stage !== undefined && stage !== filter.stage) continue;
      found.push({
        stackName: s.StackName,
        stage,
        service: tags[SERVICE_TAG] || serviceOf(s.StackName, stage),
        status: s.StackStatus ?? 'UNKNOWN',
        createdAt: s.CreationTime,
        tags,
      });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return found.sort((a, b) => a.stackName.localeCompare(b.stackName));
}

/** osls names a stack `<service>-<stage>`. */
export function serviceOf(stackName: string, stage: string): string {
  return stackName.endsWith(`-${stage}`) ? stackName.slice(0, -stage.length - 1) : stackName;
}

/**
 * CloudFormation cannot delete a stack in the middle of an update or a rollback: wait for it
 * to settle. A stack being created or deleted can be deleted at once.
 */
export function mustSettleFirst(status: string | undefined): boolean {
  return Boolean(
    status &&
    /_IN_PROGRESS$/.test(status) &&
    !['CREATE_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'REVIEW_IN_PROGRESS'].includes(status),
  );
}

export async function waitUntilRemovable(
  cf: CloudFormationClient,
  stackName: string,
  onWait: (status: string) => void,
  options: { pollMs?: number; timeoutMs?: number } = {},
): Promise<void> {
  const end = performance.now() + (options.timeoutMs ?? 20 * 60_000);
  for (;;) {
    const status = (await stackStatus(cf, stackName))?.StackStatus;
    if (!mustSettleFirst(status) || performance.now() > end) return;
    onWait(status!);
    await sleep(options.pollMs ?? 5000);
  }
}
