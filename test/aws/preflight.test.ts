import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { restoreEnv } from '../support/env.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STSClient } from '@aws-sdk/client-sts';
import { LocalCloud } from '../../emulator/cloud.ts';
import {
  accountsPath,
  confirmAccount,
  explainCredentialsError,
  resolveRegion,
  whoAmI,
  type Identity,
} from '../../checker/aws/preflight.ts';
import { tempDir, TEST_CREDENTIALS } from './support.ts';

/**
 * The preflight against STS: a local cloud answers GetCallerIdentity on the real query
 * protocol, so the SDK's STS client pointed at it is a faithful stand-in for STS.
 */
describe('--aws preflight', () => {
  let cloud: LocalCloud;
  const cleanup: Array<() => void> = [];
  beforeAll(async () => {
    cloud = await LocalCloud.start({ speed: 1, accountId: '210987654321' });
  });
  afterAll(() => cloud.stop());
  afterEach(() => cleanup.splice(0).forEach((f) => f()));

  it('finds the account and ARN with STS GetCallerIdentity', async () => {
    const sts = new STSClient({
      region: 'eu-west-1',
      endpoint: cloud.endpoint,
      credentials: TEST_CREDENTIALS,
    });
    expect(await whoAmI('eu-west-1', sts)).toEqual({
      accountId: '210987654321',
      arn: 'arn:aws:iam::210987654321:user/dojo-local',
    });
  });

  it('says what to do when there are no credentials, pointing at the guide', async () => {
    const sts = new STSClient({
      region: 'eu-west-1',
      endpoint: cloud.endpoint,
      credentials: async () =>
        Promise.reject(
          Object.assign(new Error('Could not load credentials from any providers'), {
            name: 'CredentialsProviderError',
          }),
        ),
    });
    await expect(whoAmI('eu-west-1', sts)).rejects.toThrow(
      /No AWS credentials found[\s\S]*aws configure sso[\s\S]*http:\/\/localhost:5173\/aws/,
    );
  });

  it('tells expired, refused and unreachable apart', () => {
    const e = (name: string, message: string) =>
      explainCredentialsError(Object.assign(new Error(message), { name }), { AWS_PROFILE: 'dojo' });
    expect(e('ExpiredToken', 'The security token included in the request is expired')).toMatch(
      /^Your AWS credentials have expired[\s\S]*aws sso login --profile dojo/,
    );
    expect(
      e(
        'CredentialsProviderError',
        'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login',
      ),
    ).toMatch(/have expired/);
    expect(e('InvalidClientTokenId', 'The security token included in the request is invalid.')).toMatch(
      /^AWS does not accept these credentials/,
    );
    expect(e('Error', 'getaddrinfo ENOTFOUND sts.eu-west-1.amazonaws.com')).toMatch(/^Could not reach AWS/);
    for (const text of [e('X', 'y'), e('ExpiredToken', 'expired')])
      expect(text).toContain('http://localhost:5173/aws');
  });

  it('takes the region from the environment, else from serverless.ts', async () => {
    expect(await resolveRegion('solutions/session-4', { AWS_REGION: 'eu-central-1' })).toEqual({
      region: 'eu-central-1',
      from: 'AWS_REGION',
    });
    const saved = { ...process.env };
    cleanup.push(() => restoreEnv(saved));
    const { dir, remove } = tempDir('region');
    cleanup.push(remove);
    // No region anywhere the SDK looks: serverless.ts's own.
    for (const k of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[k];
    process.env.AWS_CONFIG_FILE = join(dir, 'none');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'none');
    writeFileSync(
      join(dir, 'serverless.ts'),
      "export default { service: 'x', provider: { name: 'aws', region: 'ap-southeast-2' } };\n",
    );
    expect(await resolveRegion(dir, {})).toEqual({ region: 'ap-southeast-2', from: 'serverless.ts' });
  });

  describe('the first deploy to an account', () => {
    const identity: Identity = { accountId: '210987654321', arn: 'arn:aws:iam::210987654321:user/jane' };
    const base = {
      identity,
      region: 'eu-west-1',
      stage: 'jane',
      print: () => undefined,
      command: 'npm run check session-4 -- --aws',
    };

    it('asks once, then remembers the account in .dojo/aws-accounts.json', async () => {
      const { dir, remove } = tempDir('accounts');
      cleanup.push(remove);
      const questions: string[] = [];
      await confirmAccount({
        ...base,
        stateDir: dir,
        interactive: true,
        ask: async (q) => (questions.push(q), 'y'),
      });
      expect(questions).toHaveLength(1);
      expect(JSON.parse(readFileSync(accountsPath(dir), 'utf8')).accounts['210987654321'].arn).toBe(
        identity.arn,
      );
      await confirmAccount({
        ...base,
        stateDir: dir,
        interactive: true,
        ask: async () => Promise.reject(new Error('asked twice')),
      });
    });

    it('refuses on "no", and without a terminal unless --yes', async () => {
      const { dir, remove } = tempDir('accounts');
      cleanup.push(remove);
      await expect(
        confirmAccount({ ...base, stateDir: dir, interactive: true, ask: async () => 'n' }),
      ).rejects.toThrow(/Nothing deployed/);
      await expect(confirmAccount({ ...base, stateDir: dir, interactive: false })).rejects.toThrow(
        'Add --yes to confirm: npm run check session-4 -- --aws --yes',
      );
      expect(existsSync(accountsPath(dir))).toBe(false);
      await confirmAccount({ ...base, stateDir: dir, interactive: false, yes: true });
      expect(existsSync(accountsPath(dir))).toBe(true);
    });
  });
});
