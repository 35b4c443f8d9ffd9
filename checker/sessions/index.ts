/**
 * The check of each session: the judging from `checker/sessions/session-N/index.ts`, the
 * facts (title, minutes, blocking checks, which check belongs to which TODO) from
 * `sessions/session-N/session.json`, so the guide, the CLI and the checker read one source.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SessionCheck, SessionCheckModule } from '../core/session-check.ts';
import { REPO_ROOT, UsageError, type SessionId } from '../core/repo.ts';
import { requireSession } from '../core/session-files.ts';

export async function loadSessionCheck(id: SessionId, root: string = REPO_ROOT): Promise<SessionCheck> {
  const spec = requireSession(root, id);
  const file = join(root, 'checker', 'sessions', id, 'index.ts');
  if (!existsSync(file))
    throw new UsageError(`${id} has no check yet: checker/sessions/${id}/index.ts does not exist.`);
  if (!spec.check.minutes)
    throw new UsageError(
      `sessions/${id}/session.json has no check.minutes: say how long the check observes, e.g. "minutes": { "local": 10, "aws": 3 }.`,
    );
  const module = (await import(pathToFileURL(file).href)) as { default: SessionCheckModule };
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
