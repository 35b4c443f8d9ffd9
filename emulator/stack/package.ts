import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { withFolderLock } from './folder-lock.ts';

/**
 * Runs `osls package` in a service folder and returns the CloudFormation template it would
 * send to AWS. The result is cached: it packages again only when the service's
 * configuration (serverless.ts, resources, anything outside the handler code) changes.
 */
export interface PackageResult {
  template: Template;
  templatePath: string;
  cached: boolean;
  ms: number;
}

export interface Template {
  AWSTemplateFormatVersion?: string;
  Parameters?: Record<string, { Default?: unknown; Type?: string }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties?: Record<string, any>; DependsOn?: string | string[]; Condition?: string }>;
  Outputs?: Record<string, { Value: unknown; Description?: string }>;
}

export class PackageError extends Error {
  constructor(message: string, readonly output: string) {
    super(message);
    this.name = 'PackageError';
  }
}

/** Folders whose files never change the template: handler code, tests, build output. */
const CODE_DIRS = new Set(['node_modules', '.serverless', '.esbuild', '.dojo', '.dojo-package.lock', 'functions', 'lib', 'tests', 'test']);

/** The lock folder that serializes packaging of a service folder. */
export const PACKAGE_LOCK = '.dojo-package.lock';

export async function packageService(serviceDir: string, stage = 'local', options: { note?: (line: string) => void } = {}): Promise<PackageResult> {
  // Two packagings of one folder at once (a check and a deploy, parallel test files) would
  // write the same .serverless/: one at a time, across processes.
  return withFolderLock(join(serviceDir, PACKAGE_LOCK), () => packageUnlocked(serviceDir, stage), { what: `packaging ${shortDir(serviceDir)}`, note: options.note });
}

function shortDir(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return `${rel && !rel.startsWith('..') ? rel : dir}/`;
}

async function packageUnlocked(serviceDir: string, stage: string): Promise<PackageResult> {
  const t0 = performance.now();
  if (!existsSync(join(serviceDir, 'serverless.ts')) && !existsSync(join(serviceDir, 'serverless.yml'))) {
    throw new PackageError(`${serviceDir} has no serverless.ts: is this a service folder? Point --dir at the folder that holds serverless.ts.`, '');
  }
  const templatePath = join(serviceDir, '.serverless', 'cloudformation-template-update-stack.json');
  const hashPath = join(serviceDir, '.serverless', 'dojo-package-hash');
  const hash = `${stage}:${configHash(serviceDir)}`;
  if (existsSync(templatePath) && existsSync(hashPath) && readFileSync(hashPath, 'utf8') === hash) {
    return { template: readTemplate(templatePath), templatePath, cached: true, ms: performance.now() - t0 };
  }
  const output = await runOsls(serviceDir, ['package', '--stage', stage]);
  if (!existsSync(templatePath)) throw new PackageError(`osls package finished but wrote no template in ${templatePath}.`, output);
  writeFileSync(hashPath, hash);
  return { template: readTemplate(templatePath), templatePath, cached: false, ms: performance.now() - t0 };
}

function readTemplate(path: string): Template {
  return JSON.parse(readFileSync(path, 'utf8')) as Template;
}

export function configHash(serviceDir: string): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (CODE_DIRS.has(name)) continue;
      const full = join(dir, name);
      // A file saved by rename may be gone between readdir and stat: the next save counts it.
      const st = statSync(full, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(full);
      else if (/\.(ts|mts|js|mjs|cjs|json|ya?ml|asl\.json)$/.test(name)) {
        let content: Buffer;
        try {
          content = readFileSync(full);
        } catch {
          continue;
        }
        h.update(relative(serviceDir, full));
        h.update(content);
      }
    }
  };
  walk(serviceDir);
  return h.digest('hex').slice(0, 16);
}

const require = createRequire(import.meta.url);

export function runOsls(serviceDir: string, args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  const bin = require.resolve('osls/bin/serverless.js');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Locally there is no AWS account: no profile lookups, no telemetry.
    if (v !== undefined && !k.startsWith('AWS_') && !k.startsWith('VITEST') && k !== 'NODE_OPTIONS') env[k] = v;
  }
  Object.assign(env, { SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', SLS_DEPRECATION_DISABLE: '*', FORCE_COLOR: '0' }, extraEnv);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: serviceDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => reject(new PackageError(`Could not start osls: ${err.message}. Run npm install at the repository root.`, output)));
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new PackageError(explainOslsFailure(output, serviceDir), output));
    });
  });
}

/** Turns osls's output into the one message a learner needs: what failed and where. */
export function explainOslsFailure(output: string, serviceDir: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = output.replace(/\u001b\[[0-9;]*m/g, '');
  const lines = clean.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  const errorAt = lines.findIndex((l) => /^(✖|Error:|Environment:)|Error --/.test(l.trim()));
  const relevant = (errorAt >= 0 ? lines.slice(errorAt) : lines.slice(-12)).filter((l) => !/^\s*(Environment|Operating System|Node Version|Framework Version|Plugin Version|SDK Version|Components Version|Docs|Bugs|Issues|Your Environment Information)/.test(l.trim()));
  const fileLine = /([\w./-]+\.ts):(\d+)(?::(\d+))?/.exec(clean);
  const where = fileLine ? ` (at ${fileLine[1]}:${fileLine[2]})` : '';
  return `osls package failed in ${serviceDir}${where}:\n${relevant.slice(0, 15).join('\n')}`;
}
