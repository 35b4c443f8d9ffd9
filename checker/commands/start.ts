import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import pc from 'picocolors';
import type { Speed } from '../../emulator/index.ts';
import { REPO_ROOT, UsageError } from '../core/repo.ts';
import { DEFAULT_PORT, startDev, type DevOptions, type DevServer } from './dev.ts';

/**
 * `npm start`: everything a learner needs in one terminal. The local cloud runs backend/
 * (as `npm run dev` does, at 60x by default) and VitePress serves the guide, with the live
 * board at /board. Ctrl-C stops both.
 *
 * VitePress runs in a child process: the local cloud replaces this process's timers and
 * Date with its virtual clock, and a dev server (file watching, reload debounces, HTTP
 * keep-alive) must live in real time.
 */
export interface StartOptions {
  dir?: string;
  /** The local cloud's port (default 4566). */
  port?: number;
  /** The guide's port (default 5173). */
  docsPort?: number;
  /** The clock's speed (default 60: a virtual minute every real second). */
  speed?: Speed;
  /** Also print the local cloud's live log here (the board shows it anyway). */
  log?: boolean;
  print?: (line: string) => void;
  /** Starts the local cloud (default `startDev`); tests pass one that keeps no data on disk. */
  startCloud?: (options: DevOptions) => Promise<DevServer>;
}

export const DEFAULT_DOCS_PORT = 5173;
export const DEFAULT_SPEED = 60;

export interface Running {
  guideUrl: string;
  boardUrl: string;
  cloudUrl: string;
  /** Resolves when the guide's process ends on its own (a crash, or it was killed). */
  guideExited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts the guide and the local cloud; undefined (after explaining why) when a port is busy. */
export async function startAll(options: StartOptions = {}): Promise<Running | undefined> {
  const print = options.print ?? ((line: string) => console.log(line));
  if (typeof options.speed === 'number' && !(options.speed > 0)) throw new UsageError('--speed takes a positive number (60 runs a virtual minute every second), max or paused.');
  const port = options.port ?? DEFAULT_PORT;
  const docsPort = options.docsPort ?? DEFAULT_DOCS_PORT;
  if (port === docsPort) {
    print(pc.red(`✖ The local cloud and the guide cannot share port ${port}: choose another with --port or --docs-port.`));
    return undefined;
  }
  // Checked up front, so a busy port is explained before anything starts.
  for (const [p, what] of [[port, 'cloud'], [docsPort, 'guide']] as const) {
    if (!(await portIsFree(p))) {
      print(busyPort(p, what));
      return undefined;
    }
  }

  print(pc.dim(`… starting the guide and the local cloud on ${relativeDir(options.dir)}`));
  const guide = startGuide(docsPort);
  let dev: DevServer;
  try {
    dev = await (options.startCloud ?? startDev)({ dir: options.dir, port, speed: options.speed ?? DEFAULT_SPEED, log: options.log ?? false, print, command: 'npm start' });
  } catch (err) {
    await guide.stop();
    throw err;
  }
  let guideUrl: string;
  try {
    guideUrl = await guide.ready;
  } catch (err) {
    await dev.stop();
    if ((err as GuideError).busy) {
      print(busyPort(docsPort, 'guide'));
      return undefined;
    }
    throw err;
  }

  const cloudUrl = dev.cloud.endpoint;
  const base = guideUrl.replace(/\/$/, '');
  // The board looks for the cloud on 4566 unless the page's address says otherwise.
  const boardUrl = port === DEFAULT_PORT ? `${base}/board` : `${base}/board?cloud=${cloudUrl}`;
  let stopping: Promise<void> | undefined;
  return {
    guideUrl: `${base}/`,
    boardUrl,
    cloudUrl,
    guideExited: guide.exited,
    stop() {
      stopping ??= Promise.all([guide.stop(), dev.stop()]).then(() => undefined);
      return stopping;
    },
  };
}

export async function start(options: StartOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  const running = await startAll(options);
  if (!running) return 1;
  print('');
  print(pc.bold('Serverless Dojo is running:'));
  print(`  Guide        ${pc.cyan(running.guideUrl)}`);
  print(`  Board        ${pc.cyan(running.boardUrl)}`);
  print(`  Local cloud  ${pc.cyan(running.cloudUrl)}`);
  print(pc.dim(options.log ? '' : '  The board shows what the local cloud does; add --log to print it here too.'));
  print(pc.dim('  Press Ctrl-C to stop.'));

  const reason = await new Promise<string | undefined>((resolve) => {
    process.once('SIGINT', () => resolve(undefined));
    process.once('SIGTERM', () => resolve(undefined));
    // Exit code 0 is the guide's own answer to Ctrl-C, which reaches both processes.
    void running.guideExited.then((code) => resolve(code === 0 ? undefined : `The guide stopped on its own (exit code ${code ?? 'none'}).`));
  });
  if (reason) print(pc.red(`✖ ${reason} Stopping the local cloud too.`));
  print(pc.dim('\nStopping the guide and the local cloud…'));
  await running.stop();
  return reason ? 1 : 0;
}

interface GuideError extends Error {
  busy?: boolean;
}

interface Guide {
  ready: Promise<string>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * The child: VitePress's node API, restarted in place when its config changes (as the
 * `vitepress dev` command does). It reports its address, or why it could not start, over IPC,
 * and stops when this process goes away, whichever way it goes.
 */
const GUIDE_CHILD = `
import { createServer } from 'vitepress';
const port = Number(process.env.DOJO_GUIDE_PORT);
let server;
async function boot() {
  server = await createServer('docs', { port, strictPort: true }, async () => {
    await server.close();
    await boot();
  });
  await server.listen();
}
try {
  await boot();
  process.send?.({ type: 'ready', url: server.resolvedUrls?.local?.[0] ?? 'http://localhost:' + port + '/' });
} catch (err) {
  const busy = err?.code === 'EADDRINUSE' || /already in use/i.test(String(err?.message));
  process.send?.({ type: 'error', busy, message: String(err?.stack ?? err) }, () => process.exit(1));
}
// Closing waits for Vite's work in flight (a dependency pre-bundle can take seconds): not forever.
const stop = async () => {
  setTimeout(() => process.exit(0), 3000).unref();
  await server?.close().catch(() => undefined);
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
process.once('disconnect', stop);
`;

function startGuide(port: number): Guide {
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', GUIDE_CHILD], {
    cwd: REPO_ROOT,
    env: { ...process.env, DOJO_GUIDE_PORT: String(port) },
    // No stdin: Ctrl-C reaches it as SIGINT through the terminal's process group, and
    // VitePress's keyboard shortcuts would fight over the terminal with this process.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.on('message', (m: { type?: string; url?: string; busy?: boolean; message?: string }) => {
      if (m.type === 'ready' && m.url) resolve(m.url);
      if (m.type === 'error') reject(Object.assign(new Error(`The guide did not start: ${m.message}`), { busy: m.busy }));
    });
    void exited.then((code) => reject(new Error(`The guide stopped before it was ready (exit code ${code ?? 'none'}).`)));
  });
  ready.catch(() => undefined);
  return {
    ready,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // The real timer: this process's global one runs on the virtual clock.
      const killer = realSetTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      realClearTimeout(killer);
    },
  };
}

