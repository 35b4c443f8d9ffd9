/**
 * `npm run doctor [-- --aws]`: is this machine ready for the dojo? One line per check
 * (Node, packages, osls, ports, running local clouds, packaging locks left behind, .dojo/),
 * ✔ / ⚠ / ✖, and for anything not ✔ the command that fixes it. Then the proof: it checks a
 * copy of the session-1 solution in a scratch folder under .dojo/tmp/ (package, deploy on a
 * fresh local cloud, observe, judge), as `npm run check` would, so "Ready" means a check runs
 * here. It changes nothing else (beyond a probe file in .dojo/). Only with --aws, and only when
 * credentials are there, does it ask AWS (read only): whose credentials, and which dojo stacks
 * still run.
 *
 * Exit codes: 0 when nothing is ✖ (⚠ is fine), 1 otherwise.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import pc from 'picocolors';
import { describeOwner, inspectLock, PACKAGE_LOCK, staleReason } from '../../emulator/index.ts';
import { runningClouds, type CloudEntry } from '../core/clouds.ts';
import { CLOUD_PORT, GUIDE_PORT } from '../core/defaults.ts';
import type { Finding } from '../core/finding.ts';
import { localTarget } from '../core/local-target.ts';
import { runCheck } from '../core/pipeline.ts';
import { busyPortAdvice, portIsFree, PORT_USES, type PortUse } from '../core/ports.ts';
import { REPO_ROOT } from '../core/repo.ts';
import { dojoDir, readCurrentSession } from '../core/session-files.ts';
import { loadSessionCheck } from '../sessions/index.ts';

export interface DoctorArgs {
  /** Also look for AWS credentials (for check --aws, deploy, teardown), and what is deployed. */
  aws?: boolean;
  /** For tests: what AWS says (default: checker/aws/doctor.ts asks it). */
  awsFindings?: () => Promise<Finding[]>;
  root?: string;
  print?: (text: string) => void;
  /** For tests: the machine as seen by the checks. */
  nodeVersion?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Ports that should be free: the local cloud's and the guide's defaults unless given. */
  ports?: Array<{ port: number; use: PortUse }>;
  /** The service the proof checks as session 1 (default: root's solutions/session-1). */
  probe?: string;
}

export type { Finding } from '../core/finding.ts';

export const DEFAULT_PORTS: Array<{ port: number; use: PortUse }> = [
  { port: CLOUD_PORT, use: 'cloud' },
  { port: GUIDE_PORT, use: 'guide' },
];

const DEPENDENCIES = ['osls', 'dynalite', 'jsonata', 'tsx'];

export async function doctor(args: DoctorArgs = {}): Promise<number> {
  const root = args.root ?? REPO_ROOT;
  const print = args.print ?? ((text: string) => console.log(text));
  const findings: Finding[] = [];
  const report = (f: Finding) => {
    findings.push(f);
    const mark = f.status === 'ok' ? pc.green('✔') : f.status === 'warn' ? pc.yellow('⚠') : pc.red('✖');
    print(`${mark} ${f.message}`);
    if (f.fix) print(`    ${pc.dim('fix:')} ${f.fix}`);
  };

  report(checkNode(args.nodeVersion ?? process.versions.node, root));
  const deps = checkDependencies(root);
  report(deps);
  const osls = deps.status === 'ok' ? await checkOsls(root) : undefined;
  if (osls) report(osls);
  const clouds = runningClouds(root);
  for (const { port, use } of args.ports ?? DEFAULT_PORTS) report(await checkPort(port, use, clouds, root));
  for (const f of checkClouds(clouds, root)) report(f);
  for (const f of checkLocks(root)) report(f);
  const writable = checkWritable(root);
  report(writable);
  // Without packages, osls or a writable .dojo/ no check can run, and that is said above.
  if (osls?.status === 'ok' && writable.status === 'ok') {
    print(pc.dim('… checking a copy of the session-1 solution, as npm run check does'));
    report(await checkSessionOne(root, args.probe ?? join(root, 'solutions', 'session-1')));
  }
  if (args.aws) {
    const local = checkAwsCredentials(args.env ?? process.env, args.home ?? homedir());
    for (const f of local) report(f);
    if (!local.some((f) => f.status === 'fail'))
      for (const f of await (args.awsFindings ?? awsFindings)()) report(f);
  }

  const failed = findings.filter((f) => f.status === 'fail').length;
  print('');
  if (failed)
    print(
      pc.red(
        `${failed} ${failed === 1 ? 'problem' : 'problems'} to fix first, then run npm run doctor again.`,
      ),
    );
  else
    print(
      pc.green(`Ready. Next: ${readCurrentSession(root) ? 'npm run status' : 'npm run begin session-1'}`),
    );
  return failed ? 1 : 0;
}

