/**
 * What the tests of the --aws path share: scratch folders, credentials for the stand-ins, a
 * context like the one the CLI builds, and a check run as on AWS on the local cloud.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { AwsContext } from '../../checker/aws/context.ts';
import type { SessionId } from '../../checker/core/repo.ts';
import type { CheckReport } from '../../checker/core/result.ts';
import { localTarget } from '../../checker/core/local-target.ts';
import { runCheck } from '../../checker/core/pipeline.ts';
import { loadSessionCheck } from '../../checker/sessions/index.ts';
import type { OslsRunner } from '../../checker/aws/osls.ts';
import type { Progress } from '../../checker/aws/progress.ts';
import type { CloudFormationStandIn } from './standins/cloudformation-standin.ts';

/** A folder under .dojo/tmp/ (git-ignored) for one test's .dojo state or service copy. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = resolve('.dojo', 'tmp', `${prefix}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }) };
}

export const TEST_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * An AwsContext for in-process tests: the given osls (a stand-in, or the real one),
 * CloudFormation at the stand-in or a local cloud, and everything printed kept (without
 * colours) in `lines`.
 */
export function testContext(options: {
  stateDir: string;
  runner: OslsRunner;
  /** CloudFormation: the stand-in, or a local cloud's own (its endpoint). */
  cfn: Pick<CloudFormationStandIn, 'url'>;
  sfnEndpoint?: string;
}): AwsContext & { lines: string[]; text(): string } {
  const lines: string[] = [];
  const keep = (line: string) => lines.push(stripVTControlCharacters(line));
  const progress: Progress = {
    log: keep,
    step(label) {
      keep(`… ${label}`);
      let ended = false;
      const end = (mark: string) => (text?: string) => {
        if (!ended) keep(`${mark} ${text ?? label}`);
        ended = true;
      };
      return { detail: () => undefined, done: end('✔'), fail: end('✖') };
    },
  };
  return {
    stateDir: options.stateDir,
    runner: options.runner,
    cloudFormation: (region) =>
      new CloudFormationClient({ region, endpoint: options.cfn.url, credentials: TEST_CREDENTIALS }),
    // Step Functions of a local cloud (no AWS here); without one, the SDK's usual endpoint.
    stepFunctions: (region) =>
      new SFNClient({ region, endpoint: options.sfnEndpoint, credentials: TEST_CREDENTIALS }),
    progress,
    print: keep,
    lines,
    text: () => lines.join('\n'),
  };
}

/**
 * A session's check in its AWS configuration (session.json's check.periods and minutes.aws) on
 * the local cloud, without its trace or its exact probe of a draw: the verdicts come from AWS
 * API calls only, as on AWS. Only the clock is the local cloud's, and the deploy its own (no osls).
 */
export async function checkAsOnAws(id: SessionId, dir: string, seed = 7): Promise<CheckReport> {
  return runCheck(await loadSessionCheck(id), {
    dir,
    seed,
    targetKind: 'local',
    profile: 'aws',
    makeTarget: async () =>
      Object.assign(await localTarget({ seed }), { trace: undefined, probeRandom: undefined }),
  });
}
