/**
 * Where the course lives: the repository root and the sessions in it, and how a learner may
 * name one on the command line.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listSessions } from './course.ts';

/** The repository root, found from this file (the CLI may run from any folder). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The sessions of the course: the folders of sessions/, in order (each has its session.json). */
export const SESSION_IDS: readonly string[] = listSessions(REPO_ROOT).map((s) => s.id);
/** `session-N`, one of SESSION_IDS. */
export type SessionId = string;

/** Accepts `session-4`, `4` or `s4`; throws a friendly error otherwise. */
export function parseSessionId(value: unknown): SessionId {
  const m = /^(?:session-?|s)?(\d+)$/i.exec(String(value ?? '').trim());
  const id = m ? `session-${Number(m[1])}` : undefined;
  if (!id || !SESSION_IDS.includes(id))
    throw new UsageError(
      `"${value ?? ''}" is not a session. Name one of: ${SESSION_IDS.join(', ')} (e.g. npm run check session-4).`,
    );
  return id;
}

export class UsageError extends Error {
  name = 'UsageError';
}

export function backendDir(): string {
  return join(REPO_ROOT, 'backend');
}

export function requireDir(dir: string, what: string): string {
  if (!existsSync(dir)) throw new UsageError(`${what} ${dir} does not exist.`);
  return dir;
}
