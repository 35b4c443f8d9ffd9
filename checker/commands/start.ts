/**
 * `npm start`: everything a learner needs in one terminal. The local cloud runs backend/
 * (as `npm run dev` does, at 60x by default) and VitePress serves the guide, with the live
 * board at /board. Ctrl-C stops both.
 *
 * VitePress runs in a child process: the local cloud replaces this process's timers and
 * Date with its virtual clock, and a dev server (file watching, reload debounces, HTTP
 * keep-alive) must live in real time.
 */
import pc from 'picocolors';
import type { Speed } from '../../emulator/index.ts';
import { CLOUD_PORT, GUIDE_PORT, START_SPEED } from '../core/defaults.ts';
import { busyPort, portIsFree } from '../core/ports.ts';
import { UsageError } from '../core/repo.ts';
import { apiLines, startDev, type DevOptions, type DevServer } from './dev.ts';
import { startGuide } from '../core/guide-process.ts';

export interface StartOptions {
  dir?: string;
  /** The local cloud's port (default CLOUD_PORT). */
  port?: number;
  /** The guide's port (default GUIDE_PORT). */
  docsPort?: number;
  /** The clock's speed (default START_SPEED). */
  speed?: Speed;
  /** Also print the local cloud's live log here (the board shows it anyway). */
  log?: boolean;
  print?: (line: string) => void;
  /** Starts the local cloud (default `startDev`); tests pass one that keeps no data on disk. */
  startCloud?: (options: DevOptions) => Promise<DevServer>;
  /** The guide and a board on the backend deployed to AWS, instead of the local cloud. */
  aws?: boolean;
}

export interface Running {
  guideUrl: string;
  boardUrl: string;
  cloudUrl: string;
  /** The deployed APIs' URLs, a line each (as `npm run dev` prints them after a deploy). */
  apiLines(): string[];
  /** Resolves when the guide's process ends on its own (a crash, or it was killed). */
  guideExited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts the guide and the local cloud; undefined (after explaining why) when a port is busy. */
export async function startAll(options: StartOptions = {}): Promise<Running | undefined> {
  const print = options.print ?? ((line: string) => console.log(line));
  if (typeof options.speed === 'number' && !(options.speed > 0))
    throw new UsageError(
      '--speed takes a positive number (60 runs a virtual minute every second), max or paused.',
    );
  const port = options.port ?? CLOUD_PORT;
  const docsPort = options.docsPort ?? GUIDE_PORT;
  if (port === docsPort) {
    print(
      pc.red(
        `✖ The local cloud and the guide cannot share port ${port}: choose another with --port or --docs-port.`,
      ),
    );
    return undefined;
  }
  // Checked up front, so a busy port is explained before anything starts.
  for (const [p, what] of [
    [port, 'cloud'],
    [docsPort, 'guide'],
  ] as const) {
    if (!(await portIsFree(p))) {
      print(busyPort(p, what));
      return undefined;
    }
  }

  print(pc.dim(`… starting the guide and the local cloud on ${relativeDir(options.dir)}`));
  const guide = startGuide(docsPort);
  let dev: DevServer;
  try {
    dev = await (options.startCloud ?? startDev)({
      dir: options.dir,
      port,
      speed: options.speed ?? START_SPEED,
      log: options.log ?? false,
      print,
      command: 'npm start',
    });
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
  // The board looks for the cloud on CLOUD_PORT unless the page's address says otherwise.
  const boardUrl = port === CLOUD_PORT ? `${base}/board` : `${base}/board?cloud=${cloudUrl}`;
  let stopping: Promise<void> | undefined;
  return {
    guideUrl: `${base}/`,
    boardUrl,
    cloudUrl,
    apiLines: () => apiLines(dev.cloud),
    guideExited: guide.exited,
    stop() {
      stopping ??= Promise.all([guide.stop(), dev.stop()]).then(() => undefined);
      return stopping;
    },
  };
}

/**
 * What `npm start` prints once the guide and the cloud run: their addresses, then each
 * deployed API's on a line of its own (the deploy prints them again whenever they change).
 */
export function runningLines(running: Running, log?: boolean): string[] {
  return [
    '',
    pc.bold('Serverless Dojo is running:'),
    `  Guide        ${pc.cyan(running.guideUrl)}`,
    `  Board        ${pc.cyan(running.boardUrl)}`,
    `  Local cloud  ${pc.cyan(running.cloudUrl)}`,
    ...running.apiLines(),
    pc.dim(log ? '' : '  The board shows what the local cloud does; add --log to print it here too.'),
    pc.dim('  Press Ctrl-C to stop.'),
  ];
}

export async function start(options: StartOptions = {}): Promise<number> {
  if (options.aws) return (await import('./start-aws.ts')).startOnAws(options);
  const print = options.print ?? ((line: string) => console.log(line));
  const running = await startAll(options);
  if (!running) return 1;
  for (const line of runningLines(running, options.log)) print(line);

  const reason = await new Promise<string | undefined>((resolve) => {
    process.once('SIGINT', () => resolve(undefined));
    process.once('SIGTERM', () => resolve(undefined));
    // Exit code 0 is the guide's own answer to Ctrl-C, which reaches both processes.
    void running.guideExited.then((code) =>
      resolve(code === 0 ? undefined : `The guide stopped on its own (exit code ${code ?? 'none'}).`),
    );
  });
  if (reason) print(pc.red(`✖ ${reason} Stopping the local cloud too.`));
  print(pc.dim('\nStopping the guide and the local cloud…'));
  await running.stop();
  return reason ? 1 : 0;
}

interface GuideError extends Error {
  busy?: boolean;
}

function relativeDir(dir: string | undefined): string {
  return dir ?? 'backend/';
}
