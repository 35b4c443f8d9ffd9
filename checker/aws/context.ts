/**
 * What every --aws command works with: where the dojo keeps its state, how it runs osls,
 * how it talks to CloudFormation, and where it prints. Tests build one with stand-ins.
 */
import { resolve } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SFNClient } from '@aws-sdk/client-sfn';
import { REPO_ROOT } from '../core/repo.ts';
import { dojoDir } from '../core/session-files.ts';
import { realOsls, type OslsRunner } from './osls.ts';
import { createProgress, type Progress } from './progress.ts';
import { guideUrl } from '../core/guides.ts';

export interface AwsContext {
  /** `.dojo/` of the repository (or `DOJO_STATE_DIR`, for tests): markers, confirmed accounts, snapshots. */
  stateDir: string;
  runner: OslsRunner;
  cloudFormation(region: string): CloudFormationClient;
  /** Step Functions, to stop running executions before a stack is removed. */
  stepFunctions(region: string): SFNClient;
  progress: Progress;
  print(line: string): void;
}

/** The guide's page on real AWS, which the --aws commands point to: on the port the guide runs on (guides.ts). */
export function awsGuideUrl(root = REPO_ROOT): string {
  return `${guideUrl(root)}/aws`;
}

export function defaultStateDir(): string {
  return process.env.DOJO_STATE_DIR ? resolve(process.env.DOJO_STATE_DIR) : dojoDir(REPO_ROOT);
}

export function defaultContext(): AwsContext {
  const clients = new Map<string, CloudFormationClient>();
  const sfnClients = new Map<string, SFNClient>();
  // On stderr, like the local check's stages: stdout stays for the report (--json).
  const progress = createProgress({ plainDetails: true });
  return {
    stateDir: defaultStateDir(),
    runner: realOsls(),
    // Endpoint and credentials come from the SDK's usual places (AWS_ENDPOINT_URL_CLOUDFORMATION too).
    cloudFormation(region) {
      let client = clients.get(region);
      if (!client) clients.set(region, (client = new CloudFormationClient({ region })));
      return client;
    },
    stepFunctions(region) {
      let client = sfnClients.get(region);
      if (!client) sfnClients.set(region, (client = new SFNClient({ region })));
      return client;
    },
    progress,
    // Through the progress line, so that a message never lands in the middle of a spinner.
    print: (line) => progress.log(line),
  };
}
