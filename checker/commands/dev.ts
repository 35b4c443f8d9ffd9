import { watch } from 'node:fs';
import { relative, resolve } from 'node:path';
import pc from 'picocolors';
import { LocalCloud } from '../../emulator/cloud.ts';
import type { Speed } from '../../emulator/core/clock.ts';
import type { TraceEntry } from '../../emulator/core/trace.ts';
import { configHash } from '../../emulator/stack/package.ts';
import { backendDir, REPO_ROOT, requireDir, UsageError } from '../core/repo.ts';

/**
 * `npm run dev`: the local cloud on backend/, on disk under .dojo/, at a workshop speed,
 * with a readable live log. Saving a handler takes effect at once (fresh sandboxes);
 * saving serverless.ts or resources packages and deploys again.
 */
export interface DevOptions {
  dir?: string;
  port?: number;
  speed?: Speed;
  /** Where DynamoDB keeps its data: a folder, or false for memory. Default .dojo/dev-data. */
  dataDir?: string | false;
  /** Print the live log (default true). */
  log?: boolean;
  print?: (line: string) => void;
}

export interface DevServer {
  cloud: LocalCloud;
  stop(): Promise<void>;
}

export const DEFAULT_PORT = 4566;

export async function startDev(options: DevOptions = {}): Promise<DevServer> {
  const dir = requireDir(resolve(options.dir ?? backendDir()), 'The service folder');
  const print = options.print ?? ((line: string) => console.log(line));
  let cloud: LocalCloud;
  try {
    cloud = await LocalCloud.start({
      port: options.port ?? DEFAULT_PORT,
      speed: options.speed ?? 1,
      dataDir: options.dataDir === false ? undefined : (options.dataDir ?? resolve(REPO_ROOT, '.dojo', 'dev-data')),
      onWarning: (m) => print(pc.yellow(`⚠ ${m}`)),
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const deploy = async () => {
    const t0 = performance.now();
    try {
      const stack = await cloud.deployService(dir);
      print(pc.green(`✔ deployed ${relative(process.cwd(), dir) || '.'} as ${stack.name} in ${((performance.now() - t0) / 1000).toFixed(1)} s`));
      for (const api of cloud.httpApis.list()) print(`  HTTP API  ${cloud.endpoint}/_aws/execute-api/${api.apiId}  (${api.routes.map((r) => r.routeKey).join(', ')})`);
    } catch (err) {
      print(pc.red(`✖ ${(err as Error).message}`));
      print(pc.dim('  Fix it and save: the local cloud keeps running and deploys again.'));
    }
  };
  await deploy();
  print('');
  const speed = cloud.clock.getSpeed();
  print(`Local cloud on ${pc.bold(cloud.endpoint)} (clock ${typeof speed === 'number' ? `at ${speed}x` : speed}). Use it from a shell with:`);
  print(pc.cyan(`  export AWS_ENDPOINT_URL=${cloud.endpoint} AWS_REGION=${cloud.region} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DISABLE_HOST_PREFIX_INJECTION=true`));
  print('');

  const off = options.log === false ? () => undefined : cloud.trace.subscribe((e) => {
    const line = formatEntry(e);
    if (line) print(line);
  });

  // Configuration changes redeploy; handler changes need nothing (sandboxes reload).
  let lastHash = configHash(dir);
  let timer: NodeJS.Timeout | undefined;
  const realSetTimeout = setTimeoutReal;
  const watcher = watch(dir, { recursive: true }, (_e, file) => {
    if (!file || /(^|\/)(\.serverless|\.esbuild|node_modules|\.dojo)(\/|$)/.test(file)) return;
    if (timer) clearTimeoutReal(timer);
    timer = realSetTimeout(() => {
      const hash = configHash(dir);
      if (hash === lastHash) {
        print(pc.dim(`↻ ${file} changed: the next invocation uses it`));
        return;
      }
      lastHash = hash;
      print(pc.dim(`↻ ${file} changed: packaging and deploying again…`));
      void deploy();
    }, 300);
  });
  return {
    cloud,
    async stop() {
      watcher.close();
      off();
      await cloud.stop();
    },
  };
}

// The local cloud fakes the global timers; the watcher's debounce runs in real time.
const setTimeoutReal = globalThis.setTimeout;
const clearTimeoutReal = globalThis.clearTimeout;

/** One line of the live log, for a human; undefined for entries too chatty to show. */
export function formatEntry(e: TraceEntry): string | undefined {
  const t = pc.dim(new Date(e.time).toISOString().slice(11, 19));
  switch (e.kind) {
    case 'schedule.fire':
      return `${t} ⏰ ${e.rule} (${e.schedule})`;
    case 'events.put':
      return `${t} 📨 ${e.detailType} from ${e.source} on ${e.bus}`;
    case 'events.rejected':
      return `${t} ${pc.red('✖')} event refused: ${e.ErrorCode} ${e.ErrorMessage}`;
    case 'invoke.end':
      return e.ok ? `${t} λ ${e.function} ${pc.dim(`${Math.round(Number(e.durationMs))} ms`)}` : `${t} ${pc.red(`λ ${e.function} failed: ${(e.error as { errorType?: string })?.errorType}: ${(e.error as { errorMessage?: string })?.errorMessage}`)}`;
    case 'log':
      return `${t}   ${pc.dim(String(e.function).split('-').pop() ?? '')} ${e.level === 'ERROR' ? pc.red(String(e.message)) : String(e.message)}`;
    case 'sfn.execution.start':
      return `${t} ▶ execution ${e.name}`;
    case 'sfn.execution.end':
      return `${t} ${e.status === 'SUCCEEDED' ? pc.green('■') : pc.red('■')} execution ${e.name ?? ''} ${e.status ?? ''}`;
    case 'sfn.state.enter':
      return `${t}   → ${e.state}`;
    case 'dynamodb.write':
      return `${t} 💾 ${e.op} ${e.table}`;
    case 'http.response':
      return `${t} 🌐 ${e.status}`;
    case 'http.request':
      return `${t} 🌐 ${e.method} ${e.path}`;
    case 'target.error':
      return `${t} ${pc.red(`✖ rule ${e.rule} could not deliver: ${e.error}`)}`;
    default:
      return undefined;
  }
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
