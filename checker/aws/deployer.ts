/**
 * One stack's life on AWS: deploy it with osls (marker first), remove it (once, however
 * many times it is asked, after stopping a deploy still running), or keep it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import { UsageError } from '../core/repo.ts';
import type { DeployedPeriod } from '../core/deployed-periods.ts';
import type { Deployment } from '../core/target.ts';
import type { Template } from '../../emulator/index.ts';
import type { AwsContext } from './context.ts';
import { addMarker, busyWith, removeMarker } from './markers.ts';
import { oslsFailure, type OslsResult } from './osls.ts';
import { humanDuration } from './progress.ts';
import { removeStack } from './remove.ts';
import { prepareSnapshot, WRAPPER, type StackRef } from './snapshot.ts';
import { describeDeployment, stackStatus } from './stacks.ts';

export interface DeployerOptions extends StackRef {
  accountId: string;
  /** A check needs a fresh stack; `npm run deploy` updates the one there. */
  command: 'check' | 'deploy';
  /** A check's periods set in the deployed state machines (its AWS configuration). */
  periods?: DeployedPeriod[];
  /** The check-only resources its AWS configuration adds to the stack (checker/core/aws-configuration.ts). */
  resources?: Template['Resources'];
}

export class StackDeployer {
  private started = false;
  private readonly abort = new AbortController();
  private running: Promise<OslsResult> | undefined;
  private removal: Promise<boolean> | undefined;
  /** Removing a stack that was there before the deploy: an exit waits for it too. */
  private clearing: Promise<boolean> | undefined;

  constructor(
    private readonly ctx: AwsContext,
    readonly stack: DeployerOptions,
  ) {}

  async deploy(dir: string): Promise<Deployment> {
    const { ctx, stack } = this;
    const busy = busyWith(ctx.stateDir, stack);
    if (busy)
      throw new UsageError(
        `Another dojo command (process ${busy.pid}) is deploying ${stack.stackName} right now: wait for it to finish, or use another stage (--stage NAME).`,
      );
    const cf = ctx.cloudFormation(stack.region);
    const existing = await stackStatus(cf, stack.stackName);
    if (existing && (stack.command === 'check' || existing.StackStatus === 'ROLLBACK_COMPLETE')) {
      const why =
        existing.StackStatus === 'ROLLBACK_COMPLETE'
          ? 'its first deploy failed (ROLLBACK_COMPLETE) and it cannot be updated'
          : `the check needs a fresh one (it counts what happens from the start)${stack.command === 'check' ? '; deploy again afterwards with npm run deploy -- --aws' : ''}`;
      ctx.print(
        pc.yellow(
          `⚠ ${stack.stackName} is already on AWS${existing.CreationTime ? ` (for ${humanDuration(Date.now() - existing.CreationTime.getTime())})` : ''}: ${why}. Removing it first.`,
        ),
      );
      this.clearing = removeStack(ctx, stack);
      if (!(await this.clearing))
        throw new Error(`${stack.stackName} could not be removed, so it was not deployed again.`);
    }

    if (this.abort.signal.aborted) throw new Error('Stopped before deploying.');
    addMarker(ctx.stateDir, {
      ...stack,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      command: stack.command,
    });
    this.started = true;
    const snapshot = prepareSnapshot(dir, this.snapshotDir(), stack.stage, {
      periods: stack.periods,
      resources: stack.resources,
    });
    const step = ctx.progress.step(
      `Deploying ${stack.stackName} to AWS (${stack.region}, account ${stack.accountId})`,
    );
    this.running = ctx.runner.run({
      cwd: snapshot,
      args: ['deploy', '--stage', stack.stage, '--region', stack.region, '--config', WRAPPER, '--verbose'],
      onLine: (line) => step.detail(line),
      signal: this.abort.signal,
    });
    const result = await this.running;
    if (this.abort.signal.aborted) {
      step.fail('Deploy stopped');
      throw new Error('The deploy was stopped.');
    }
    if (result.code !== 0) {
      step.fail(`osls deploy failed for ${stack.stackName}`);
      throw new Error(`osls deploy failed:\n${oslsFailure(result.output)}`);
    }
    const deployment = await describeDeployment(cf, stack.stackName);
    step.done(`Deployed ${stack.stackName} (${deployment.resources.size} resources)`);
    return deployment;
  }

  /** Removes the stack if a deploy was started; the same promise for every caller. */
  remove(): Promise<boolean> {
    this.removal ??= (async () => {
      this.abort.abort();
      if (!this.started) return (await this.clearing) ?? true;
      // osls deploy must have stopped before osls remove starts: they would race on the stack.
      await this.running?.catch(() => undefined);
      const ok = await removeStack(this.ctx, this.stack);
      if (ok) rmSync(this.snapshotDir(), { recursive: true, force: true });
      return ok;
    })();
    return this.removal;
  }

  /** The learner wants it to stay (npm run deploy): forget it, so nothing removes it. Too late once removal started. */
  keep(): void {
    if (this.removal) return;
    removeMarker(this.ctx.stateDir, this.stack);
    rmSync(this.snapshotDir(), { recursive: true, force: true });
  }

  get deployStarted(): boolean {
    return this.started;
  }

  private snapshotDir(): string {
    return join(this.ctx.stateDir, 'aws', 'deploy', `${this.stack.region}-${this.stack.stackName}`);
  }
}
