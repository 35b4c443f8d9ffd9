import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import { LocalCloud } from '../../emulator/cloud.ts';
import { packageService } from '../../emulator/stack/package.ts';
import { markerPath, readMarkers } from '../../checker/aws/markers.ts';
import { runCli, standInLog, until } from './cli.ts';
import { CloudFormationStandIn } from './standins/cloudformation.ts';
import { tempDir } from './support.ts';

/**
 * The teardown guarantee, proven on the real CLI: `check session-4 --aws` runs with the
 * osls stand-in (DOJO_OSLS_BIN), the CloudFormation stand-in (AWS_ENDPOINT_URL_CLOUDFORMATION)
 * and a local cloud for STS and the other services (AWS_ENDPOINT_URL). It is interrupted at
 * each stage, and the stand-in's log must show `remove` for the learner's stage whenever
 * something was deployed. SIGKILL cannot be caught: the marker file lets the next command
 * remove the stack.
 */
const BUILD_OUTPUT = /(^|\/)(\.serverless|\.esbuild|node_modules)(\/|$)/;

describe('the --aws teardown guarantee, on the real CLI with stand-ins', () => {
  const tmp = tempDir('aws-cli');
  const service = join(tmp.dir, 'service');
  let cloud: LocalCloud;
  let cfn: CloudFormationStandIn;
  let n = 0;

  beforeAll(async () => {
    cpSync(resolve('solutions/session-4'), service, {
      recursive: true,
      filter: (src) => !BUILD_OUTPUT.test(relative(resolve('solutions/session-4'), src)),
    });
    // Packaged once here: the checks below then find it cached, as after a local check.
    await packageService(service, 'local');
    cloud = await LocalCloud.start({ speed: 1, accountId: '210987654321' });
    cfn = await CloudFormationStandIn.start();
  }, 120_000);
  afterAll(async () => {
    await cfn?.close();
    await cloud?.stop();
    tmp.remove();
  });

  /** A fresh stage, state folder and stand-in log for one test. */
  const fresh = (extra: Record<string, string> = {}) => {
    n++;
    const stage = `cli-${n}`;
    const state = join(tmp.dir, `state-${n}`);
    const log = join(tmp.dir, `osls-${n}.log`);
    mkdirSync(join(tmp.dir, 'home'), { recursive: true });
    const env: Record<string, string> = {
      HOME: join(tmp.dir, 'home'),
      DOJO_OSLS_BIN: resolve('test/aws/standins/osls.mjs'),
      DOJO_STANDIN_LOG: log,
      DOJO_STANDIN_CFN: cfn.url,
      DOJO_STATE_DIR: state,
      AWS_ENDPOINT_URL: cloud.endpoint,
      AWS_ENDPOINT_URL_CLOUDFORMATION: cfn.url,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'eu-west-1',
      AWS_CONFIG_FILE: join(tmp.dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(tmp.dir, 'no-aws-credentials'),
      ...extra,
    };
    const entries = () =>
      standInLog(log).map((e) => `${e.command} ${e.event}${e.signal ? ` ${e.signal}` : ''} ${e.stage}`);
    return { stage, state, log, env, entries, stack: `dojo-serverless-${stage}` };
  };
  const check = (stage: string, dir = service, minutes = '1') => [
    'check',
    'session-4',
    '--dir',
    dir,
    '--aws',
    '--yes',
    '--stage',
    stage,
    '--minutes',
    minutes,
  ];

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const code = signal === 'SIGINT' ? 130 : 143;

    it(
      `${signal} during deploy: osls deploy is stopped, then osls remove runs for the stage`,
      { timeout: 90_000 },
      async () => {
        const t = fresh({ DOJO_STANDIN_DEPLOY_MS: '30000' });
        const cli = runCli(check(t.stage), t.env);
        await until(() => t.entries().includes(`deploy start ${t.stage}`), 'the deploy to start');
        expect(existsSync(markerPath(t.state)), 'the marker is written before deploying').toBe(true);
        cli.child.kill(signal);
        expect((await cli.exit).code, cli.output()).toBe(code);
        expect(t.entries()).toEqual([
          `deploy start ${t.stage}`,
          `deploy killed SIGTERM ${t.stage}`,
          `remove start ${t.stage}`,
          `remove done ${t.stage}`,
        ]);
        expect(cli.output()).toContain(
          `Stopped (${signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'}): removing ${t.stack} before stopping.`,
        );
        expect(existsSync(markerPath(t.state))).toBe(false);
        expect(cfn.stacks.has(t.stack)).toBe(false);
      },
    );

    it(`${signal} during observation: osls remove runs for the stage`, { timeout: 90_000 }, async () => {
      const t = fresh();
      const cli = runCli(check(t.stage), t.env);
      await until(() => cli.output().includes(`Watching ${t.stack} on AWS`), 'the observation to start');
      cli.child.kill(signal);
      expect((await cli.exit).code, cli.output()).toBe(code);
      expect(t.entries()).toEqual([
        `deploy start ${t.stage}`,
        `deploy done ${t.stage}`,
        `remove start ${t.stage}`,
        `remove done ${t.stage}`,
      ]);
      expect(existsSync(markerPath(t.state))).toBe(false);
      expect(cfn.stacks.has(t.stack)).toBe(false);
      // osls got the wrapper config: the stack is tagged with the dojo, the stage and the service.
      expect(standInLog(t.log)[0].stackTags).toEqual({
        dojo: 'serverless-dojo',
        'dojo:stage': t.stage,
        'dojo:service': 'dojo-serverless',
      });
    });
  }

  it(
    'SIGTERM during packaging: nothing was deployed, nothing to remove, nothing left',
    { timeout: 90_000 },
    async () => {
      const t = fresh();
      // A copy never packaged: osls package takes seconds.
      const unpackaged = join(tmp.dir, 'unpackaged');
      cpSync(resolve('solutions/session-4'), unpackaged, {
        recursive: true,
        filter: (src) => !BUILD_OUTPUT.test(relative(resolve('solutions/session-4'), src)),
      });
      // Packagings are cached by content: a configuration of its own makes osls really run.
      appendFileSync(join(unpackaged, 'serverless.ts'), `// never packaged before: ${randomUUID()}\n`);
      const cli = runCli(check(t.stage, unpackaged), t.env);
      await until(() => cli.output().includes('Packaging the service'), 'packaging to start');
      cli.child.kill('SIGTERM');
      expect((await cli.exit).code, cli.output()).toBe(143);
      expect(cli.output()).toContain('Stopped (SIGTERM): nothing on AWS to remove.');
      expect(t.entries()).toEqual([]);
      expect(existsSync(markerPath(t.state))).toBe(false);
    },
  );

  for (const crash of ['observe', 'observe-rejection']) {
    it(
      `a crash of the checker (${crash === 'observe' ? 'uncaught exception' : 'unhandled rejection'}) removes the stack, then exits 1`,
      { timeout: 90_000 },
      async () => {
        const t = fresh({ DOJO_TEST_CRASH: crash });
        const cli = runCli(check(t.stage), t.env);
        expect((await cli.exit).code, cli.output()).toBe(1);
        expect(cli.output()).toMatch(
          /The checker crashed: Error: (crash|rejection) injected by DOJO_TEST_CRASH/,
        );
        expect(cli.output()).toContain(`After a crash: removing ${t.stack} before stopping.`);
        expect(t.entries()).toEqual([
          `deploy start ${t.stage}`,
          `deploy done ${t.stage}`,
          `remove start ${t.stage}`,
          `remove done ${t.stage}`,
        ]);
        expect(existsSync(markerPath(t.state))).toBe(false);
      },
    );
  }

  it(
    'SIGKILL cannot be caught: the marker stays, doctor reports it, and the next --aws command removes it first',
    { timeout: 120_000 },
    async () => {
      const t = fresh({ DOJO_STANDIN_DEPLOY_MS: '60000' });
      const cli = runCli(check(t.stage), t.env);
      await until(() => t.entries().includes(`deploy start ${t.stage}`), 'the deploy to start');
      const [marker] = readMarkers(t.state);
      // The node process running dojo.ts, and the stand-in osls.
      process.kill(marker.pid, 'SIGKILL');
      await cli.exit;
      for (const e of standInLog(t.log)) {
        try {
          process.kill(e.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      expect(existsSync(markerPath(t.state))).toBe(true);
      expect(t.entries()).toEqual([`deploy start ${t.stage}`]);

      const doctor = runCli(['doctor', '--aws'], t.env);
      await doctor.exit;
      expect(doctor.output()).toMatch(
        new RegExp(
          `⚠ ${t.stack} \\(eu-west-1\\) was left on AWS by a check that was stopped \\d+ s ago\\n +fix: npm run teardown -- --aws removes it`,
        ),
      );
      expect(doctor.output()).toContain(`${t.stack}  stage ${t.stage}, CREATE_IN_PROGRESS`);

      const again = runCli(['deploy', '--aws', '--yes', '--stage', t.stage, '--dir', service], {
        ...t.env,
        DOJO_STANDIN_DEPLOY_MS: '0',
      });
      expect((await again.exit).code, again.output()).toBe(0);
      expect(again.output()).toMatch(
        new RegExp(
          `⚠ An earlier check \\(stage ${t.stage}, \\d+ s ago\\) stopped before it could remove ${t.stack} in eu-west-1: removing it first\\.`,
        ),
      );
      expect(again.output()).toContain('HTTP API  https://standin.execute-api.eu-west-1.amazonaws.com');
      expect(t.entries()).toEqual([
        `deploy start ${t.stage}`,
        `remove start ${t.stage}`,
        `remove done ${t.stage}`,
        `deploy start ${t.stage}`,
        `deploy done ${t.stage}`,
      ]);
      expect(existsSync(markerPath(t.state))).toBe(false);

      const down = runCli(['teardown', '--aws', '--stage', t.stage, '--dir', service], t.env);
      expect((await down.exit).code, down.output()).toBe(0);
      expect(down.output()).toContain(`✔ Removed ${t.stack}`);
      expect(cfn.stacks.has(t.stack)).toBe(false);
      expect(readFileSync(join(t.state, 'aws-accounts.json'), 'utf8')).toContain('210987654321');
    },
  );
});
