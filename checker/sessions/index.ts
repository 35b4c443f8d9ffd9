import type { SessionCheck } from '../core/session-check.ts';
import { UsageError, type SessionId } from '../core/repo.ts';

/** The check module of each session, loaded on demand. */
const modules: Partial<Record<SessionId, () => Promise<{ default: SessionCheck }>>> = {
  'session-1': () => import('./session-1/index.ts'),
  'session-2': () => import('./session-2/index.ts'),
  'session-3': () => import('./session-3/index.ts'),
  'session-4': () => import('./session-4/index.ts'),
  'session-5': () => import('./session-5/index.ts'),
  'session-6': () => import('./session-6/index.ts'),
};

export async function loadSessionCheck(id: SessionId): Promise<SessionCheck> {
  const load = modules[id];
  if (!load) throw new UsageError(`${id} has no check yet.`);
  return (await load()).default;
}

export function sessionsWithChecks(): SessionId[] {
  return Object.keys(modules) as SessionId[];
}
