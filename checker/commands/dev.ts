/**
 * `npm run dev`: the local cloud on backend/, on disk under .dojo/, at a workshop speed,
 * with a readable live log. Saving a handler takes effect at once (fresh sandboxes);
 * saving serverless.ts, anything it imports or package.json packages and deploys again.
 * While it runs it is listed in .dojo/run/clouds/ (checker/core/clouds.ts), so that
 * `npm run invoke` uses it and a second one on the same data folder is told who holds it.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { describeChanges, LocalCloud, type Speed, type TraceEntry } from '../../emulator/index.ts';
import { cloudForDataDir, registerCloud, type CloudEntry } from '../core/clouds.ts';
import { CLOUD_PORT, DEV_SPEED } from '../core/defaults.ts';
import { backendDir, REPO_ROOT, requireDir, UsageError } from '../core/repo.ts';
import { watchService, type ServiceChange } from '../core/watch.ts';

export interface DevOptions {
  dir?: string;
  port?: number;
  speed?: Speed;
  /** Where DynamoDB, S3 and the CloudFormation stack records keep their data: a folder, or false for memory. Default .dojo/dev-data. */
  dataDir?: string | false;
  /** Print the live log (default true). */
  log?: boolean;
  print?: (line: string) => void;
  /** The repository whose .dojo/run/clouds/ lists this cloud (default: this one). */
  root?: string;
  /** How the learner started it, for other commands' messages (default "npm run dev"). */
  command?: string;
}

