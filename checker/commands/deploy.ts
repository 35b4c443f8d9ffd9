/**
 * `npm run deploy -- --aws [--stage NAME] [--yes] [--dry-run]`: deploys backend/ to the
 * learner's stage on AWS and leaves it running (the board can use its HTTP API). Without
 * --aws: the real `osls deploy` against the local cloud that runs (npm start, npm run dev).
 */
import { resolve } from 'node:path';
import pc from 'picocolors';
import { PackageError, packageService } from '../../emulator/index.ts';
import { backendDir, requireDir } from '../core/repo.ts';
import { defaultContext, awsGuideUrl, type AwsContext } from '../aws/context.ts';
import { StackDeployer } from '../aws/deployer.ts';
import { dryRun } from '../aws/dry-run.ts';
import { guardExit, NO_GUARD, release } from '../aws/guard.ts';
import { confirmAccount } from '../aws/preflight.ts';
import { removeLeftovers } from '../aws/remove.ts';
import { serviceOfTemplate } from '../aws/service.ts';
import { setUp } from '../aws/setup.ts';
import { deployLocally } from '../core/local-deploy.ts';

export interface DeployArgs {
  aws?: boolean;
  dir?: string;
  stage?: string;
  yes?: boolean;
  dryRun?: boolean;
  /** For tests. */
  ctx?: AwsContext;
  interactive?: boolean;
  ask?(question: string): Promise<string>;
  guard?: boolean;
  print?: (line: string) => void;
}

export async function deploy(args: DeployArgs = {}): Promise<number> {
  const out = args.print ?? ((line: string) => console.log(line));
  const dir = requireDir(resolve(args.dir ?? backendDir()), 'The service folder');
  if (!args.aws) return deployLocally({ dir, stage: args.stage, print: out });
  const ctx = args.ctx ?? defaultContext();
  if (args.dryRun) return dryRun({ dir, stage: args.stage, print: ctx.print });

  const { region, stage, identity } = await setUp(ctx, { dir, stage: args.stage });
  await removeLeftovers(ctx);
  await confirmAccount({
    identity,
    region: region.region,
    stage,
    stateDir: ctx.stateDir,
    yes: args.yes,
    interactive: args.interactive,
    ask: args.ask,
    print: ctx.print,
    command: 'npm run deploy -- --aws',
  });

  // Packaging here first: its errors are the clearest, and it names the service (and so the stack).
  const packaging = ctx.progress.step('Packaging the service (osls package)');
  let service: string;
  try {
    service = serviceOfTemplate((await packageService(dir, 'local')).template);
    packaging.done('Packaged');
  } catch (err) {
    packaging.fail('Packaging failed');
    ctx.print(pc.red(err instanceof PackageError ? err.message : (err as Error).message));
    return 1;
  }

  const deployer = new StackDeployer(ctx, {
    stackName: `${service}-${stage}`,
    service,
    stage,
    region: region.region,
    accountId: identity.accountId,
    command: 'deploy',
  });
  // Stopped half-way, a new stack is left half made: remove it rather than leave it running.
  const guard =
    args.guard === false
      ? NO_GUARD
      : guardExit(() => deployer.remove(), {
          what: () => (deployer.deployStarted ? deployer.stack.stackName : undefined),
          print: ctx.print,
        });
  try {
    const deployment = await deployer.deploy(dir);
    deployer.keep();
    const url = typeof deployment.outputs.HttpApiUrl === 'string' ? deployment.outputs.HttpApiUrl : undefined;
    out('');
    out(
      pc.green(`✔ ${deployer.stack.stackName} is on AWS (account ${identity.accountId}, ${region.region}).`),
    );
    if (url) out(`  HTTP API  ${pc.bold(url)}`);
    out(
      `  It runs, and costs, until you remove it: npm run teardown -- --aws. npm run doctor -- --aws shows what is deployed and its cost.`,
    );
    return 0;
  } catch (err) {
    // A failed update leaves the previous version running, a failed first deploy an empty
    // stack (ROLLBACK_COMPLETE) that the next deploy removes: neither needs removing now.
    deployer.keep();
    ctx.print(pc.red(`✖ ${(err as Error).message}`));
    ctx.print(`  What to do depends on the stack's state: ${awsGuideUrl()}#when-a-deploy-fails-half-way`);
    return 1;
  } finally {
    await release(guard);
  }
}
