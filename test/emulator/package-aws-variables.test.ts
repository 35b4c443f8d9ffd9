import { afterAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { LocalCloud, DEFAULT_ACCOUNT_ID } from '../../emulator/cloud.ts';
import { packageService, PackageError } from '../../emulator/stack/package.ts';
import { copyWithEdits } from '../../checker/core/service-copy.ts';

// The real osls resolves ${aws:...} against the local cloud's STS, as it would against AWS's.
const FIXTURE = resolve('test/fixtures/aws-variables');

describe('AWS variables at package time', () => {
  const copies: Array<{ remove(): void }> = [];
  afterAll(() => copies.forEach((c) => c.remove()));

  it(
    'resolves ${aws:accountId} to the local account and ${aws:region} to the provider region',
    { timeout: 120_000 },
    async () => {
      const { template } = await packageService(FIXTURE);
      const env = template.Resources.WhoamiLambdaFunction.Properties!.Environment.Variables;
      expect(env).toEqual({
        ACCOUNT: DEFAULT_ACCOUNT_ID,
        REGION: 'eu-west-1',
        TABLE_ARN: `arn:aws:dynamodb:eu-west-1:${DEFAULT_ACCOUNT_ID}:table/viruses`,
      });
    },
  );

  it('gives a local cloud of another account its own account id', { timeout: 120_000 }, async () => {
    const cloud = await LocalCloud.start({ accountId: '210987654321' });
    const lambda = new LambdaClient(cloud.clientConfig());
    try {
      await cloud.deployService(FIXTURE);
      const out = await lambda.send(new InvokeCommand({ FunctionName: 'awsvars-local-whoami' }));
      expect(JSON.parse(Buffer.from(out.Payload!).toString())).toEqual({
        account: '210987654321',
        region: 'eu-west-1',
        tableArn: 'arn:aws:dynamodb:eu-west-1:210987654321:table/viruses',
      });
    } finally {
      lambda.destroy();
      await cloud.stop();
    }
  });

  it('refuses a variable only AWS can answer, without reaching AWS', { timeout: 120_000 }, async () => {
    const copy = copyWithEdits(FIXTURE, [
      { file: 'serverless.yml', find: 'REGION: ${aws:region}', replace: 'REGION: ${ssm:/dojo/region}' },
    ]);
    copies.push(copy);
    const err = await packageService(copy.dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PackageError);
    expect((err as PackageError).message).toContain('Local packaging reaches no AWS service but STS');
    expect((err as PackageError).message).toContain("${ssm:/name, 'local-value'}");
  });
});
