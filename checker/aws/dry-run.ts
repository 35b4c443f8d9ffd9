/**
 * --dry-run: what --aws would deploy, where, and what an hour of it would cost, without
 * deploying anything. Works offline and without credentials: it packages locally, runs
 * the service on the local cloud for the cost, and asks AWS whose credentials these are
 * only when there are some.
 */
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
import { awsCheckLines } from '../core/course.ts';
import type { SessionCheck } from '../core/session-check.ts';
import { count, formatCostLines, priceUsage, PRICES_AS_OF, total, usd } from './cost.ts';
import { estimateHour, formatEstimate } from './estimate.ts';
import { measureCheck } from './measure.ts';
import { resolveRegion, whoAmI } from './preflight.ts';
import { humanDuration } from './progress.ts';
import { serviceOfTemplate } from './service.ts';
import { readGitIdentity, resolveStage } from './stage.ts';

export interface DryRunOptions {
  dir: string;
  stage?: string;
  /** For a check: the session and how long it watches (real minutes). */
  check?: { session: SessionCheck; minutes: number };
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
      `Dry run: nothing is deployed.${options.check ? ` (npm run check ${options.check.session.id} -- --aws without --dry-run deploys, checks and removes.)` : ''}`,
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

  if (!options.check) {
    print('');
    print(pc.bold('What an hour of it costs on AWS:'));
    for (const line of formatEstimate(await estimateHour(dir))) print(line);
    return 0;
  }

  // A check is priced by what it does: the session's own scenario, not an idle hour.
  const { session, minutes } = options.check;
  const measured = await measureCheck(dir, session, minutes);
  const lines = priceUsage(measured.usage);
  const d = measured.details;
  const ran = Object.entries(d.invocationsByFunction)
    .map(([fn, n]) => `${fn} ${count(n)}`)
    .join(', ');
  const [watch, ...shorter] = awsCheckLines({
    minutes: { local: session.defaultMinutes.local, aws: minutes },
    periods: session.periods,
  });
  print('');
  print(pc.bold('What the check costs on AWS:'));
  print(`  npm run check ${session.id} -- --aws ${watch}`);
  for (const line of shorter) print(pc.dim(`    ${line}`));
  print(
    `  Measured: the check's own scenario, run on the local cloud in its AWS configuration: ${[d.executions ? `${count(d.executions)} Step Functions executions` : '', ran ? `invocations: ${ran}` : ''].filter(Boolean).join('; ') || 'nothing ran'}.${measured.passed ? '' : pc.yellow(' (This service does not pass the check yet: a passing one may do more.)')}`,
  );
  print(
    `  Priced at AWS list prices (${PRICES_AS_OF}; approximate: other regions differ a little, free tier not counted):`,
  );
  for (const line of formatCostLines(lines, '    ')) print(line);
  print(`    ${'the check'.padEnd(16)} ≈ ${usd(total(lines))}`);

  const all = DEPLOY_MS + minutes * 60_000 + SETTLE_MS + REMOVE_MS;
  print('');
  print(
    `A check takes about ${humanDuration(all)}: deploy ~${humanDuration(DEPLOY_MS)}, watch ${minutes} min + ${SETTLE_MS / 1000} s for the last executions, remove ~${humanDuration(REMOVE_MS)}.`,
  );
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
