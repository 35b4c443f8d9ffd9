/**
 * Packages a service folder for the local cloud and returns the CloudFormation template
 * `osls package` would send to AWS.
 *
 * - osls runs WITHOUT serverless-esbuild: the local cloud runs the TypeScript source, so the
 *   bundle was thrown away (and cost more than half the packaging). The learner's
 *   serverless.ts is loaded through a wrapper config the dojo writes next to it
 *   (`.dojo-package.cjs`, removed right after: osls only reads a config in the service's
 *   root), and what bundling would have caught is checked in process (handler-check.ts).
 * - osls writes its output outside the service folder, under the dojo's `.dojo/package/`,
 *   so nothing appears in the learner's folder for a watcher to trip on.
 * - The result is cached by the stage and a hash of the configuration (serverless.ts,
 *   resources, anything outside the handler code): the template holds no path, so copies
 *   of a folder share it. Handlers are checked on every call, cached or not.
 *
 * - osls sees the local cloud's STS (sts/packaging-endpoint.ts) with local credentials, so
 *   `${aws:accountId}` resolves to the local account and `${aws:region}` to the provider's
 *   region, as on AWS; the account is part of the cache key.
 *
 * `--aws` does not come here: it deploys with the learner's own plugins (checker/aws).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkHandlers } from './handler-check.ts';
import { withFolderLock } from './folder-lock.ts';
// Not through sts/index.ts: its api.ts needs the gateway, which needs packaging (a cycle).
import { LOCAL_ACCOUNT_ID } from '../sts/identity.ts';
import { startPackagingEndpoint } from '../sts/packaging-endpoint.ts';

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
  Resources: Record<
    string,
    {
      Type: string;
      Properties?: Record<string, any>;
      DependsOn?: string | string[];
      Condition?: string;
      Metadata?: Record<string, unknown>;
    }
  >;
  Outputs?: Record<string, { Value: unknown; Description?: string }>;
}

export class PackageError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = 'PackageError';
  }
}

/** The lock folder that serializes packaging of a service folder. */
export const PACKAGE_LOCK = '.dojo-package.lock';

/** The wrapper config local packaging writes in the service folder while osls runs. */
export const PACKAGE_WRAPPER = '.dojo-package.cjs';

/** Files and folders whose content never changes the template: handler code, tests, build output, the dojo's own. */
const CODE_DIRS = new Set([
  'node_modules',
  '.serverless',
  '.esbuild',
  '.dojo',
  PACKAGE_LOCK,
  PACKAGE_WRAPPER,
  'functions',
  'lib',
  'tests',
  'test',
]);

/** The dojo's state folder, never the learner's service folder. */
const DOJO_DIR = join(fileURLToPath(new URL('../../', import.meta.url)), '.dojo');
/** Where osls's output goes. */
const CACHE_ROOT = join(DOJO_DIR, 'package');
/** osls's configuration validator, compiled (osls-validator-cache.cjs). */
const VALIDATOR_CACHE = join(DOJO_DIR, 'osls-validator');
/** asl-validator's schema verdicts on the state machines osls packages (osls-asl-verdicts.cjs). */
const ASL_VERDICTS = join(DOJO_DIR, 'cache', 'osls-asl-schema');
/**
 * Templates kept (about 80 KB each, the archive left out): enough for every session folder and
 * each catalogued mistake; a whole run of the kit's tests packages about 90 configurations,
 * and 32 made it package some of them twice.
 */
const CACHE_ENTRIES = 256;
const TEMPLATE = 'cloudformation-template-update-stack.json';

/** The folder holding the cached packaging of `serviceDir` for `stage` and account, as it is now. */
export function packageOutputDir(serviceDir: string, stage = 'local', accountId = LOCAL_ACCOUNT_ID): string {
  return join(CACHE_ROOT, `${stage}-${accountId}-${configHash(serviceDir)}`);
}

