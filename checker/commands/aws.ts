/**
 * `npm run check session-N -- --aws`: the same check as on the local cloud, on real AWS.
 * Credentials and account first, then the learner's stage; package and static checks as
 * locally; deploy with osls, watch in real minutes, judge; and remove the stack whatever
 * happens (success, failure, Ctrl-C, SIGTERM, a crash; after a SIGKILL, the next command).
 */
import pc from 'picocolors';
import { awsCheckLines } from '../core/course.ts';
import { deployedPeriods } from '../core/deployed-periods.ts';
import { runCheck } from '../core/pipeline.ts';
import { guideUrl } from '../core/guides.ts';
import { formatReport } from '../core/print.ts';
import { UsageError } from '../core/repo.ts';
import type { CheckReport } from '../core/result.ts';
import type { SessionCheck } from '../core/session-check.ts';
import { awsTarget, type AwsTarget, type AwsTargetOptions } from '../aws/aws-target.ts';
import { defaultContext, type AwsContext } from '../aws/context.ts';
import { dryRun } from '../aws/dry-run.ts';
import { guardExit, NO_GUARD, release } from '../aws/guard.ts';
import { confirmAccount } from '../aws/preflight.ts';
import type { Step } from '../aws/progress.ts';
import { removeLeftovers } from '../aws/remove.ts';
import { setUp } from '../aws/setup.ts';
import { reportToRoom } from '../room/report.ts';

export interface AwsCheckArgs {
  dir: string;
  minutes?: number;
  seed?: number;
  json?: boolean;
  watch?: boolean;
  /** Confirm the first deploy to an account without asking (instructors, CI). */
  yes?: boolean;
  stage?: string;
  /** Package and estimate only: no AWS call needed. */
  dryRun?: boolean;
  /** For tests: stand-ins for osls and CloudFormation, and a terminal that answers. */
  ctx?: AwsContext;
  interactive?: boolean;
  ask?(question: string): Promise<string>;
  /** For tests: the target's clients and clock (a local cloud's). */
  target?: Pick<AwsTargetOptions, 'clientConfig' | 'clock'>;
  /** For tests: whether to install the process-wide exit handlers (default true). */
  guard?: boolean;
}

export async function awsCheck(session: SessionCheck, args: AwsCheckArgs): Promise<number> {
  const { yes, stage: stageArg } = args;
  if (args.watch)
    throw new UsageError(
      `--watch runs on the local cloud only: on AWS each check deploys and removes a stack, minutes each. Run npm run check ${session.id} -- --aws once you are ready.`,
    );
  if (args.minutes !== undefined && !(args.minutes > 0))
    throw new UsageError(`--minutes must be a positive number of real minutes on AWS (got ${args.minutes}).`);
  const minutes = args.minutes ?? session.defaultMinutes.aws;
  const ctx = args.ctx ?? defaultContext();
  if (args.dryRun)
    return dryRun({
      dir: args.dir,
      stage: stageArg,
      check: { session, minutes },
      print: ctx.print,
    });

  const { region, stage, identity } = await setUp(ctx, { dir: args.dir, stage: stageArg });
  await removeLeftovers(ctx);
  await confirmAccount({
    identity,
    region: region.region,
    stage,
    stateDir: ctx.stateDir,
    yes,
    interactive: args.interactive,
    ask: args.ask,
    print: ctx.print,
    command: `npm run check ${session.id} -- --aws`,
  });

  // What the learner waits for, and why it is shorter than the local check: said before the deploy.
  const [watch, ...shorter] = awsCheckLines({
    minutes: { local: session.defaultMinutes.local, aws: minutes },
    periods: session.periods,
  });
  ctx.print(`The check ${watch}`);
  for (const line of shorter) ctx.print(pc.dim(`  ${line}`));

  let target: AwsTarget | undefined;
  const guard =
    args.guard === false
      ? NO_GUARD
      : guardExit(() => target?.teardown() ?? Promise.resolve(), {
          what: () => (target?.deployer?.deployStarted ? target.deployer.stack.stackName : undefined),
          print: ctx.print,
        });
  let packaging: Step | undefined;
  let report: CheckReport;
  try {
    const seed = args.seed ?? Math.floor(Math.random() * 1_000_000);
    report = await runCheck(session, {
      dir: args.dir,
      seed,
      minutes,
      targetKind: 'aws',
      makeTarget: async () =>
        (target = awsTarget(ctx, {
          stage,
          region: region.region,
          accountId: identity.accountId,
          periods: deployedPeriods(session.periods),
          ...args.target,
        })),
      onStage: (s) => {
        if (s === 'package') packaging = ctx.progress.step('Packaging the service (osls package)');
        if (s === 'static') packaging?.done('Packaged');
      },
    });
  } finally {
    // However the pipeline ended, the removal (started by it, a signal or a crash) must end
    // before this process does.
    await target?.teardown();
    await release(guard);
  }
  if (report.results.some((r) => r.id === 'package')) packaging?.fail('Packaging failed');

  console.log(args.json ? JSON.stringify(report, null, 2) : formatReport(report, guideUrl()));
  await reportToRoom(report);
  if (target?.removed() === false) {
    ctx.print(
      pc.red(
        `✖ The stack ${target.deployer?.stack.stackName} is still on AWS: the dojo remembers it, and npm run teardown -- --aws (or the next --aws command) removes it.`,
      ),
    );
    return 1;
  }
  return report.ok ? 0 : 1;
}
