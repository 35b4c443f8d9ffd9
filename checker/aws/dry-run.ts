import { homedir } from 'node:os';
import { STSClient } from '@aws-sdk/client-sts';
import pc from 'picocolors';
import {
  PackageError,
  packageService,
  realClearTimeout,
  realSetTimeout,
  type Template,
} from '../../emulator/index.ts';
import { checkAwsCredentials } from '../commands/doctor.ts';
import { REPO_ROOT, UsageError } from '../core/repo.ts';
import { estimateHour, formatEstimate } from './estimate.ts';
import { resolveRegion, whoAmI } from './preflight.ts';
import { humanDuration } from './progress.ts';
import { serviceOfTemplate } from './service.ts';
import { readGitIdentity, resolveStage } from './stage.ts';

/**
 * --dry-run: what --aws would deploy, where, and what an hour of it would cost, without
 * deploying anything. Works offline and without credentials: it packages locally, runs
 * the service on the local cloud for the cost, and asks AWS whose credentials these are
 * only when there are some.
 */
export interface DryRunOptions {
  dir: string;
  stage?: string;
  /** For a check: the session and how long it watches (real minutes). */
  check?: { session: string; minutes: number };
  print(line: string): void;
  env?: NodeJS.ProcessEnv;
}

/** Seconds a deploy and a removal of a dojo stack take, about (CloudFormation creates ~40 resources). */
const DEPLOY_MS = 150_000;
const REMOVE_MS = 90_000;
/** After the window, the check lets executions finish their waits (session 4 waits up to 60 s). */
const SETTLE_MS = 90_000;

export async function dryRun(options: DryRunOptions): Promise<number> {
  const { print, dir } = options;
  const env = options.env ?? process.env;
  let template: Template;
  try {
    template = (await packageService(dir, 'local')).template;
  } catch (err) {
    print(
      pc.red(
        `✖ ${err instanceof PackageError ? err.message : `Packaging failed: ${(err as Error).message}`}`,
      ),
    );
    return 1;
  }
  const service = serviceOfTemplate(template);
  let stage: string;
  let stageNote = '';
  try {
    stage = resolveStage(options.stage, () => readGitIdentity(REPO_ROOT));
  } catch (err) {
    stage = '<your-stage>';
    stageNote = pc.dim(` (${(err as Error).message.split(':')[0]}: choose one with --stage NAME)`);
  }
  const region = await resolveRegion(dir, env);

  print(
    pc.bold(
      `Dry run: nothing is deployed.${options.check ? ` (npm run check ${options.check.session} -- --aws without --dry-run deploys, checks and removes.)` : ''}`,
    ),
  );
  print(`  stack    ${pc.bold(`${service}-${stage}`)}`);
  print(`  stage    ${stage}${stageNote}`);
  print(`  region   ${region.region} (from ${region.from})`);
  print(`  account  ${await accountLine(env, region.region)}`);

  const byType = new Map<string, string[]>();
  for (const [id, r] of Object.entries(template.Resources))
    byType.set(r.Type, [...(byType.get(r.Type) ?? []), id]);
  const types = [...byType.keys()].sort();
  const width = Math.max(...types.map((t) => t.length));
  print('');
  print(pc.bold(`Would deploy ${Object.keys(template.Resources).length} resources:`));
  for (const type of types) {
    const ids = byType.get(type)!;
    const names = ids.join(', ');
    print(
      `  ${type.padEnd(width)}  ${String(ids.length).padStart(2)}  ${pc.dim(names.length > 70 ? `${names.slice(0, 69)}…` : names)}`,
    );
  }

  print('');
  print(pc.bold('What an hour of it costs on AWS:'));
  const estimate = await estimateHour(dir);
  for (const line of formatEstimate(estimate)) print(line);

  if (options.check) {
    const watch = options.check.minutes * 60_000 + SETTLE_MS;
    const all = DEPLOY_MS + watch + REMOVE_MS;
    print('');
    print(
      `A check takes about ${humanDuration(all)}: deploy ~${humanDuration(DEPLOY_MS)}, watch ${options.check.minutes} min + ${SETTLE_MS / 1000} s for the last executions, remove ~${humanDuration(REMOVE_MS)}; its stack runs for that long (≈ ${costOf(estimate.aloneUsd, all)}).`,
    );
  }
  return 0;
}

async function accountLine(env: NodeJS.ProcessEnv, region: string): Promise<string> {
  const found = checkAwsCredentials(env, env.HOME ?? homedir());
  if (!found.some((f) => f.status === 'ok' && /credentials|profiles/.test(f.message)))
    return pc.dim('unknown: no AWS credentials found (none needed for a dry run)');
  // Credentials are there: ask whose they are, but never let a dry run hang on the network.
  const sts = new STSClient({ region, maxAttempts: 1 });
  let timer: NodeJS.Timeout | undefined;
  // Real time, not the global timer, which a local cloud in this process may have faked.
  const timeout = new Promise<never>(
    (_, reject) =>
      (timer = realSetTimeout(() => reject(new UsageError('no answer from AWS within 5 s')), 5000)),
  );
  try {
    const identity = await Promise.race([whoAmI(region, sts), timeout]);
    return `${identity.accountId} (${identity.arn})`;
  } catch (err) {
    return pc.dim(`unknown: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    realClearTimeout(timer);
  }
}

function costOf(usdPerHour: number, ms: number): string {
  const amount = (usdPerHour * ms) / 3_600_000;
  return amount < 0.01 ? 'under a cent' : `$${amount.toFixed(2)}`;
}