export async function packageService(
  serviceDir: string,
  stage = 'local',
  options: { note?: (line: string) => void; accountId?: string } = {},
): Promise<PackageResult> {
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  // Two packagings of one folder at once (a check and a deploy, parallel test files) would
  // write the same wrapper config: one at a time, across processes.
  return withFolderLock(join(serviceDir, PACKAGE_LOCK), () => packageUnlocked(serviceDir, stage, accountId), {
    what: `packaging ${shortDir(serviceDir)}`,
    note: options.note,
  });
}

function shortDir(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return `${rel && !rel.startsWith('..') ? rel : dir}/`;
}

async function packageUnlocked(serviceDir: string, stage: string, accountId: string): Promise<PackageResult> {
  const t0 = performance.now();
  const ts = existsSync(join(serviceDir, 'serverless.ts'));
  if (!ts && !existsSync(join(serviceDir, 'serverless.yml'))) {
    throw new PackageError(
      `${serviceDir} has no serverless.ts: is this a service folder? Point --dir at the folder that holds serverless.ts.`,
      '',
    );
  }
  const out = packageOutputDir(serviceDir, stage, accountId);
  const templatePath = join(out, TEMPLATE);
  const cached = existsSync(templatePath);
  if (cached) {
    // Recently used entries survive pruning.
    const now = new Date();
    utimesSync(out, now, now);
  } else {
    await packageInto(serviceDir, stage, out, ts, accountId);
  }
  const template = readTemplate(templatePath);
  const problems = await checkHandlers(serviceDir, handlersOf(template), {
    format: bundleFormat(join(out, 'serverless-state.json')),
  });
  if (problems.length > 0) {
    const list = problems.map((p) => p.message).join('\n');
    const at = problems.find((p) => p.at)?.at;
    throw new PackageError(
      `Packaging failed in ${serviceDir}${at ? ` (at ${at})` : ''}: a handler does not build.\n${list}`,
      list,
    );
  }
  return { template, templatePath, cached, ms: performance.now() - t0 };
}

