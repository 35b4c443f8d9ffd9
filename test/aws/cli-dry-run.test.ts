import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './cli.ts';
import { tempDir } from './support.ts';

/**
 * --dry-run works offline and without credentials: no AWS_* variable, no ~/.aws, and no
 * stand-in either (an AWS call would fail, or hang, and the test would see it).
 */
describe('check --aws --dry-run', () => {
  const tmp = tempDir('aws-dry-run');
  afterAll(() => tmp.remove());

  it(
    'prints what would be deployed, where, and what the check itself does priced with the arithmetic, without credentials',
    { timeout: 120_000 },
    async () => {
      const home = join(tmp.dir, 'home');
      mkdirSync(home);
      const cli = runCli(
        ['check', 'session-4', '--dir', 'solutions/session-4', '--aws', '--dry-run', '--stage', 'jane'],
        { HOME: home, DOJO_STATE_DIR: join(tmp.dir, 'state') },
      );
      const { code } = await cli.exit;
      const out = cli.output();
      expect(code, out).toBe(0);
      expect(out).toContain('Dry run: nothing is deployed.');
      expect(out).toContain('stack    dojo-serverless-jane');
      expect(out).toContain('stage    jane');
      // No AWS_REGION, no profile: the service's own region.
      expect(out).toContain('region   eu-west-1 (from serverless.ts)');
      expect(out).toContain('account  unknown: no AWS credentials found (none needed for a dry run)');
      expect(out).toMatch(/Would deploy \d+ resources:/);
      expect(out).toMatch(/AWS::Lambda::Function +6 +CreateVirusLambdaFunction/);
      expect(out).toMatch(/AWS::StepFunctions::StateMachine +1 +VirusCreationStateMachine/);
      expect(out).toMatch(/AWS::Events::EventBus +1 +DojoEventBus/);
      expect(out).toContain(
        'npm run check session-4 -- --aws watches 4 real minutes on AWS (20 virtual minutes locally)',
      );
      // Four real minutes of one-a-minute spreads: 3 executions each.
      expect(out).toMatch(
        /Measured: the check's own scenario, run on the local cloud in its AWS configuration: 12 Step Functions executions; invocations: spreadVirus 4,/,
      );
      expect(out).toMatch(
        /Step Functions +\d+ state transitions × \$0\.025 per 1,000 state transitions += \$0\.000\d/,
      );
      expect(out).toMatch(/EventBridge +12 custom events × \$1\.00 per 1M custom events += \$0\.000012/);
      expect(out).toMatch(/the check +≈ \$0\.000\d/);
      expect(out).toMatch(
        /A check takes about \d+ min: deploy ~3 min, watch 4 min \+ 90 s for the last executions, remove ~90 s/,
      );
    },
  );

  it(
    "prices session 6's own workload (the lab), not session 4's viruses, in its 8-minute AWS configuration",
    { timeout: 180_000 },
    async () => {
      const cli = runCli(
        ['check', 'session-6', '--dir', 'solutions/session-6', '--aws', '--dry-run', '--stage', 'jane'],
        { HOME: join(tmp.dir, 'home6'), DOJO_STATE_DIR: join(tmp.dir, 'state6') },
      );
      const { code } = await cli.exit;
      const out = cli.output();
      expect(code, out).toBe(0);
      expect(out).toContain(
        'npm run check session-6 -- --aws watches 8 real minutes on AWS (75 virtual minutes locally), in a check-only configuration with the same verdicts:',
      );
      expect(out).toContain("AskForApproval's TimeoutSeconds: 300 s instead of 3600 s");
      const measured = /Measured: the check's own scenario[^\n]*/.exec(out)?.[0] ?? '';
      expect(measured).toMatch(/15 Step Functions executions; invocations: .*requestApproval 3/);
      // The check switches session 4's schedule off: it is not what the check costs.
      expect(measured).not.toContain('spreadVirus');
      expect(out).toMatch(/watch 8 min \+ 90 s for the last executions/);
    },
  );
});
