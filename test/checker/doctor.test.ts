import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { checkAwsCredentials, doctor } from '../../checker/commands/doctor.ts';
import { startAll } from '../../checker/commands/start.ts';
import { processStartTime } from '../../emulator/core/owner.ts';
import { capture } from './support.ts';

/** An empty folder under .dojo/tmp/: a checkout where `npm install` was never run. */
function fakeRoot(): string {
  const dir = resolve('.dojo', 'tmp', `doctor-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('npm run doctor', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => cleanup.splice(0).forEach((f) => f()));

  it('reports an old Node and missing dependencies, each with its fix, and exits 1', async () => {
    const root = fakeRoot();
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    writeFileSync(join(root, '.nvmrc'), '22\n');
    const out = capture();
    expect(await doctor({ root, print: out.print, nodeVersion: '20.11.1', ports: [] })).toBe(1);
    const text = out.text();
    expect(text).toContain(
      '✖ Node.js 20.11.1 is too old: the dojo needs Node.js 22 or newer\n    fix: nvm install && nvm use (reads .nvmrc)',
    );
    expect(text).toContain('✖ Dependencies missing: osls, dynalite, jsonata, tsx\n    fix: npm install');
    // osls cannot run without dependencies: one problem, reported once.
    expect(text).not.toContain('osls does not run');
    expect(text).toContain('✔ .dojo/ is writable');
    expect(text).toContain('2 problems to fix first, then run npm run doctor again.');
  });

  it('passes on this repository, where osls really runs', async () => {
    const out = capture();
    expect(await doctor({ print: out.print, ports: [] })).toBe(0);
    expect(out.text()).toMatch(/✔ Dependencies installed/);
    expect(out.text()).toMatch(/✔ osls \d+\.\d+\.\d+ runs/);
    // Ready is earned: a real session-1 check ran, packaging and all.
    expect(out.text()).toMatch(
      /✔ A check runs: the session-1 solution packaged, deployed on a local cloud and passed \d+ checks in [\d.]+ s/,
    );
    expect(out.text()).toContain('Ready.');
  }, 120_000);

  it('is not Ready when a check cannot run here, even though every other line is ✔', async () => {
    // A solution whose handler needs a package this machine lacks: what a broken install looks like to a check.
    const probe = resolve('.dojo', 'tmp', `doctor-probe-${randomBytes(4).toString('hex')}`);
    cleanup.push(() => rmSync(probe, { recursive: true, force: true }));
    cpSync(resolve('solutions/session-1'), probe, { recursive: true });
    const handler = join(probe, 'functions', 'createVirus', 'handler.ts');
    writeFileSync(handler, `import 'dojo-package-never-installed';\n${readFileSync(handler, 'utf8')}`);
    const out = capture();
    expect(await doctor({ print: out.print, ports: [], probe })).toBe(1);
    const text = out.text();
    expect(text).toContain('✔ Dependencies installed');
    expect(text).toContain('✖ A check does not run here: the session-1 solution does not package');
    expect(text).toContain('dojo-package-never-installed');
    expect(text).toContain('fix: rm -rf node_modules && npm install');
    expect(text).not.toContain('Ready.');
    expect(text).toContain('1 problem to fix first');
  }, 120_000);

  it('warns about a busy guide port in the words npm start refuses it with, without failing', async () => {
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => server.close());
    const port = (server.address() as { port: number }).port;
    const out = capture();
    const root = fakeRoot();
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    await doctor({ root, print: out.print, ports: [{ port, use: 'guide' }] });
    expect(out.text()).toContain(
      `⚠ Port ${port} is busy: npm start would refuse to start the guide on it\n    fix: `,
    );
    expect(out.text()).toContain(`npm start -- --docs-port ${port + 1}`);

    // npm start looks at the same port the same way, and refuses before starting anything.
    const started = capture();
    expect(await startAll({ port: 0, docsPort: port, print: started.print })).toBeUndefined();
    expect(started.text()).toContain(`✖ Port ${port} is busy, so the guide cannot listen on it.`);
    expect(started.text()).toContain(`npm start -- --docs-port ${port + 1}`);
  });

  it('explains a stale packaging lock, a port held by a local cloud, and two clouds on one data folder', async () => {
    const root = fakeRoot();
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    // A check killed mid-packaging (kill -9) left its lock: its pid is gone.
    const killed = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const gone = {
      pid: killed.pid!,
      host: hostname(),
      startedAt: Math.round(performance.timeOrigin),
      command: 'npm run check',
    };
    killed.kill('SIGKILL');
    await new Promise((r) => killed.once('exit', r));
    mkdirSync(join(root, 'backend', '.dojo-package.lock'), { recursive: true });
    writeFileSync(join(root, 'backend', '.dojo-package.lock', 'owner.json'), JSON.stringify(gone));

    // Two local clouds on one data folder, one of them on a port doctor looks at.
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => server.close());
    const port = (server.address() as { port: number }).port;
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    cleanup.push(() => other.kill('SIGKILL'));
    const dataDir = join(root, '.dojo', 'dev-data');
    const clouds = join(root, '.dojo', 'run', 'clouds');
    mkdirSync(clouds, { recursive: true });
    const entry = (pid: number, p: number, startedAt: number) => ({
      pid,
      host: hostname(),
      startedAt,
      command: 'npm run dev',
      port: p,
      endpoint: `http://127.0.0.1:${p}`,
      region: 'eu-west-1',
      dir: join(root, 'backend'),
      dataDir,
    });
    writeFileSync(
      join(clouds, `${process.pid}-${port}.json`),
      JSON.stringify(entry(process.pid, port, Math.round(performance.timeOrigin))),
    );
    writeFileSync(
      join(clouds, `${other.pid}-4567.json`),
      JSON.stringify(entry(other.pid!, 4567, processStartTime(other.pid!) ?? Date.now())),
    );

    const out = capture();
    expect(await doctor({ root, print: out.print, ports: [{ port, use: 'cloud' }] })).toBe(1);
    const text = out.text();
    expect(text).toContain(
      `⚠ A stale packaging lock, backend/.dojo-package.lock: left by pid ${gone.pid} (npm run check, started `,
    );
    expect(text).toContain(
      'which is no longer running\n    fix: nothing to do: the next check or npm start takes it over at once (or remove it: rm -r backend/.dojo-package.lock)',
    );
    expect(text).toContain(
      `⚠ Port ${port} (the local cloud) is busy: the local cloud of npm run dev (pid ${process.pid}) runs backend/ on it\n    fix: use it (npm run invoke, the AWS CLI and the board all can), or stop it: Ctrl-C in its terminal, or kill ${process.pid}`,
    );
    expect(text).toContain(
      `✖ 2 local clouds use one data folder, .dojo/dev-data: pid ${process.pid} (port ${port}) and pid ${other.pid} (port 4567); the later ones cannot read or write it\n    fix: keep one: stop the others (kill ${other.pid}, or Ctrl-C in their terminals)`,
    );
  });

  it('with --aws, finds credentials without calling AWS', () => {
    const home = fakeRoot();
    cleanup.push(() => rmSync(home, { recursive: true, force: true }));
    expect(checkAwsCredentials({}, home)).toEqual([
      expect.objectContaining({
        status: 'fail',
        message: expect.stringContaining('No AWS credentials found'),
        fix: expect.stringContaining('aws configure sso'),
      }),
    ]);

    mkdirSync(join(home, '.aws'));
    writeFileSync(
      join(home, '.aws', 'config'),
      '[default]\nregion = eu-west-1\n\n[profile dojo]\nsso_session = school\nsso_account_id = 123456789012\n\n[sso-session school]\nsso_start_url = https://school.awsapps.com/start\n',
    );
    const sso = checkAwsCredentials({ AWS_PROFILE: 'dojo', AWS_REGION: 'eu-west-3' }, home);
    expect(sso.map((f) => `${f.status} ${f.message}`)).toEqual([
      'ok AWS profiles: default, dojo (SSO); using dojo',
      'warn Profile dojo signs in with SSO: its session expires',
      'ok AWS region eu-west-3',
    ]);
    expect(sso[1].fix).toBe('aws sso login --profile dojo before npm run check -- --aws');

    expect(checkAwsCredentials({ AWS_PROFILE: 'nope' }, home)[0]).toMatchObject({
      status: 'fail',
      message: 'AWS_PROFILE is "nope", but ~/.aws/config has no such profile',
    });
    expect(
      checkAwsCredentials({ AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' }, fakeRootGone())[0],
    ).toMatchObject({
      status: 'ok',
      message: 'AWS credentials in environment variables (AWS_ACCESS_KEY_ID)',
    });
  });
});

/** A home folder that does not exist: no ~/.aws at all. */
function fakeRootGone(): string {
  return resolve('.dojo', 'tmp', 'no-such-home');
}
