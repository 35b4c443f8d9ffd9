/**
 * Who owns something on disk (a lock, a running local cloud's entry): a process, named so
 * that another process can tell whether it still runs.
 *
 *   const me = currentOwner('npm run dev');
 *   ownerState(someoneElse); // 'alive' | 'dead' | 'unknown' (another machine: cannot tell)
 *
 * A pid alone is not enough: pids are reused, so the owner's start time is kept and, where
 * the system says when a process started (Linux's /proc), compared.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface Owner {
  pid: number;
  host: string;
  /** When the owning process started, epoch ms. */
  startedAt: number;
  /** What it is, for people: "npm run dev", "npm run check". */
  command?: string;
}

export function currentOwner(command?: string): Owner {
  // performance.timeOrigin is real time even when a local cloud has faked Date.
  return {
    pid: process.pid,
    host: hostname(),
    startedAt: Math.round(performance.timeOrigin),
    ...(command ? { command } : {}),
  };
}

export type OwnerState = 'alive' | 'dead' | 'unknown';

/** Two clocks read the same start a little apart (process exec, then Node's start). */
const START_TOLERANCE_MS = 5_000;

export function ownerState(owner: Owner): OwnerState {
  if (owner.host !== hostname()) return 'unknown';
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return 'dead';
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: it runs, as another user.
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return 'dead';
  }
  const started = processStartTime(owner.pid);
  if (started !== undefined && Math.abs(started - owner.startedAt) > START_TOLERANCE_MS) return 'dead'; // the pid now belongs to another process
  return 'alive';
}

/** When a process started (epoch ms), on Linux; undefined where the system does not say. */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime, in clock ticks since boot) counts from after the ")" that ends the command name.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(bootSeconds)) return undefined;
    return bootSeconds * 1000 + (ticks * 1000) / clockTicks();
  } catch {
    return undefined;
  }
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond =
        Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 2000 }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** "pid 4242 (npm run dev, started 10:02:13)", for messages. */
export function describeOwner(owner: Owner): string {
  const at = new Date(owner.startedAt).toLocaleTimeString('en-GB', { hour12: false });
  return `pid ${owner.pid} (${[owner.command, `started ${at}`, owner.host !== hostname() ? `on ${owner.host}` : ''].filter(Boolean).join(', ')})`;
}