export interface DevServer {
  cloud: LocalCloud;
  /** Resolves once no save is waiting to be deployed (tests and the bench wait on it). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDev(options: DevOptions = {}): Promise<DevServer> {
  const dir = requireDir(resolve(options.dir ?? backendDir()), 'The service folder');
  const root = options.root ?? REPO_ROOT;
  const print = options.print ?? ((line: string) => console.log(line));
  const dataDir =
    options.dataDir === false ? undefined : resolve(options.dataDir ?? resolve(root, '.dojo', 'dev-data'));
  if (dataDir) {
    const other = cloudForDataDir(root, dataDir);
    if (other) throw new UsageError(dataDirInUse(other, dataDir, root));
  }
  let cloud: LocalCloud;
  try {
    cloud = await LocalCloud.start({
      port: options.port ?? CLOUD_PORT,
      speed: options.speed ?? DEV_SPEED,
      dataDir,
      onWarning: (m) => print(pc.yellow(`⚠ ${m}`)),
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const unregister = registerCloud(root, {
    port: Number(new URL(cloud.endpoint).port),
    endpoint: cloud.endpoint,
    region: cloud.region,
    dir,
    dataDir,
    command: options.command ?? 'npm run dev',
  });
  const shownDir = relative(process.cwd(), dir) || '.';
  const deploy = async (): Promise<boolean> => {
    const t0 = performance.now();
    try {
      const stack = await cloud.deployService(dir, { note: (line) => print(pc.yellow(line)) });
      print(
        pc.green(
          `✔ deployed ${shownDir} as ${stack.name} in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${describeChanges(stack.changes)}`,
        ),
      );
      for (const line of apiLines(cloud)) print(line);
      return true;
    } catch (err) {
      print(pc.red(`✖ ${(err as Error).message}`));
      print(pc.dim('  Fix it and save: the local cloud keeps running and deploys again.'));
      return false;
    }
  };
  // Watching starts with the first deploy: a save made while it runs is deployed right after.
  let deployed = false;
  const first = deploy().then((ok) => void (deployed = ok));
  const onChange = async (change: ServiceChange) => {
    await first;
    const what = describeFiles(dir, change.files, shownDir);
    if (!change.present) {
      print(
        pc.yellow(
          `⚠ ${shownDir}/ has no serverless.ts now (${what}): the local cloud keeps what it has, and deploys again once it is back.`,
        ),
      );
      return;
    }
    // A handler alone: fresh sandboxes, no packaging. After a failed deploy, anything deploys again.
    if (change.kind === 'code' && deployed) {
      cloud.lambda.refresh(dir);
      print(pc.dim(`↻ ${what} changed: the next invocation uses it`));
      return;
    }
    print(pc.dim(`↻ ${what} changed: packaging and deploying again…`));
    deployed = await deploy();
  };
  const watcher = watchService(dir, {
    onChange,
    onError: (m) => print(pc.red(`✖ ${m} (the local cloud keeps running)`)),
  });
  await Promise.all([first, watcher.ready]);

  print('');
  const speed = cloud.clock.getSpeed();
  print(
    `Local cloud on ${pc.bold(cloud.endpoint)} (clock ${typeof speed === 'number' ? `at ${speed}x` : speed}). Use it from a shell with:`,
  );
  print(pc.cyan(`  ${exportLine(cloud.endpoint, cloud.region)}`));
  print('');

  const off =
    options.log === false
      ? () => undefined
      : cloud.trace.subscribe((e) => {
          const line = formatEntry(e);
          if (line) print(line);
        });

  return {
    cloud,
    settled: () => watcher.idle(),
    async stop() {
      await watcher.close();
      off();
      unregister();
      await cloud.stop();
    },
  };
}

/**
 * The shell line that points the AWS SDK and the AWS CLI at the local cloud. The AWS CLI v1
 * reads its region from AWS_DEFAULT_REGION only; the SDKs from AWS_REGION: both are set.
 * Host prefixes are off: TestState goes to `sync-<host>`, a name that does not resolve here.
 */
export function exportLine(endpoint: string, region: string): string {
  return `export AWS_ENDPOINT_URL=${endpoint} AWS_REGION=${region} AWS_DEFAULT_REGION=${region} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DISABLE_HOST_PREFIX_INJECTION=true`;
}

/** "serverless.ts", "functions/a.ts and 2 more", "backend/ (replaced)": the files still there first (an editor's temp file is gone by now). */
function describeFiles(dir: string, files: string[], shownDir: string): string {
  const named = files.filter((f) => !f.endsWith('/'));
  if (named.length === 0) return `${shownDir}/ (replaced)`;
  const there = named.filter((f) => existsSync(join(dir, f)));
  const list = there.length ? there : named;
  return list.length > 1 ? `${list[0]} and ${list.length - 1} more` : list[0];
}

/** Why a second local cloud cannot use the data folder, who holds it, and what to do. */
export function dataDirInUse(other: CloudEntry, dataDir: string, root: string): string {
  const shown = (path: string) => {
    const rel = relative(root, path);
    return rel && !rel.startsWith('..') ? rel : path;
  };
  return [
    `✖ Another local cloud (pid ${other.pid}, port ${other.port}, ${other.command ?? 'npm run dev'}) is using ${shown(dataDir)}: two cannot share one data folder.`,
    `  It runs ${shown(other.dir)}/ on ${other.endpoint}: use that one (npm run invoke, the AWS CLI and the board all can),`,
    `  or stop it first (Ctrl-C in its terminal, or kill ${other.pid}).`,
  ].join('\n');
}

/** One line of the live log, for a human; undefined for entries too chatty to show. */
export function formatEntry(e: TraceEntry): string | undefined {
  const t = pc.dim(new Date(e.time).toISOString().slice(11, 19));
  switch (e.kind) {
    case 'schedule.fire':
      return `${t} ⏰ ${e.rule} (${e.schedule})`;
    case 'events.put':
      return `${t} 📨 ${e.detailType} from ${e.source} on ${e.bus}${e.noSuchBus ? pc.yellow(` (no bus named ${e.bus}: AWS accepts the event and no rule sees it)`) : ''}`;
    case 'events.rejected':
      return `${t} ${pc.red('✖')} event refused: ${e.ErrorCode} ${e.ErrorMessage}`;
    case 'invoke.end':
      return e.ok
        ? `${t} λ ${e.function} ${pc.dim(`${Math.round(e.durationMs)} ms`)}`
        : `${t} ${pc.red(`λ ${e.function} failed: ${e.error?.errorType}: ${e.error?.errorMessage}`)}`;
    case 'invoke.unawaited':
      return `${t} ${pc.yellow(`⚠ ${e.message}`)}`;
    case 'log':
      return `${t}   ${pc.dim(e.function.split('-').pop() ?? '')} ${e.level === 'ERROR' ? pc.red(e.message) : e.message}`;
    case 'sfn.execution.start':
      return `${t} ▶ execution ${e.name}`;
    case 'sfn.execution.end':
      return `${t} ${e.status === 'SUCCEEDED' ? pc.green('■') : pc.red('■')} execution ${e.name} ${e.status}`;
    case 'sfn.state.enter':
      return `${t}   → ${e.state}`;
    case 'dynamodb.write':
      return `${t} 💾 ${e.op} ${e.table}`;
    case 'http.response':
      return `${t} 🌐 ${e.status}`;
    case 'http.request':
      return `${t} 🌐 ${e.method} ${e.path}`;
    case 'rest.request':
      return `${t} 🌐 ${e.method} /${e.stage}${e.path}`;
    case 'rest.response':
      return `${t} 🌐 ${e.status}`;
    case 'websocket.connect':
      return e.status >= 200 && e.status < 300
        ? `${t} 🔌 ${e.connectionId} connected`
        : `${t} 🔌 ${pc.yellow(`${e.connectionId} refused by $connect (${e.status})`)}`;
    case 'websocket.message':
      return `${t} 🔌 ${e.connectionId} → ${e.routeKey || pc.yellow('no route')} (${e.bytes} bytes)`;
    case 'websocket.send':
      return `${t} 🔌 ${e.connectionId} ← ${e.bytes} bytes`;
    case 'websocket.disconnect':
      return `${t} 🔌 ${e.connectionId} disconnected: ${e.reason}`;
    case 'target.error':
      return `${t} ${pc.red(`✖ rule ${e.rule} could not deliver: ${e.error}`)}`;
    case 'scheduler.fire':
      return `${t} ⏰ schedule ${e.group}/${e.schedule} (${e.expression}${e.timezone === 'UTC' ? '' : ` ${e.timezone}`})`;
    case 'scheduler.error':
      return `${t} ${pc.red(`✖ schedule ${e.group}/${e.schedule} could not invoke its target: ${e.error}`)}`;
    case 'scheduler.complete':
      return e.deleted
        ? `${t} ⏰ schedule ${e.group}/${e.schedule} completed and was deleted (ActionAfterCompletion DELETE)`
        : undefined;
    default:
      return undefined;
  }
}

/** One line per API: `REST API  <url>`, `HTTP API  <url>`, `WebSocket <ws://url>` (npm run dev, npm start). */
export function apiLines(cloud: LocalCloud): string[] {
  return cloud.apiUrls().map((a) => `  ${a.kind.padEnd(9)} ${pc.cyan(a.url)}`);
}

export async function dev(options: DevOptions): Promise<number> {
  const server = await startDev(options);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log(pc.dim('\nStopping the local cloud…'));
  await server.stop();
  return 0;
}
