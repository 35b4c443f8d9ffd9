/**
 * The teardown guarantee, proven on the real CLI with the real osls: `check session-4 --aws`
 * deploys with `osls deploy` to a local cloud's CloudFormation and S3 (AWS_ENDPOINT_URL points
 * the SDK, and so osls, at it) and is stopped at each stage: while packaging, while osls deploys
 * and while it observes, by SIGINT, SIGTERM, a crash and SIGKILL. After each, the local cloud is
 * asked through the SDK what is left (the stack, its deployment bucket), and the CLI's words are
 * read. SIGKILL cannot be caught: the marker file lets the next command find the stack and
 * remove it. What only AWS can do (a real account, its billing) is all that is left out.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { LocalCloud } from '../../emulator/cloud.ts';
import { packageService } from '../../emulator/stack/package.ts';
import { markerPath, readMarkers } from '../../checker/aws/markers.ts';
import { runCli, until, type CliRun } from './cli.ts';
import { localStacks, oslsEnv, type LocalStacks } from './local-stacks.ts';
import { tempDir } from './support.ts';

const BUILD_OUTPUT = /(^|\/)(\.serverless|\.esbuild|node_modules)(\/|$)/;
/**
 * How long a stage may take to come: an osls deploy takes 20 s on a quiet machine and minutes on
 * two cores shared by a room's worth of processes. Only a hang should fail a test here.
 */
const WAIT_MS = 300_000;
const TEST_MS = 600_000;

