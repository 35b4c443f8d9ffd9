/**
 * Which room this copy of the kit reports to, kept in `.dojo/room.json` by `npm run join`
 * (readable by this user only: the secret in it is what lets the room know the learner).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dojoDir } from '../core/session-files.ts';

export interface Membership {
  /** The room's base URL, e.g. http://192.168.1.5:4577. */
  room: string;
  name: string;
  learner: string;
  secret: string;
  joinedAt: string;
}

export function membershipFile(root: string): string {
  return join(dojoDir(root), 'room.json');
}

export function readMembership(root: string): Membership | undefined {
  const file = membershipFile(root);
  if (!existsSync(file)) return undefined;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as Membership;
    return typeof m?.room === 'string' && typeof m.secret === 'string' ? m : undefined;
  } catch {
    // A damaged file means no room: the check goes on, and npm run join repairs it.
    return undefined;
  }
}

export function writeMembership(root: string, m: Membership): void {
  const file = membershipFile(root);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(m, null, 2)}\n`, { mode: 0o600 });
}

export function removeMembership(root: string): void {
  rmSync(membershipFile(root), { force: true });
}

/** `http://host:port/join/CODE` → the room's base and its code; undefined when it is not one. */
export function parseJoinUrl(value: string): { room: string; code: string } | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  const m = /^\/join\/([A-Za-z0-9-]{4,64})\/?$/.exec(url.pathname);
  if (!m || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
  return { room: url.origin, code: m[1] };
}