export function checkNode(version: string, root: string): Finding {
  const major = Number(version.replace(/^v/, '').split('.')[0]);
  if (major >= 22) return { status: 'ok', message: `Node.js ${version}` };
  const pinned = existsSync(join(root, '.nvmrc'))
    ? 'nvm install && nvm use (reads .nvmrc)'
    : 'nvm install 22 && nvm use 22';
  return {
    status: 'fail',
    message: `Node.js ${version} is too old: the dojo needs Node.js 22 or newer`,
    fix: `${pinned}, or install Node.js 22 from https://nodejs.org`,
  };
}

export function checkDependencies(root: string): Finding {
  const missing = DEPENDENCIES.filter(
    (name) => !existsSync(join(root, 'node_modules', name, 'package.json')),
  );
  if (missing.length === 0)
    return { status: 'ok', message: `Dependencies installed (${DEPENDENCIES.join(', ')})` };
  return {
    status: 'fail',
    message: `Dependencies missing: ${missing.join(', ')}`,
    fix: 'npm install (in the repository root)',
  };
}

/** Runs osls for real: a broken install shows here rather than in the middle of a check. */
export function checkOsls(root: string): Promise<Finding> {
  const bin = join(root, 'node_modules', 'osls', 'bin', 'serverless.js');
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, '--version'],
      { cwd: root, timeout: 60_000, env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' } },
      (err, stdout, stderr) => {
        const version = /(\d+\.\d+\.\d+)/.exec(stdout)?.[1];
        if (!err && version) done({ status: 'ok', message: `osls ${version} runs` });
        else {
          const why = (stderr || err?.message || stdout).trim().split('\n')[0];
          done({
            status: 'fail',
            message: `osls does not run: ${why}`,
            fix: 'rm -rf node_modules && npm install',
          });
        }
      },
    );
  });
}

/**
 * The check `npm start` makes before it starts anything, in the same words: a busy port there
 * is a refusal. When one of the dojo's own local clouds holds it, says which.
 */
export async function checkPort(
  port: number,
  use: PortUse,
  clouds: CloudEntry[] = [],
  root = REPO_ROOT,
): Promise<Finding> {
  const { what } = PORT_USES[use];
  if (await portIsFree(port)) return { status: 'ok', message: `Port ${port} is free for ${what}` };
  const ours = clouds.find((c) => c.port === port);
  if (ours) {
    return {
      status: 'warn',
      message: `Port ${port} (${what}) is busy: the local cloud of ${ours.command ?? 'npm run dev'} (pid ${ours.pid}) runs ${shownPath(root, ours.dir)}/ on it`,
      fix: `use it (npm run invoke, the AWS CLI and the board all can), or stop it: Ctrl-C in its terminal, or kill ${ours.pid}`,
    };
  }
  return {
    status: 'warn',
    message: `Port ${port} is busy: npm start would refuse to start ${what} on it`,
    fix: busyPortAdvice(port, use).join(' '),
  };
}

/** The local clouds running (from .dojo/run/clouds/), and two on one data folder, which cannot work. */
export function checkClouds(clouds: CloudEntry[], root: string): Finding[] {
  const findings: Finding[] = [];
  const byData = new Map<string, CloudEntry[]>();
  for (const c of clouds) {
    findings.push({
      status: 'ok',
      message: `A local cloud runs ${shownPath(root, c.dir)}/: ${c.command ?? 'npm run dev'}, pid ${c.pid}, ${c.endpoint}${c.dataDir ? `, data in ${shownPath(root, c.dataDir)}` : ''}`,
    });
    if (c.dataDir) byData.set(c.dataDir, [...(byData.get(c.dataDir) ?? []), c]);
  }
  for (const [dataDir, sharing] of byData) {
    if (sharing.length < 2) continue;
    findings.push({
      status: 'fail',
      message: `${sharing.length} local clouds use one data folder, ${shownPath(root, dataDir)}: ${sharing.map((c) => `pid ${c.pid} (port ${c.port})`).join(' and ')}; the later ones cannot read or write it`,
      fix: `keep one: stop the others (kill ${sharing
        .slice(1)
        .map((c) => c.pid)
        .join(' ')}, or Ctrl-C in their terminals)`,
    });
  }
  return findings;
}

