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
    'prints what would be deployed, where, and an hour of it priced with the arithmetic, without credentials',
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
        'Measured: 60 virtual minutes of the service on the local cloud: 180 Step Functions executions',
      );
      expect(out).toMatch(
        /Step Functions +5\d\d state transitions × \$0\.025 per 1,000 state transitions += \$0\.01\d\d/,
      );
      expect(out).toMatch(/EventBridge +180 custom events × \$1\.00 per 1M custom events += \$0\.0002/);
      expect(out).toMatch(/by itself +≈ \$0\.01\d\d an hour/);
      expect(out).toMatch(/With the board open \(GET \/viruses every 2 s: 1,800 polls an hour\), add:/);
      expect(out).toMatch(/Total ≈ \$0\.0\d+ an hour with the board open\./);
      expect(out).toMatch(
        /A check takes about \d+ min: deploy ~3 min, watch 4 min \+ 90 s for the last executions, remove ~90 s/,
      );
    },
  );
});
