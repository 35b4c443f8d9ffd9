/**
 * The check of each session: the judging from `checker/sessions/session-N/index.ts`, the
 * facts (title, minutes, blocking checks, which check belongs to which TODO) from
 * `sessions/session-N/session.json`, so the guide, the CLI and the checker read one source.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SessionCheck, SessionCheckModule } from '../core/session-check.ts';
import { REPO_ROOT, UsageError, type SessionId } from '../core/repo.ts';
import { requireSession } from '../core/session-files.ts';

/** The kit's own checks, one folder per session. */
const CHECKS_DIR = fileURLToPath(new URL('.', import.meta.url));

export async function loadSessionCheck(id: SessionId, root: string = REPO_ROOT): Promise<SessionCheck> {
  const spec = requireSession(root, id);
  if (!existsSync(join(CHECKS_DIR, id, 'index.ts')))
    throw new UsageError(`${id} has no check yet: checker/sessions/${id}/index.ts does not exist.`);
  if (!spec.check.minutes)
    throw new UsageError(
      `sessions/${id}/session.json has no check.minutes: say how long the check observes, e.g. "minutes": { "local": 10, "aws": 3 }.`,
    );
  // A path esbuild can follow: the built CLI (checker/bin/cli-build.mjs) carries every session's check.
  const module = (await import(`./${id}/index.ts`)) as { default: SessionCheckModule };
  const todoByCheck = new Map(spec.todos.flatMap((t) => t.checks.map((c) => [c, t.n] as const)));
  return {
    ...module.default,
    id,
    title: spec.title,
    defaultMinutes: spec.check.minutes,
    periods: spec.check.periods,
    blocking: spec.check.blocking,
    todoOf: (checkId) => todoByCheck.get(checkId),
    todoTitles: Object.fromEntries(spec.todos.map((t) => [t.n, t.title])),
  };
}