/** Packaging locks left behind (a killed check or npm start): harmless now, since the next packaging takes them over, but worth knowing. */
export function checkLocks(root: string): Finding[] {
  const folders = [
    join(root, 'backend'),
    ...['sessions', 'solutions'].flatMap((d) => subfolders(join(root, d))),
  ];
  const findings: Finding[] = [];
  for (const folder of folders) {
    const info = inspectLock(join(folder, PACKAGE_LOCK));
    if (!info) continue;
    const where = shownPath(root, info.path);
    const stale = staleReason(info);
    if (stale)
      findings.push({
        status: 'warn',
        message: `A stale packaging lock, ${where}: ${stale}`,
        fix: `nothing to do: the next check or npm start takes it over at once (or remove it: rm -r ${where})`,
      });
    else if (info.owner)
      findings.push({
        status: 'ok',
        message: `${shownPath(root, folder)}/ is being packaged now by ${describeOwner(info.owner)}`,
      });
  }
  return findings;
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

function shownPath(root: string, path: string): string {
  const rel = relative(root, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

export function checkWritable(root: string): Finding {
  const dir = dojoDir(root);
  const probe = join(dir, `doctor-${process.pid}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, 'ok');
    rmSync(probe);
    return { status: 'ok', message: '.dojo/ is writable (saves, progress, hints)' };
  } catch (err) {
    return {
      status: 'fail',
      message: `.dojo/ is not writable: ${(err as Error).message}`,
      fix: `make ${dir} writable by you (check its owner and the disk space)`,
    };
  }
}

/**
 * The proof that a check runs on this machine: the session-1 check of a copy of `service`
 * (the reference solution), in .dojo/tmp/, on a fresh local cloud. A copy, so that packaging
 * writes nothing next to the solution; a fixed seed, so two runs observe the same.
 */
export async function checkSessionOne(root: string, service: string): Promise<Finding> {
  const shown = shownPath(root, service);
  if (!existsSync(join(service, 'serverless.ts')))
    return {
      status: 'fail',
      message: `No check can be tried: ${shown}/serverless.ts is missing, so this checkout is incomplete`,
      fix: 'git status shows what is missing (git checkout -- solutions/ brings it back), or download the dojo again',
    };
  const scratch = join(dojoDir(root), 'tmp', `doctor-${process.pid}-${Date.now()}`);
  const dir = join(scratch, 'session-1');
  const t0 = performance.now();
  try {
    cpSync(service, dir, {
      recursive: true,
      filter: (src) => !/(\.serverless|\.esbuild|node_modules)$/.test(src),
    });
    const report = await runCheck(await loadSessionCheck('session-1', root), {
      dir,
      seed: 1,
      targetKind: 'local',
      makeTarget: () => localTarget({ seed: 1 }),
    });
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    if (report.ok) {
      const passed = report.results.filter((r) => r.status === 'pass').length;
      return {
        status: 'ok',
        message: `A check runs: the session-1 solution packaged, deployed on a local cloud and passed ${passed} checks in ${seconds} s`,
      };
    }
    const first = report.results.find((r) => r.status === 'fail') ?? report.results[0];
    const packaging = first?.id === 'package';
    // The first two lines say what and where (the file, then the compiler's words), in the copy's place.
    const observed = (first?.observed ?? '')
      .split('\n')
      .slice(0, 2)
      .map((l) => l.trim().replaceAll(dir, shown))
      .filter(Boolean);
    const why = first ? [first.title, ...observed].join(': ') : 'no result';
    return {
      status: 'fail',
      message: `A check does not run here: the session-1 solution ${packaging ? 'does not package' : 'fails'} (${why})`,
      fix: packaging
        ? "rm -rf node_modules && npm install; if it stays, an antivirus may block esbuild (see the guide's Preparing the room)"
        : `npm run check session-1 -- --dir ${shown} prints the whole report`,
    };
  } catch (err) {
    return {
      status: 'fail',
      message: `A check does not run here: ${(err as Error).message.split('\n')[0]}`,
      fix: `npm run check session-1 -- --dir ${shown} shows where it stops`,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The account, and the dojo's stacks still on AWS with their cost (checker/aws/doctor.ts). */
async function awsFindings(): Promise<Finding[]> {
  return (await import('../aws/doctor.ts')).awsFindings();
}

/**
 * Where the AWS SDK would find credentials: environment variables, then profiles in
 * ~/.aws/config and ~/.aws/credentials (SSO profiles among them). Only looks; validity
 * shows when the first AWS call is made.
 */
export function checkAwsCredentials(env: NodeJS.ProcessEnv, home: string): Finding[] {
  const findings: Finding[] = [];
  const config = readIni(env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'));
  const credentials = readIni(env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'));
  const profiles = new Map<string, Record<string, string>>();
  for (const [section, values] of Object.entries(config)) {
    const name = section === 'default' ? 'default' : /^profile\s+(.+)$/.exec(section)?.[1];
    if (name) profiles.set(name, { ...profiles.get(name), ...values });
  }
  for (const [name, values] of Object.entries(credentials))
    profiles.set(name, { ...profiles.get(name), ...values });
  const isSso = (p: Record<string, string>) => Boolean(p.sso_session || p.sso_start_url);

  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    findings.push({
      status: 'ok',
      message: `AWS credentials in environment variables (AWS_ACCESS_KEY_ID${env.AWS_SESSION_TOKEN ? ', AWS_SESSION_TOKEN' : ''})`,
    });
  } else if (env.AWS_ACCESS_KEY_ID || env.AWS_SECRET_ACCESS_KEY) {
    findings.push({
      status: 'fail',
      message: `Only ${env.AWS_ACCESS_KEY_ID ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY'} is set`,
      fix: 'export both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or unset them to use a profile',
    });
  }

  const wanted = env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE;
  if (wanted && !profiles.has(wanted)) {
    findings.push({
      status: 'fail',
      message: `AWS_PROFILE is "${wanted}", but ~/.aws/config has no such profile`,
      fix: `aws configure --profile ${wanted} (or aws configure sso), or unset AWS_PROFILE`,
    });
  } else if (profiles.size > 0) {
    const names = [...profiles.keys()].map((n) => (isSso(profiles.get(n)!) ? `${n} (SSO)` : n));
    const using = wanted ?? (profiles.has('default') ? 'default' : undefined);
    findings.push({
      status: 'ok',
      message: `AWS profiles: ${names.join(', ')}${using ? `; using ${using}` : ''}`,
    });
    if (using && isSso(profiles.get(using)!)) {
      findings.push({
        status: 'warn',
        message: `Profile ${using} signs in with SSO: its session expires`,
        fix: `aws sso login --profile ${using} before npm run check -- --aws`,
      });
    }
    if (!using && !env.AWS_ACCESS_KEY_ID) {
      findings.push({
        status: 'warn',
        message: 'No default profile and no AWS_PROFILE: the SDK will not pick one',
        fix: `export AWS_PROFILE=${[...profiles.keys()][0]}`,
      });
    }
  }

  if (!findings.some((f) => f.status === 'ok')) {
    if (!findings.length) {
      findings.push({
        status: 'fail',
        message: 'No AWS credentials found (environment variables, ~/.aws/config, ~/.aws/credentials)',
        fix: 'aws configure sso (or aws configure with an access key); the local cloud needs none of this',
      });
    }
    return findings;
  }
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? profiles.get(wanted ?? 'default')?.region;
  findings.push(
    region
      ? { status: 'ok', message: `AWS region ${region}` }
      : {
          status: 'warn',
          message: "No AWS region set: the service's own region (serverless.ts) applies",
          fix: 'export AWS_REGION=eu-west-1 to choose another',
        },
  );
  return findings;
}

/** The sections of an INI file (the AWS config format), or nothing when it does not exist. */
function readIni(file: string): Record<string, Record<string, string>> {
  if (!existsSync(file)) return {};
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = sections[section[1].trim()] ??= {};
      continue;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (kv && current) current[kv[1]] = kv[2];
  }
  return sections;
}
