/**
 * Stops the running executions of a stack's state machines before the stack is removed.
 *
 * Why: deleting a Standard state machine that still has running executions (a schedule of
 * session 5 waiting for its next tick, a lab approval waiting for its token) leaves it in
 * DELETING until they end, and they go on costing transitions meanwhile. AWS's own advice
 * is to stop them first (DeleteStateMachine: "the state machine's status is set to DELETING
 * and begins the deletion process ... running executions ... may continue").
 */
import { SFNClient, ListExecutionsCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { DescribeStackResourcesCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { isMissingStackError } from './stacks.ts';

export interface StoppedExecutions {
  /** Executions stopped, by state machine name. */
  stopped: Record<string, number>;
  /** State machines whose executions could not be listed or stopped, with why. */
  failed: { stateMachine: string; reason: string }[];
}

/** The error and cause every stopped execution shows in its history. */
export const TEARDOWN_STOP = {
  error: 'DojoTeardown',
  cause: 'Stopped by npm run teardown before its stack was removed.',
};

export async function stopRunningExecutions(
  cf: CloudFormationClient,
  sfn: SFNClient,
  stackName: string,
): Promise<StoppedExecutions> {
  const result: StoppedExecutions = { stopped: {}, failed: [] };
  let machines: string[];
  try {
    const { StackResources = [] } = await cf.send(
      new DescribeStackResourcesCommand({ StackName: stackName }),
    );
    machines = StackResources.filter(
      (r) => r.ResourceType === 'AWS::StepFunctions::StateMachine' && r.PhysicalResourceId,
    ).map((r) => r.PhysicalResourceId!);
  } catch (err) {
    if (isMissingStackError(err)) return result;
    throw err;
  }
  for (const stateMachineArn of machines) {
    const name = stateMachineArn.split(':').at(-1) ?? stateMachineArn;
    try {
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(
          new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', nextToken }),
        );
        for (const e of page.executions ?? []) {
          await sfn.send(new StopExecutionCommand({ executionArn: e.executionArn, ...TEARDOWN_STOP }));
          result.stopped[name] = (result.stopped[name] ?? 0) + 1;
        }
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (err) {
      // A machine already gone has nothing running; anything else is said, and the removal goes on.
      if ((err as Error).name === 'StateMachineDoesNotExist') continue;
      result.failed.push({ stateMachine: name, reason: (err as Error).message });
    }
  }
  return result;
}

/** "Stopped 3 running executions (2 of scheduler, 1 of labAlert)", or undefined when none ran. */
export function describeStopped(s: StoppedExecutions): string | undefined {
  const entries = Object.entries(s.stopped);
  const total = entries.reduce((n, [, k]) => n + k, 0);
  if (total === 0) return undefined;
  return `Stopped ${total} running ${total === 1 ? 'execution' : 'executions'} first (${entries.map(([m, k]) => `${k} of ${m}`).join(', ')})`;
}