/** Runs osls into a fresh folder, then publishes it as `out` in one rename. */
async function packageInto(
  serviceDir: string,
  stage: string,
  out: string,
  ts: boolean,
  accountId: string,
): Promise<void> {
  mkdirSync(CACHE_ROOT, { recursive: true });
  const fresh = `${out}.${process.pid}-${randomBytes(3).toString('hex')}.tmp`;
  const args = ['package', '--stage', stage, '--package', fresh];
  if (ts) {
    writeFileSync(join(serviceDir, PACKAGE_WRAPPER), wrapperSource());
    args.push('--config', PACKAGE_WRAPPER);
  }
  const sts = await startPackagingEndpoint(accountId);
  try {
    const output = await runOsls(serviceDir, args, {
      AWS_ENDPOINT_URL: sts.url,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    if (!existsSync(join(fresh, TEMPLATE)))
      throw new PackageError(`osls package finished but wrote no template in ${fresh}.`, output);
    // The service's archive (1.5 MB): the local cloud runs the folder's source, never the archive.
    for (const name of readdirSync(fresh)) if (name.endsWith('.zip')) rmSync(join(fresh, name));
    try {
      renameSync(fresh, out);
    } catch (err) {
      // Another process published the same configuration first: its template is as good.
      if (!['ENOTEMPTY', 'EEXIST'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
    }
    prune();
  } finally {
    await sts.close();
    if (ts) rmSync(join(serviceDir, PACKAGE_WRAPPER), { force: true });
    rmSync(fresh, { recursive: true, force: true });
  }
}

/**
 * osls's own way to load serverless.ts (tsx's require, as checker/aws/snapshot.ts does), then
 * the service without serverless-esbuild. Every other plugin (serverless-step-functions and
 * its validation) stays. First, osls's configuration validator is set to compile from a code
 * cache of its own (osls-validator-cache.cjs), and asl-validator's schema check to answer a
 * definition it has checked before from its verdict (osls-asl-verdicts.cjs): the same
 * validations, without their compiles.
 */
function wrapperSource(): string {
  const tsx = require.resolve('tsx/cjs/api');
  const validatorCache = fileURLToPath(new URL('./osls-validator-cache.cjs', import.meta.url));
  const aslVerdicts = fileURLToPath(new URL('./osls-asl-verdicts.cjs', import.meta.url));
  return `// Written by the dojo for local packaging, removed once osls is done: your serverless.ts, without serverless-esbuild.
require(${JSON.stringify(validatorCache)}).install(${JSON.stringify(VALIDATOR_CACHE)});
require(${JSON.stringify(aslVerdicts)}).install(${JSON.stringify(ASL_VERDICTS)});
const { require: load } = require(${JSON.stringify(tsx)});
const loaded = load('./serverless.ts', __filename);
const config = loaded.default || loaded;
module.exports = { ...config, plugins: (config.plugins || []).filter((p) => p !== 'serverless-esbuild') };
`;
}

function handlersOf(template: Template): string[] {
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function' && typeof r.Properties?.Handler === 'string')
    .map((r) => r.Properties!.Handler as string);
}

/** Keeps the most recently used entries of the cache. */
function prune(): void {
  const entries = readdirSync(CACHE_ROOT)
    .filter((name) => !name.endsWith('.tmp'))
    .map((name) => ({
      name,
      mtime: statSync(join(CACHE_ROOT, name), { throwIfNoEntry: false })?.mtimeMs ?? 0,
    }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { name } of entries.slice(CACHE_ENTRIES))
    rmSync(join(CACHE_ROOT, name), { recursive: true, force: true });
}

/**
 * The format serverless-esbuild would bundle the handlers in: `custom.esbuild.format`, else
 * esbuild's default on platform node, CommonJS. A service without a `custom.esbuild` block is
 * checked as ES modules (no bundler decides its format here).
 */
function bundleFormat(statePath: string): 'esm' | 'cjs' {
  try {
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as {
      service?: { custom?: { esbuild?: { format?: string; platform?: string } } };
    };
    const esbuild = state.service?.custom?.esbuild;
    if (!esbuild) return 'esm';
    if (esbuild.format) return esbuild.format === 'cjs' ? 'cjs' : 'esm';
    return esbuild.platform === 'neutral' ? 'esm' : 'cjs';
  } catch {
    return 'esm';
  }
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

export function runOsls(
  serviceDir: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<string> {
  const bin = require.resolve('osls/bin/serverless.js');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // The learner's AWS settings never reach a local osls (no profile lookups, never AWS itself):
    // what it may ask of AWS goes to the endpoint the caller gives in extraEnv. No telemetry.
    if (v !== undefined && !k.startsWith('AWS_') && !k.startsWith('VITEST') && k !== 'NODE_OPTIONS')
      env[k] = v;
  }
  Object.assign(
    env,
    {
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      SLS_DEPRECATION_DISABLE: '*',
      FORCE_COLOR: '0',
    },
    extraEnv,
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: serviceDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) =>
      reject(
        new PackageError(
          `Could not start osls: ${err.message}. Run npm install at the repository root.`,
          output,
        ),
      ),
    );
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
  const lines = clean
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);
  const errorAt = lines.findIndex((l) => /^(✖|Error:|Environment:)|Error --/.test(l.trim()));
  const relevant = (errorAt >= 0 ? lines.slice(errorAt) : lines.slice(-12))
    .filter(
      (l) =>
        !/^\s*(Environment|Operating System|Node Version|Framework Version|Plugin Version|SDK Version|Components Version|Docs|Bugs|Issues|Your Environment Information)/.test(
          l.trim(),
        ),
    )
    // Stack frames are osls's and esbuild's insides: the file and line above are the learner's.
    .filter((l) => !/^\s+at .+(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/.test(l));
  const fileLine = /([\w./-]+\.ts):(\d+)(?::(\d+))?/.exec(clean);
  const where = fileLine ? ` (at ${fileLine[1]}:${fileLine[2]})` : '';
  return `osls package failed in ${serviceDir}${where}:\n${relevant.slice(0, 15).join('\n')}`;
}
