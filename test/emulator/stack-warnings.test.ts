/**
 * A deploy's warnings are its stack's: what the deployer says itself (a resource type the local
 * cloud skips) and what a provider says about a property it does not run (an IAM role's managed
 * policies) both reach `stack.warnings`, which the deploy reports, and each is told once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCloud } from '../../emulator/cloud.ts';
import type { Template } from '../../emulator/stack/package.ts';

describe("a deploy's warnings", () => {
  let cloud: LocalCloud;
  const told: string[] = [];
  beforeAll(async () => {
    cloud = await LocalCloud.start({ onWarning: (m) => told.push(m) });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  const resources: Template['Resources'] = {
    Alerts: { Type: 'AWS::SNS::Topic', Properties: {} },
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'dojo-warned-role',
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] },
        ManagedPolicyArns: ['arn:aws:iam::aws:policy/AWSLambdaExecute'],
      },
    },
  };

  it("are the stack's, the deployer's and the providers' alike, each once", async () => {
    const stack = await cloud.deployTemplate(
      { Resources: resources },
      { serviceDir: process.cwd(), stackName: 'warned' },
    );
    const skipped = expect.stringMatching(/^Alerts \(AWS::SNS::Topic\) is not supported by the local cloud/);
    const managed = expect.stringMatching(
      /^Role: managed policies \(arn:aws:iam::aws:policy\/AWSLambdaExecute\)/,
    );
    expect(stack.warnings).toEqual(expect.arrayContaining([skipped, managed]));
    expect(stack.warnings).toHaveLength(2);
    expect(told).toEqual(stack.warnings);
    // The trace's record of the deploy carries them too (the board and npm run dev read it).
    expect(cloud.trace.find('stack.deploy', (e) => e.stack === 'warned')[0].warnings).toEqual(stack.warnings);
  });

  it("are the next deploy's own: a redeploy that changes the role warns again, into its stack", async () => {
    const role = resources.Role;
    const stack = await cloud.deployTemplate(
      {
        Resources: {
          Role: {
            ...role,
            Properties: { ...role.Properties, ManagedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
          },
        },
      },
      { serviceDir: process.cwd(), stackName: 'warned' },
    );
    expect(stack.warnings).toEqual([
      expect.stringMatching(/^Role: managed policies \(arn:aws:iam::aws:policy\/ReadOnlyAccess\)/),
    ]);
  });
});
