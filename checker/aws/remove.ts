/**
 * Removes one stack with `osls remove`, whatever state the learner's code is in. Succeeds
 * when the stack is gone, including when it was never there; then its marker goes too.
 * Never throws: a failed removal is told, and the marker stays so the next command retries.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import { awsGuideUrl, type AwsContext } from './context.ts';
import { leftovers, removeMarker } from './markers.ts';
import { isMissingStack, oslsFailure } from './osls.ts';
import { prepareRemoval, type StackRef } from './snapshot.ts';
import { waitUntilRemovable } from './stacks.ts';
import { humanDuration } from './progress.ts';
import { describeStopped, stopRunningExecutions } from './executions.ts';

export function removeStack(ctx: AwsContext, stack: StackRef): Promise<boolean> {
  const key = `${stack.region}/${stack.stackName}`;
  const running = inFlight.get(key) ?? removeOnce(ctx, stack).finally(() => inFlight.delete(key));
  inFlight.set(key, running);
  return running;
}

/** Removals under way in this process: an exit (Ctrl-C, a crash) waits for them. */
const inFlight = new Map<string, Promise<boolean>>();

export function removalsInFlight(): { names: string[]; done: Promise<unknown> } {
  return {
    names: [...inFlight.keys()].map((k) => k.split('/')[1]),
    done: Promise.allSettled(inFlight.values()),
  };
}

async function removeOnce(ctx: AwsContext, stack: StackRef): Promise<boolean> {
  const step = ctx.progress.step(`Removing ${stack.stackName} from AWS (${stack.region})`);
  try {
    await waitUntilRemovable(ctx.cloudFormation(stack.region), stack.stackName, (status) =>
      step.detail(`waiting for CloudFormation to finish first (${status})`),
    ).catch((err: Error) => {
      // Not being able to look is no reason not to try: osls remove says what is wrong.
      step.detail(`could not read the stack's status (${err.message}); removing anyway`);
    });
    // Executions still waiting would keep a deleted state machine in DELETING (and billing).
    const stopped = await stopRunningExecutions(
      ctx.cloudFormation(stack.region),
      ctx.stepFunctions(stack.region),
      stack.stackName,
    ).catch((err: Error) => ({ stopped: {}, failed: [{ stateMachine: '(all)', reason: err.message }] }));
    const said = describeStopped(stopped);
    if (said) ctx.print(`    ${said}.`);
    for (const f of stopped.failed)
      ctx.print(
        `    ${pc.yellow('⚠')} could not stop the executions of ${f.stateMachine} (${f.reason}); removing anyway: the state machine may stay in DELETING until they end.`,
      );
    const dir = prepareRemoval(
      stack,
      join(ctx.stateDir, 'aws', 'remove', `${stack.region}-${stack.stackName}`),
    );
    const result = await ctx.runner.run({
      cwd: dir,
      args: ['remove', '--stage', stack.stage, '--region', stack.region, '--verbose'],
      onLine: (line) => step.detail(line),
      detached: true,
    });
    const gone = result.code === 0 || isMissingStack(result.output);
    if (!gone) {
      step.fail(`Could not remove ${stack.stackName}`);
      ctx.print(indent(oslsFailure(result.output)));
      ctx.print(
        `    ${pc.dim('fix:')} npm run teardown -- --aws tries again (the dojo remembers the stack). If it keeps failing, see ${awsGuideUrl()}#when-a-deploy-fails-half-way`,
      );
      return false;
    }
    removeMarker(ctx.stateDir, stack);
    rmSync(dir, { recursive: true, force: true });
    step.done(
      result.code === 0
        ? `Removed ${stack.stackName}`
        : `Nothing to remove: ${stack.stackName} is not on AWS`,
    );
    return true;
  } catch (err) {
    step.fail(`Could not remove ${stack.stackName}: ${(err as Error).message}`);
    return false;
  }
}

/**
 * Stacks an earlier command deployed and could not remove (it was killed): removes them,
 * saying so. Returns false when one could not be removed.
 */
export async function removeLeftovers(ctx: AwsContext): Promise<boolean> {
  let ok = true;
  for (const m of leftovers(ctx.stateDir)) {
    const age = humanDuration(Date.now() - Date.parse(m.startedAt));
    ctx.print(
      pc.yellow(
        `⚠ An earlier ${m.command === 'check' ? 'check' : 'deploy'} (stage ${m.stage}, ${age} ago) stopped before it could remove ${m.stackName} in ${m.region}: removing it first.`,
      ),
    );
    ok = (await removeStack(ctx, m)) && ok;
  }
  return ok;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
