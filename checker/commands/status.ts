import pc from 'picocolors';
import { readProgress, type ProgressEntry } from '../core/progress.ts';
import { REPO_ROOT, SESSION_IDS } from '../core/repo.ts';
import { readCurrentSession, trySession } from '../core/session-files.ts';

/**
 * `npm run status`: the six sessions, which pass (from the last `npm run check` of each),
 * the session in progress, and the one next step.
 *
 * Exit code: 0.
 */
export interface StatusArgs {
  root?: string;
  print?: (text: string) => void;
}

export async function status(args: StatusArgs = {}): Promise<number> {
  const root = args.root ?? REPO_ROOT;
  const print = args.print ?? ((text: string) => console.log(text));
  const progress = readProgress(root);
  const current = readCurrentSession(root)?.session;
  const rows = SESSION_IDS.map((id, i) => ({ id, number: i + 1, title: trySession(root, id)?.title, entry: progress[id] }));
  const width = Math.max(...rows.map((r) => (r.title ?? 'not written yet').length));

  for (const r of rows) {
    const pointer = r.id === current ? pc.cyan('▸') : ' ';
    const title = r.title ? r.title.padEnd(width) : pc.dim('not written yet'.padEnd(width));
    print(`${pointer} ${String(r.number).padStart(2)}  ${title}  ${r.title || r.entry ? outcome(r.entry) : ''}`.trimEnd());
  }
  print('');
  if (current) print(`You are on ${pc.bold(current)}.`);
  print(`Next: ${nextStep(current, progress, rows.filter((r) => r.title).map((r) => r.id))}`);
  return 0;
}

function outcome(entry: ProgressEntry | undefined): string {
  if (!entry) return pc.dim('· not checked yet');
  const day = entry.at.slice(0, 10);
  if (entry.ok) return pc.green(`✔ passed ${day}`);
  return pc.red(`✖ failed ${day}`) + (entry.failed[0] ? pc.dim(`: ${entry.failed[0]}`) : '');
}

/** One step, never a menu: finish the current session, else start the first one not passed. */
export function nextStep(current: string | undefined, progress: Record<string, ProgressEntry>, written: string[]): string {
  if (current && !progress[current]?.ok) {
    const entry = progress[current];
    if (!entry) return `work through the TODOs in backend/, then ${pc.cyan(`npm run check ${current}`)}  ${pc.dim(`(stuck? npm run hint ${current})`)}`;
    return `fix ${entry.failed[0] ?? 'the failing check'}, then ${pc.cyan(`npm run check ${current}`)} again  ${pc.dim(`(stuck? npm run hint ${current})`)}`;
  }
  const after = current ? written.filter((id) => Number(id.split('-')[1]) > Number(current.split('-')[1])) : written;
  const todo = after.find((id) => !progress[id]?.ok) ?? written.find((id) => !progress[id]?.ok);
  if (!todo) return written.length ? pc.green('nothing: every session passes. Well done!') : 'no sessions are written yet.';
  return pc.cyan(`npm run begin ${todo}`);
}
