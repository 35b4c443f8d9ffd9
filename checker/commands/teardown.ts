/**
 * `npm run teardown -- --aws`: removes the learner's stack (backend/'s service on their
 * stage). `--all`: every dojo stack of their stage. `--everyone` (instructors): every dojo
 * stack in the account and region, after a confirmation (or --yes). Stacks a killed command
 * left behind go first. Locally there is nothing to tear down.
 */
import { resolve } from 'node:path';
import pc from 'picocolors';
import { backendDir, REPO_ROOT, UsageError } from '../core/repo.ts';
import { defaultContext, awsGuideUrl, type AwsContext } from '../aws/context.ts';
import { guardExit, NO_GUARD, release } from '../aws/guard.ts';
import { askOnTerminal, describeTarget, resolveRegion, whoAmI } from '../aws/preflight.ts';
import { humanDuration } from '../aws/progress.ts';
import { removeLeftovers, removeStack } from '../aws/remove.ts';
import { serviceOfDir } from '../aws/service.ts';
import type { StackRef } from '../aws/snapshot.ts';
import { listDojoStacks, stackStatus, type DojoStack } from '../aws/stacks.ts';
import { readGitIdentity, resolveStage } from '../aws/stage.ts';

export interface TeardownArgs {
  aws?: boolean;
  dir?: string;
  stage?: string;
  all?: boolean;
  everyone?: boolean;
  yes?: boolean;
  /** For tests. */
  ctx?: AwsContext;
  interactive?: boolean;
  ask?(question: string): Promise<string>;
  guard?: boolean;
  print?: (line: string) => void;
}

export async function teardown(args: TeardownArgs = {}): Promise<number> {
  const out = args.print ?? ((line: string) => console.log(line));
  if (!args.aws) {
    out(
      'Locally there is nothing to tear down: the local cloud lives while npm start or npm run dev runs (Ctrl-C stops it), and a check removes its own.',
    );
    out('To remove what you deployed to AWS: npm run teardown -- --aws.');
    return 0;
  }
  const ctx = args.ctx ?? defaultContext();
  const dir = resolve(args.dir ?? backendDir());
  const region = await resolveRegion(dir);
  const identity = await whoAmI(region.region);
  // --everyone needs no stage of its own; the others do.
  const stage =
    args.everyone && args.stage === undefined
      ? tryStage()
      : resolveStage(args.stage, () => readGitIdentity(REPO_ROOT));
  ctx.print(describeTarget(identity, region, stage ?? '(any)'));

  // Stopping waits for the removal under way: osls remove must not be cut off half-way.
  const guard =
    args.guard === false
      ? NO_GUARD
      : guardExit(() => Promise.resolve(), { what: () => undefined, print: ctx.print });
  try {
    let ok = await removeLeftovers(ctx);
    const stacks = await chooseStacks(ctx, args, {
      region: region.region,
      stage,
      dir,
      accountId: identity.accountId,
    });
    if (!stacks) return ok ? 0 : 1;
    let removed = 0;
    for (const stack of stacks) {
      const gone = await removeStack(ctx, stack);
      if (gone) removed++;
      ok = gone && ok;
    }
    out(
      ok
        ? pc.green(`✔ Removed ${removed} ${removed === 1 ? 'stack' : 'stacks'}.`)
        : pc.red(
            `✖ ${stacks.length - removed} of ${stacks.length} stacks could not be removed: run npm run teardown -- --aws again, or see ${awsGuideUrl()}#clean-up`,
          ),
    );
    return ok ? 0 : 1;
  } finally {
    await release(guard);
  }
}

/** The stacks to remove, or undefined when there are none (said) or the learner said no. */
async function chooseStacks(
  ctx: AwsContext,
  args: TeardownArgs,
  where: { region: string; stage?: string; dir: string; accountId: string },
): Promise<StackRef[] | undefined> {
  const cf = ctx.cloudFormation(where.region);
  const ref = (s: DojoStack): StackRef => ({
    stackName: s.stackName,
    service: s.service,
    stage: s.stage,
    region: where.region,
  });
  if (args.everyone) {
    const stacks = await listDojoStacks(cf);
    if (stacks.length === 0)
      return none(ctx, `No dojo stack in account ${where.accountId}, ${where.region}.`);
    ctx.print(`Dojo stacks in account ${where.accountId}, ${where.region}:`);
    for (const s of stacks)
      ctx.print(
        `  ${s.stackName}  ${pc.dim(`stage ${s.stage}, ${s.status}${s.createdAt ? `, ${humanDuration(Date.now() - s.createdAt.getTime())} old` : ''}`)}`,
      );
    await confirmEveryone(args, stacks.length);
    return stacks.map(ref);
  }
  const stage = where.stage!;
  if (args.all) {
    const stacks = await listDojoStacks(cf, { stage });
    if (stacks.length === 0) return none(ctx, `No dojo stack of stage ${stage} in ${where.region}.`);
    return stacks.map(ref);
  }
  const service = serviceOfDir(where.dir);
  const stackName = `${service}-${stage}`;
  if (await stackStatus(cf, stackName)) return [{ stackName, service, stage, region: where.region }];
  const others = await listDojoStacks(cf, { stage });
  return none(
    ctx,
    `Nothing deployed as ${stackName} in ${where.region}.${others.length ? ` Other stacks of stage ${stage}: ${others.map((s) => s.stackName).join(', ')} (--all removes them).` : ''}`,
  );
}

function none(ctx: AwsContext, message: string): undefined {
  ctx.print(pc.green(`✔ ${message}`));
  return undefined;
}

async function confirmEveryone(args: TeardownArgs, n: number): Promise<void> {
  if (args.yes) return;
  const interactive = args.interactive ?? Boolean(process.stdin.isTTY && process.stderr.isTTY);
  if (!interactive)
    throw new UsageError(
      `--everyone removes ${n} stacks, other people's too, and there is no terminal to confirm it in. Add --yes to confirm.`,
    );
  const answer = await (args.ask ?? askOnTerminal)(`  Remove all ${n}? [y/N] `);
  if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError('Nothing removed.');
}

function tryStage(): string | undefined {
  try {
    return resolveStage(undefined, () => readGitIdentity(REPO_ROOT));
  } catch {
    return undefined;
  }
}
