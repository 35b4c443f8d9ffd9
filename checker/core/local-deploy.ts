/**
 * `npm run deploy` without --aws: the real `osls deploy` of the service folder against the
 * local cloud that runs (npm start, npm run dev), exactly as `sls deploy` goes to AWS: osls
 * packages, uploads to the deployment bucket in the local S3 and runs CloudFormation change
 * sets on the local CloudFormation. Only the endpoint differs (AWS_ENDPOINT_URL), so
 * `sls info`, `sls invoke -f` and `sls remove` work the same way afterwards.
 */
import pc from 'picocolors';
import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { oslsFailure, realOsls, type OslsRunner } from '../aws/osls.ts';
import { serviceOfDir } from '../aws/service.ts';
import { cloudForDir, runningClouds, type CloudEntry } from './clouds.ts';
import { REPO_ROOT } from './repo.ts';

export interface LocalDeployOptions {
  dir: string;
  stage?: string;
  /** The cloud to deploy to; default: the one running this folder, else any that runs. */
  cloud?: Pick<CloudEntry, 'endpoint' | 'region'>;
  runner?: OslsRunner;
  /** Where the running clouds are registered (tests); default: this repository. */
  root?: string;
  print(line: string): void;
}

/** What a shell needs for `sls ...` and `aws ...` to reach the local cloud instead of AWS. */
export function localCloudEnv(
  cloud: Pick<CloudEntry, 'endpoint' | 'region'>,
): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL: cloud.endpoint,
    AWS_REGION: cloud.region,
    AWS_DEFAULT_REGION: cloud.region,
    // Any key will do locally; a profile (SSO, MFA) would only be asked for nothing.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    // osls polls stack events every 5 s for AWS; the local cloud answers at once.
    SLS_AWS_MONITORING_FREQUENCY: '200',
  };
}

export async function deployLocally(options: LocalDeployOptions): Promise<number> {
  const { print } = options;
  const stage = options.stage ?? 'local';
  const root = options.root ?? REPO_ROOT;
  const cloud = options.cloud ?? cloudForDir(root, options.dir) ?? runningClouds(root)[0];
  if (!cloud) {
    print(pc.red('✖ No local cloud is running, so there is nowhere to deploy to.'));
    print('  Start one in another terminal (npm start, or npm run dev), then run npm run deploy again.');
    print('  To deploy to real AWS instead: npm run deploy -- --aws.');
    return 1;
  }
  const env = localCloudEnv(cloud);
  const stackName = `${serviceOfDir(options.dir)}-${stage}`;
  // As on AWS, a stack whose first deploy failed (ROLLBACK_COMPLETE) cannot be updated: it goes first.
  const cf = new CloudFormationClient({
    endpoint: cloud.endpoint,
    region: cloud.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const existing = await cf
    .send(new DescribeStacksCommand({ StackName: stackName }))
    .then((r) => r.Stacks?.[0])
    .catch(() => undefined);
  if (existing?.StackStatus === 'ROLLBACK_COMPLETE') {
    print(
      pc.yellow(
        `⚠ ${stackName}'s first deploy failed (ROLLBACK_COMPLETE) and it cannot be updated: removing it first.`,
      ),
    );
    await cf.send(new DeleteStackCommand({ StackName: stackName }));
  }
  print(
    `Deploying ${options.dir} as ${stackName} to the local cloud at ${cloud.endpoint} (osls deploy --stage ${stage})`,
  );
  const result = await (options.runner ?? realOsls()).run({
    cwd: options.dir,
    args: ['deploy', '--stage', stage, '--region', cloud.region, '--verbose'],
    env,
    onLine: (line) => {
      if (/^(CREATE|UPDATE|DELETE|ROLLBACK)_/.test(line) || /^[✔✖×]/.test(line)) print(`  ${line}`);
    },
  });
  if (result.code !== 0) {
    print(pc.red(`✖ osls deploy failed for ${stackName}:`));
    for (const line of oslsFailure(result.output).split('\n')) print(`  ${line}`);
    print(
      `  The resource named above is the one CloudFormation could not make, with AWS's reason. Fix it in serverless.ts (or resources/), then npm run deploy again: the failed stack was rolled back, nothing of this deploy is left running.`,
    );
    return 1;
  }
  print(pc.green(`✔ ${stackName} is deployed to the local cloud.`));
  print(`  In a shell, AWS_ENDPOINT_URL=${cloud.endpoint} makes sls and aws talk to it:`);
  print(`    AWS_ENDPOINT_URL=${cloud.endpoint} npx sls info --stage ${stage}`);
  print(`    AWS_ENDPOINT_URL=${cloud.endpoint} npx sls invoke -f <function> --stage ${stage}`);
  print(`    AWS_ENDPOINT_URL=${cloud.endpoint} npx sls remove --stage ${stage}`);
  return 0;
}