const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** True when nothing listens on the port, on IPv4 or IPv6 loopback. */
export async function portIsFree(port: number): Promise<boolean> {
  for (const host of ['127.0.0.1', '::1']) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code !== 'EADDRINUSE'));
      server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
    });
    if (!free) return false;
  }
  return true;
}

/** Why a port is busy, who may hold it, and how to choose another. */
export function busyPort(port: number, what: 'cloud' | 'guide'): string {
  const holder = portHolder(port);
  const lines = [
    pc.red(`✖ Port ${port} is busy, so ${what === 'cloud' ? 'the local cloud' : 'the guide'} cannot listen on it.`),
    holder ? `  It is held by ${holder}.` : '',
    what === 'cloud'
      ? `  Another npm start or npm run dev is probably running (look in your other terminals)${port === DEFAULT_PORT ? ', or LocalStack, which uses the same port' : ''}.`
      : `  Another npm start or npm run docs:dev is probably running (look in your other terminals)${port === DEFAULT_DOCS_PORT ? ', or another Vite app' : ''}.`,
    `  Stop it, or choose another port: ${pc.cyan(what === 'cloud' ? `npm start -- --port ${port + 1}` : `npm start -- --docs-port ${port + 1}`)}`,
  ];
  return lines.filter(Boolean).join('\n');
}

/** Best effort: `lsof` names the process on macOS and most Linux machines; silence otherwise. */
function portHolder(port: number): string | undefined {
  try {
    const r = spawnSync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], { encoding: 'utf8', timeout: 2000 });
    if (r.status !== 0 || !r.stdout) return undefined;
    const pid = /^p(\d+)$/m.exec(r.stdout)?.[1];
    const command = /^c(.+)$/m.exec(r.stdout)?.[1];
    return pid ? `${command ?? 'a process'} (pid ${pid})` : undefined;
  } catch {
    return undefined;
  }
}

function relativeDir(dir: string | undefined): string {
  return dir ?? 'backend/';
}
