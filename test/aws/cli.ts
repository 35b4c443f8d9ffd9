/**
 * The real CLI in a child process, started the way `npm run` starts it (`node --import tsx
 * checker/bin/dojo.ts`: one process, which gets Ctrl-C and SIGTERM itself), with an
 * environment built from scratch: nothing of the machine's AWS setup leaks in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { realSleep as sleep } from '../../emulator/index.ts';

export interface CliRun {
  child: ChildProcess;
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runCli(args: string[], env: Record<string, string>): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'checker/bin/dojo.ts', ...args], {
    cwd: resolve('.'),
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
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
export async function until(predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await sleep(50);
  }
}

export interface StandInEntry {
  command: string;
  event: string;
  stage?: string;
  region?: string;
  stackName?: string;
  stackTags?: Record<string, string>;
  signal?: string;
  pid: number;
}

/** What the osls stand-in logged, one entry per line. */
export function standInLog(file: string): StandInEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as StandInEntry);
}
