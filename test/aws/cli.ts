/**
 * The real CLI in a child process, started the way `npm run` starts it (`node
 * checker/bin/dojo.mjs`: one process, which gets Ctrl-C and SIGTERM itself), with an
 * environment built from scratch: nothing of the machine's AWS setup leaks in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { realSleep as sleep } from '../../emulator/index.ts';

export interface CliRun {
  child: ChildProcess;
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `group`: the CLI leads a process group of its own, as a command started in a terminal does,
 * so that a test can kill it together with the osls it runs (`killGroup`).
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  options: { group?: boolean } = {},
): CliRun {
  const child = spawn(process.execPath, ['checker/bin/dojo.mjs', ...args], {
    cwd: resolve('.'),
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.group,
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('close', (code, signal) => r({ code, signal })),
  );
  return { child, output: () => stripVTControlCharacters(output), exit };
}

/** Polls in real time (never a local cloud's virtual timers) until `predicate` holds. */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!(await predicate())) {
    if (performance.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await sleep(50);
  }
}
