/**
 * `npm run status`: the sessions of the course, which pass (from the last `npm run check` of each),
 * the session in progress, and the one next step.
 *
 * Exit code: 0.
 */
import pc from 'picocolors';
import { readProgress, type FailedCheck, type ProgressEntry } from '../core/progress.ts';
import { REPO_ROOT } from '../core/repo.ts';
import { listSessions, readCurrentSession, trySession, type SessionSpec } from '../core/session-files.ts';

export interface StatusArgs {
  root?: string;
  print?: (text: string) => void;
}

export async function status(args: StatusArgs = {}): Promise<number> {
  const root = args.root ?? REPO_ROOT;
  const print = args.print ?? ((text: string) => console.log(text));
  const progress = readProgress(root);
  const current = readCurrentSession(root)?.session;
  const rows = listSessions(root)
    .map(({ id, number }) => ({ id, number, spec: trySession(root, id), entry: progress[id] }))
    .map((r) => ({ ...r, title: r.spec?.title }));
  const width = Math.max(...rows.map((r) => (r.title ?? 'not written yet').length));

  for (const r of rows) {
    const pointer = r.id === current ? pc.cyan('▸') : ' ';
    const title = r.title ? r.title.padEnd(width) : pc.dim('not written yet'.padEnd(width));
    print(
      `${pointer} ${String(r.number).padStart(2)}  ${title}  ${r.title || r.entry ? outcome(r.entry, r.spec) : ''}`.trimEnd(),
    );
  }
  print('');
  if (current) print(`You are on ${pc.bold(current)}.`);
  const specs = Object.fromEntries(rows.map((r) => [r.id, r.spec]));
  print(
    `Next: ${nextStep(
      current,
      progress,
      rows.filter((r) => r.title).map((r) => r.id),
      (id, f) => told(f, specs[id]),
    )}`,
  );
  return 0;
}

/** A failed check as the learner knows it: its TODO and that TODO's title, or the check's own title. */
function told(failure: FailedCheck, spec: SessionSpec | null | undefined): string {
  const todo = failure.todo ? spec?.todos.find((t) => t.n === failure.todo) : undefined;
  return todo ? `TODO ${todo.n} (${todo.title})` : failure.title;
}

function outcome(entry: ProgressEntry | undefined, spec: SessionSpec | null): string {
  if (!entry) return pc.dim('· not checked yet');
  const day = entry.at.slice(0, 10);
  if (entry.ok) return pc.green(`✔ passed ${day}`);
  return pc.red(`✖ failed ${day}`) + (entry.failed[0] ? pc.dim(`: ${told(entry.failed[0], spec)}`) : '');
}

/** One step, never a menu: finish the current session, else start the first one not passed. */
export function nextStep(
  current: string | undefined,
  progress: Record<string, ProgressEntry>,
  written: string[],
  tell: (session: string, failure: FailedCheck) => string = (_s, f) => f.title,
): string {
  if (current && !progress[current]?.ok) {
    const entry = progress[current];
    if (!entry)
      return `work through the TODOs in backend/, then ${pc.cyan(`npm run check ${current}`)}  ${pc.dim(`(stuck? npm run hint ${current})`)}`;
    return `fix ${entry.failed[0] ? tell(current, entry.failed[0]) : 'the failing check'}, then ${pc.cyan(`npm run check ${current}`)} again  ${pc.dim(`(stuck? npm run hint ${current})`)}`;
  }
  const after = current
    ? written.filter((id) => Number(id.split('-')[1]) > Number(current.split('-')[1]))
    : written;
  const todo = after.find((id) => !progress[id]?.ok) ?? written.find((id) => !progress[id]?.ok);
  if (!todo)
    return written.length
      ? pc.green('nothing: every session passes. Well done!')
      : 'no sessions are written yet.';
  return pc.cyan(`npm run begin ${todo}`);
}
