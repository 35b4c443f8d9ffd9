import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file (the CLI may run from any folder). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const SESSION_IDS = ['session-1', 'session-2', 'session-3', 'session-4', 'session-5', 'session-6'] as const;
export type SessionId = (typeof SESSION_IDS)[number];

/** Accepts `session-4`, `4` or `s4`; throws a friendly error otherwise. */
export function parseSessionId(value: unknown): SessionId {
  const m = /^(?:session-?|s)?([1-6])$/i.exec(String(value ?? '').trim());
  if (!m) throw new UsageError(`"${value ?? ''}" is not a session. Name one of: ${SESSION_IDS.join(', ')} (e.g. npm run check session-4).`);
  return `session-${m[1]}` as SessionId;
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