describe('the --aws teardown guarantee, on the real CLI and the real osls against a local cloud', () => {
  const tmp = tempDir('aws-cli');
  const service = join(tmp.dir, 'service');
  let cloud: LocalCloud;
  let stacks: LocalStacks;
  let n = 0;
  /** The CLIs a test started: one still running when it ends (a failed test) is killed with its osls. */
  const started: CliRun[] = [];
  const cli = (args: string[], env: Record<string, string>) => {
    const run = runCli(args, env, { group: true });
    started.push(run);
    return run;
  };

  beforeAll(async () => {
    cpSync(resolve('solutions/session-4'), service, {
      recursive: true,
      filter: (src) => !BUILD_OUTPUT.test(relative(resolve('solutions/session-4'), src)),
    });
    // Packaged once here: the checks below then find it cached, as after a local check.
    await packageService(service, 'local');
    cloud = await LocalCloud.start({ speed: 1, accountId: '210987654321' });
    stacks = localStacks(cloud);
  }, 120_000);
  afterEach(async () => {
    for (const run of started.splice(0))
      if (run.child.exitCode === null && run.child.signalCode === null) {
        process.kill(-run.child.pid!, 'SIGKILL');
        await run.exit;
      }
  });
  afterAll(async () => {
    stacks?.destroy();
    await cloud?.stop();
    tmp.remove();
  });

  /** A fresh stage and state folder for one test. */
  const fresh = (extra: Record<string, string> = {}) => {
    n++;
    const stage = `cli-${n}`;
    const state = join(tmp.dir, `state-${n}`);
    mkdirSync(join(tmp.dir, 'home'), { recursive: true });
    const env: Record<string, string> = {
      HOME: join(tmp.dir, 'home'),
      DOJO_STATE_DIR: state,
      ...oslsEnv(cloud.endpoint),
      AWS_CONFIG_FILE: join(tmp.dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(tmp.dir, 'no-aws-credentials'),
      ...extra,
    };
    return { stage, state, env, stack: `dojo-serverless-${stage}` };
  };
  const check = (stage: string, dir = service) => [
    'check',
    'session-4',
    '--dir',
    dir,
    '--aws',
    '--yes',
    '--stage',
    stage,
    '--minutes',
    '1',
  ];

  /** Until the CLI has printed `text`; a timeout shows what it had printed. */
  const printed = (run: CliRun, text: string) =>
    until(() => run.output().includes(text), `"${text}"`, WAIT_MS).catch(() => {
      throw new Error(`Timed out waiting for "${text}". The CLI printed:\n${run.output()}`);
    });
  /** Until osls has created the stack on the local cloud (its first CloudFormation call). */
  const deploying = (run: CliRun, stackName: string) =>
    until(
      async () => run.child.exitCode !== null || (await stacks.statusOf(stackName)) !== undefined,
      `osls deploy to create ${stackName}`,
      WAIT_MS,
    ).catch(() => {
      throw new Error(`Timed out waiting for osls to create ${stackName}. The CLI printed:\n${run.output()}`);
    });

  // Each stop costs a real osls deploy (a minute on a loaded machine), so each stage gets one
  // signal; that SIGINT and SIGTERM, an exception and a rejection all lead to the same teardown is
  // proven without osls in checker/aws/guard.test.ts.
  it(
    'SIGINT while osls deploys: osls is stopped, then osls remove takes down what it had made',
    { timeout: TEST_MS },
    async () => {
      const t = fresh();
      const run = cli(check(t.stage), t.env);
      await deploying(run, t.stack);
      expect(existsSync(markerPath(t.state)), 'the marker is written before deploying').toBe(true);
      run.child.kill('SIGINT');
      expect((await run.exit).code, run.output()).toBe(130);
      expect(run.output()).toContain(`Stopped (Ctrl-C): removing ${t.stack} before stopping.`);
      expect(run.output()).toContain('✖ Deploy stopped');
      expect(run.output()).toContain(`✔ Removed ${t.stack}`);
      // The deploy had stopped before the removal began: they would race on the stack.
      expect(run.output().indexOf('✖ Deploy stopped')).toBeLessThan(
        run.output().indexOf(`Removing ${t.stack} from AWS`),
      );
      await stacks.expectGone(t.stack);
      expect(existsSync(markerPath(t.state))).toBe(false);
    },
  );

  it(
    'SIGTERM while observing: osls remove takes the deployed stack down, tagged as the dojo tags it',
    { timeout: TEST_MS },
    async () => {
      const t = fresh();
      const run = cli(check(t.stage), t.env);
      await printed(run, `Watching ${t.stack} on AWS`);
      const { Stacks = [] } = await stacks.cf.send(new DescribeStacksCommand({ StackName: t.stack }));
      run.child.kill('SIGTERM');
      expect((await run.exit).code, run.output()).toBe(143);
      expect(run.output()).toMatch(new RegExp(`✔ Deployed ${t.stack} \\(\\d+ resources\\)`));
      expect(run.output()).toContain(`Stopped (SIGTERM): removing ${t.stack} before stopping.`);
      expect(run.output()).toContain(`✔ Removed ${t.stack}`);
      // osls got the wrapper config: the stack is tagged with the dojo, the stage and the service.
      expect(Object.fromEntries(Stacks[0].Tags!.map((tag) => [tag.Key, tag.Value]))).toMatchObject({
        dojo: 'serverless-dojo',
        'dojo:stage': t.stage,
        'dojo:service': 'dojo-serverless',
      });
      await stacks.expectGone(t.stack);
      expect(existsSync(markerPath(t.state))).toBe(false);
    },
  );

  it(
    'SIGTERM while packaging: nothing was deployed, nothing to remove, nothing left',
    { timeout: TEST_MS },
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
      const run = cli(check(t.stage, unpackaged), t.env);
      await printed(run, 'Packaging the service');
      run.child.kill('SIGTERM');
      expect((await run.exit).code, run.output()).toBe(143);
      expect(run.output()).toContain('Stopped (SIGTERM): nothing on AWS to remove.');
      expect(run.output()).not.toContain('Deploying');
      await stacks.expectGone(t.stack);
      expect(existsSync(markerPath(t.state))).toBe(false);
    },
  );

  it(
    'a crash of the checker (an uncaught exception) while observing removes the stack, then exits 1',
    { timeout: TEST_MS },
    async () => {
      const t = fresh({ DOJO_TEST_CRASH: 'observe' });
      const run = cli(check(t.stage), t.env);
      expect((await run.exit).code, run.output()).toBe(1);
      expect(run.output()).toContain('The checker crashed: Error: crash injected by DOJO_TEST_CRASH=observe');
      expect(run.output()).toContain(`After a crash: removing ${t.stack} before stopping.`);
      expect(run.output()).toContain(`✔ Removed ${t.stack}`);
      await stacks.expectGone(t.stack);
      expect(existsSync(markerPath(t.state))).toBe(false);
    },
  );

  it(
    'SIGKILL while osls deploys cannot be caught: the stack and the marker stay, doctor reports them, and teardown --aws finds and removes the leftover',
    { timeout: TEST_MS },
    async () => {
      const t = fresh();
      // Killed with its process group, as closing a terminal would: the osls it runs dies too.
      const run = cli(check(t.stage), t.env);
      await deploying(run, t.stack);
      const osls = childrenOf(run.child.pid!);
      expect(osls, 'osls runs as a child of the CLI').not.toEqual([]);
      process.kill(-run.child.pid!, 'SIGKILL');
      expect((await run.exit).signal).toBe('SIGKILL');
      await until(() => osls.every(gone), 'osls to die with its process group');
      expect(run.output()).not.toContain('Stopped');

      expect(readMarkers(t.state)).toEqual([expect.objectContaining({ stackName: t.stack, stage: t.stage })]);
      const left = await stacks.statusOf(t.stack);
      expect(left, 'the half-deployed stack is left on the local cloud').toMatch(/^[A-Z_]+$/);

      const doctor = cli(['doctor', '--aws'], t.env);
      await doctor.exit;
      expect(doctor.output()).toMatch(
        new RegExp(
          `⚠ ${t.stack} \\(eu-west-1\\) was left on AWS by a check that was stopped \\d+ s ago\\n +fix: npm run teardown -- --aws removes it`,
        ),
      );
      expect(doctor.output()).toMatch(new RegExp(`${t.stack} {2}stage ${t.stage}, [A-Z_]+`));

      const down = cli(['teardown', '--aws', '--stage', t.stage, '--dir', service], t.env);
      expect((await down.exit).code, down.output()).toBe(0);
      expect(down.output()).toMatch(
        new RegExp(
          `⚠ An earlier check \\(stage ${t.stage}, \\d+ s ago\\) stopped before it could remove ${t.stack} in eu-west-1: removing it first\\.`,
        ),
      );
      expect(down.output()).toContain(`✔ Removed ${t.stack}`);
      await stacks.expectGone(t.stack);
      expect(existsSync(markerPath(t.state))).toBe(false);
      expect(readFileSync(join(t.state, 'aws-accounts.json'), 'utf8')).toContain('210987654321');
    },
  );
});

/** The processes `pid` started (Linux: /proc through ps). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((p) => p > 0);
  } catch {
    // ps exits 1 when there is none.
    return [];
  }
}

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}
