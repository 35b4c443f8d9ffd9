/**
 * A lock between processes on one folder: a directory (mkdir is atomic) holding owner.json,
 * which names its owner (pid, host, start time, command).
 *
 *   await withFolderLock(join(dir, '.dojo-package.lock'), () => work(), { what: 'packaging backend/', note: print });
 *
 * A lock cannot stall: one whose owner is dead (killed, crashed) is taken over at once, with
 * a one-line note; a live owner is waited for, with a line saying who it is. Only a lock
 * from another machine (a shared folder), where liveness cannot be told, falls back to age.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { currentOwner, describeOwner, ownerState, type Owner, type OwnerState } from '../core/owner.ts';
import { realNow, realSleep } from '../core/real-time.ts';

export interface LockOptions {
  /** What the lock protects, for messages: "packaging backend/". */
  what: string;
  /** Where the take-over and waiting lines go (default: stderr). */
  note?: (line: string) => void;
  /** The owner's command, recorded in the lock (default: this process's arguments). */
  command?: string;
}

export interface LockInfo {
  path: string;
  /** Undefined when owner.json is missing or unreadable (a lock being made, or a very old one). */
  owner?: Owner;
  state: OwnerState;
  /** Age of the lock folder in ms. */
  ageMs: number;
}

/** mkdir and the owner file are two steps: a lock without an owner this long was left half-made. */
const OWNERLESS_GRACE_MS = 3_000;
/** A lock from another machine is trusted for this long (longer than any packaging). */
const FOREIGN_LOCK_MS = 120_000;

export async function withFolderLock<T>(
  lock: string,
  work: () => Promise<T>,
  options: LockOptions,
): Promise<T> {
  const note = options.note ?? ((line: string) => process.stderr.write(`${line}\n`));
  let waitingFor: number | undefined;
  for (;;) {
    if (tryAcquire(lock, options.command)) break;
    const info = inspectLock(lock);
    if (!info) continue; // released meanwhile
    const stale = staleReason(info);
    if (stale) {
      note(`⚠ ${options.what}: took over the lock ${stale}`);
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (info.owner && waitingFor !== info.owner.pid) {
      waitingFor = info.owner.pid;
      note(`… ${options.what}: waiting for ${describeOwner(info.owner)}, which holds ${lock}`);
    }
    await realSleep(100);
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** What is in a lock folder, or undefined when there is none. */
export function inspectLock(lock: string): LockInfo | undefined {
  const st = statSync(lock, { throwIfNoEntry: false });
  if (!st) return undefined;
  const ageMs = Math.max(0, realNow() - st.mtimeMs);
  let owner: Owner | undefined;
  try {
    owner = JSON.parse(readFileSync(join(lock, 'owner.json'), 'utf8')) as Owner;
  } catch {
    owner = undefined;
  }
  return { path: lock, owner, state: owner ? ownerState(owner) : 'unknown', ageMs };
}

/** Why a lock may be taken over ("left by pid 42 (…), which is no longer running"), or undefined while it holds. */
export function staleReason(info: LockInfo): string | undefined {
  if (!info.owner)
    return info.ageMs > OWNERLESS_GRACE_MS
      ? `left without an owner ${Math.round(info.ageMs / 1000)} s ago`
      : undefined;
  if (info.state === 'dead') return `left by ${describeOwner(info.owner)}, which is no longer running`;
  if (info.state === 'unknown' && info.ageMs > FOREIGN_LOCK_MS)
    return `left by ${describeOwner(info.owner)} ${Math.round(info.ageMs / 1000)} s ago`;
  return undefined;
}

function tryAcquire(lock: string, command: string | undefined): boolean {
  try {
    mkdirSync(lock);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  // Written aside and renamed in: a reader sees no owner, or the whole of it.
  const tmp = join(lock, `owner.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(currentOwner(command ?? defaultCommand())));
  renameSync(tmp, join(lock, 'owner.json'));
  return true;
}

/** "npm run check", from how this process was started (the dojo CLI: dojo.mjs as the npm scripts run it, dojo.ts through tsx), or the script it runs. */
function defaultCommand(): string {
  const [script, command] = process.argv.slice(1);
  if (script && /[\\/]dojo\.(ts|mjs)$/.test(script) && command)
    return command === 'start' ? 'npm start' : `npm run ${command}`;
  return `node ${basename(script ?? '')}`.trim();
}
