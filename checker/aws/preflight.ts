/**
 * Before anything goes to AWS: whose credentials these are (STS GetCallerIdentity, through
 * the SDK's default chain: environment, profiles, SSO), which region, and, the first time
 * an account is used, the learner's yes.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import pc from 'picocolors';
import { UsageError } from '../core/repo.ts';
import { awsGuideUrl } from './context.ts';
import { regionOfDir } from './service.ts';

export interface Identity {
  accountId: string;
  arn: string;
}

export interface Region {
  region: string;
  /** Where it came from, for the learner: "AWS_REGION", "your AWS profile", "serverless.ts". */
  from: string;
}

export const FALLBACK_REGION = 'eu-west-1';

/**
 * The region the SDK would use (AWS_REGION, AWS_DEFAULT_REGION, the profile's region), else
 * the service's own (serverless.ts), else the dojo's default.
 */
export async function resolveRegion(
  serviceDir: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Region> {
  if (env.AWS_REGION) return { region: env.AWS_REGION, from: 'AWS_REGION' };
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, from: 'AWS_DEFAULT_REGION' };
  const client = new STSClient({});
  try {
    return {
      region: await client.config.region(),
      from: `your AWS profile (${env.AWS_PROFILE ?? 'default'})`,
    };
  } catch {
    // No region configured anywhere the SDK looks: fall through to the service's.
  } finally {
    client.destroy();
  }
  const own = serviceDir ? regionOfDir(serviceDir) : undefined;
  return own ? { region: own, from: 'serverless.ts' } : { region: FALLBACK_REGION, from: 'the dojo default' };
}

/** Who the credentials belong to; a UsageError saying what to do when there are none or they are stale. */
export async function whoAmI(region: string, sts: STSClient = new STSClient({ region })): Promise<Identity> {
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    return { accountId: out.Account ?? '', arn: out.Arn ?? '' };
  } catch (err) {
    throw new UsageError(explainCredentialsError(err as Error));
  } finally {
    sts.destroy();
  }
}

export function explainCredentialsError(err: Error, env: NodeJS.ProcessEnv = process.env): string {
  const text = `${err.name}: ${err.message}`;
  const profile = env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE;
  const guide = `The guide's AWS page says how to set them up: ${awsGuideUrl()}`;
  if (
    /CredentialsProviderError|Could not load credentials|no credentials/i.test(text) &&
    !/expired|sso/i.test(text)
  ) {
    return `No AWS credentials found (environment variables, ~/.aws/config, ~/.aws/credentials, SSO).\n  Log in first, e.g. aws configure sso, then export AWS_PROFILE=<the profile>.\n  ${guide}\n  (Nothing here needs AWS otherwise: npm run check works on the local cloud.)`;
  }
  if (/expired|ExpiredToken|sso.*(invalid|refresh)|Token is expired|refresh failed/i.test(text)) {
    return `Your AWS credentials have expired (${err.message}).\n  Log in again: aws sso login${profile ? ` --profile ${profile}` : ''} (or renew your access key), then run the command again.\n  ${guide}`;
  }
  if (
    /InvalidClientTokenId|SignatureDoesNotMatch|UnrecognizedClient|AuthFailure|security token included in the request is invalid/i.test(
      text,
    )
  ) {
    return `AWS does not accept these credentials (${err.message}).\n  Check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or your profile${profile ? ` (${profile})` : ''}; an old session token (AWS_SESSION_TOKEN) left in the environment does this too.\n  ${guide}`;
  }
  if (/ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|TimeoutError|socket hang up|getaddrinfo/i.test(text)) {
    return `Could not reach AWS (${err.message}): are you online? A proxy or VPN may be in the way.\n  ${guide}`;
  }
  return `Could not check your AWS credentials: ${text}\n  ${guide}`;
}

export function describeTarget(identity: Identity, region: Region, stage: string): string {
  return `AWS account ${pc.bold(identity.accountId)} as ${identity.arn}\n  region ${pc.bold(region.region)} (from ${region.from}), stage ${pc.bold(stage)}`;
}

// ---------------------------------------------------------------------------------------
// The first deploy to an account: ask, and remember the answer.

export interface ConfirmOptions {
  identity: Identity;
  region: string;
  stage: string;
  stateDir: string;
  yes?: boolean;
  /** Whether a person can answer (stdin and stderr are terminals). */
  interactive?: boolean;
  ask?(question: string): Promise<string>;
  print(line: string): void;
  /** What the confirmation is for, e.g. "npm run check session-4 -- --aws". */
  command: string;
}

export function accountsPath(stateDir: string): string {
  return join(stateDir, 'aws-accounts.json');
}

export function confirmedAccounts(stateDir: string): Record<string, { arn: string; confirmedAt: string }> {
  const file = accountsPath(stateDir);
  if (!existsSync(file)) return {};
  try {
    return (
      (
        JSON.parse(readFileSync(file, 'utf8')) as {
          accounts?: Record<string, { arn: string; confirmedAt: string }>;
        }
      ).accounts ?? {}
    );
  } catch {
    // A broken file only means being asked again.
    return {};
  }
}

function rememberAccount(stateDir: string, identity: Identity): void {
  const file = accountsPath(stateDir);
  const accounts = {
    ...confirmedAccounts(stateDir),
    [identity.accountId]: { arn: identity.arn, confirmedAt: new Date().toISOString() },
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ accounts }, null, 2)}\n`);
}

/** Resolves when deploying may go on; a UsageError when the learner said no or cannot be asked. */
export async function confirmAccount(options: ConfirmOptions): Promise<void> {
  const { identity, stateDir } = options;
  if (confirmedAccounts(stateDir)[identity.accountId]) return;
  if (options.yes) {
    rememberAccount(stateDir, identity);
    return;
  }
  const interactive = options.interactive ?? Boolean(process.stdin.isTTY && process.stderr.isTTY);
  if (!interactive) {
    throw new UsageError(
      `This is the first deploy from this repository to AWS account ${identity.accountId}, and there is no terminal to confirm it in.\n  Add --yes to confirm: ${options.command} --yes`,
    );
  }
  options.print('');
  options.print(pc.bold(`First deploy to AWS account ${identity.accountId} from this repository.`));
  options.print(`  as ${identity.arn}, region ${options.region}, stage ${options.stage}`);
  options.print(
    '  What is deployed costs money while it runs (cents an hour for the dojo); the dojo removes what a check deploys.',
  );
  const answer = await (options.ask ?? askOnTerminal)('  Deploy to this account? [y/N] ');
  if (!/^y(es)?$/i.test(answer.trim()))
    throw new UsageError('Nothing deployed. (Another account? Set AWS_PROFILE and run the command again.)');
  rememberAccount(stateDir, identity);
}

export async function askOnTerminal(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
