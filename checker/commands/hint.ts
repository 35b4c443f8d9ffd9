/**
 * `npm run hint session-N [k]`: one more hint at a time, gentle first, almost the answer last.
 *
 *   npm run hint session-4      the next hint for the first TODO still open in backend/
 *   npm run hint session-4 3    the next hint for TODO 3, open or not
 *   npm run hint                the same, for the session `npm run begin` started
 *
 * Which TODO is open is what the checker knows: the TODOs the failing checks of the last
 * `npm run check` named (.dojo/progress.json). Before any check, the first TODO whose
 * `// TODO n:` comment is still in backend/ (the guide asks learners to delete a comment once
 * its TODO is done). How many hints each TODO has shown is remembered in .dojo/hints.json.
 *
 * Exit codes: 0; a UsageError (exit 2) for an unknown session or TODO.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { openTodos, readProgress } from '../core/progress.ts';
import { parseSessionId, REPO_ROOT, UsageError } from '../core/repo.ts';
import {
  dojoDir,
  listServiceFiles,
  listSessions,
  readCurrentSession,
  renderInline,
  renderMarkdown,
  requireSession,
  sessionOrCurrent,
  type SessionTodo,
} from '../core/session-files.ts';

export interface HintArgs {
  session?: string;
  /** A TODO number: its hints rather than the first open TODO's. */
  todo?: string;
  /** The service folder (default backend/). */
  dir?: string;
  root?: string;
  print?: (text: string) => void;
}

export async function hint(args: HintArgs): Promise<number> {
  const root = args.root ?? REPO_ROOT;
  const print = args.print ?? ((text: string) => console.log(text));
  const id = parseSessionId(sessionOrCurrent(root, args.session, 'hint'));
  const spec = requireSession(root, id);
  const dir = args.dir ? resolve(args.dir) : join(root, 'backend');
  if (!existsSync(dir))
    throw new UsageError(`${shown(root, dir)}/ does not exist. Start the session with npm run begin ${id}.`);

  const current = readCurrentSession(root)?.session;
  if (!args.dir && current && current !== id) {
    // The TODO markers are looked up in backend/, which holds another session's starter.
    print(pc.yellow(`⚠ backend/ holds ${current}, not ${id}: to work on ${id}, npm run begin ${id}`));
  }

  let todo: SessionTodo | undefined;
  if (args.todo !== undefined) {
    const n = Number(args.todo);
    todo = spec.todos.find((t) => t.n === n);
    if (!todo)
      throw new UsageError(`${id} has TODOs 1 to ${spec.todos.length}; there is no TODO "${args.todo}".`);
  } else {
    // The checker's word when it has checked this folder; the comments only before that.
    const entry = args.dir ? undefined : readProgress(root)[id];
    if (entry?.ok) {
      const ids = listSessions(root).map((l) => l.id);
      const next = ids[ids.indexOf(id) + 1];
      print(
        pc.green(
          `✔ ${id} passed its last check (${entry.at.slice(0, 16).replace('T', ' ')}): no TODO is open.`,
        ),
      );
      print(next ? `Next: ${pc.cyan(`npm run begin ${next}`)}` : 'That was the last session. Well done!');
      return 0;
    }
    const open = entry ? openTodos(entry) : [];
    todo = open.length
      ? spec.todos.find((t) => t.n === open[0])
      : spec.todos.find((t) => findMarker(dir, t) !== undefined);
    if (!todo) {
      print(pc.green(`✔ Every TODO comment of ${id} is gone from ${shown(root, dir)}/.`));
      print(`Next: ${pc.cyan(`npm run check ${id}`)} tells which TODOs still need work.`);
      return 0;
    }
    if (entry) {
      const failure = entry.failed.find((f) => f.todo === todo!.n);
      if (failure)
        print(pc.dim(`The last check (${entry.at.slice(0, 16).replace('T', ' ')}) failed: ${failure.title}`));
    } else {
      print(
        pc.dim(
          `Not checked yet: this is the first TODO whose comment is still in ${shown(root, dir)}/. npm run check ${id} tells which are open.`,
        ),
      );
    }
  }

  const where = findMarker(dir, todo);
  print(pc.bold(`TODO ${todo.n} of ${spec.todos.length}: ${renderInline(todo.title)}`));
  print(
    pc.dim(
      where
        ? `${shown(root, join(dir, where.file))}:${where.line}`
        : `${shown(root, join(dir, todo.file))} (its TODO comment is gone)`,
    ),
  );
  print('');
  print(renderMarkdown(todo.explain));
  if (todo.hints.length === 0) {
    print('');
    print(pc.dim(`No hints for this one. The solution: npm run diff ${id}`));
    return 0;
  }

  const shownBefore = readHintCounts(root)[id]?.[todo.n] ?? 0;
  const k = Math.min(shownBefore + 1, todo.hints.length);
  writeHintCount(root, id, todo.n, k);
  print('');
  print(pc.yellow(pc.bold(`Hint ${k} of ${todo.hints.length}`)));
  print(renderMarkdown(todo.hints[k - 1], '  '));
  print('');
  const again = `npm run hint ${id}${args.todo !== undefined ? ` ${todo.n}` : ''}`;
  if (k < todo.hints.length) print(pc.dim(`Still stuck? ${again} shows the next hint.`));
  else print(pc.dim(`That was the last hint. Compare with the solution: npm run diff ${id}`));
  return 0;
}

/** Where the TODO's comment still is: in its own file first, then anywhere in the service (the code may have moved). */
export function findMarker(dir: string, todo: SessionTodo): { file: string; line: number } | undefined {
  const marker = new RegExp(`(?://|#|/\\*|<!--)\\s*TODO\\s+${todo.n}\\s*:`);
  const search = (file: string) => {
    const full = join(dir, file);
    if (!existsSync(full)) return undefined;
    const lines = readFileSync(full, 'utf8').split('\n');
    const i = lines.findIndex((l) => marker.test(l));
    return i >= 0 ? { file, line: i + 1 } : undefined;
  };
  const own = search(todo.file);
  if (own) return own;
  for (const file of listServiceFiles(dir)) {
    if (file === todo.file || !/\.(ts|mts|js|mjs|json|ya?ml)$/.test(file)) continue;
    const found = search(file);
    if (found) return found;
  }
  return undefined;
}

type HintCounts = Record<string, Record<string, number>>;

function hintsFile(root: string): string {
  return join(dojoDir(root), 'hints.json');
}

function readHintCounts(root: string): HintCounts {
  try {
    return JSON.parse(readFileSync(hintsFile(root), 'utf8')) as HintCounts;
  } catch {
    // No file yet, or a broken one: start counting again, which only means a gentler hint.
    return {};
  }
}

function writeHintCount(root: string, id: string, n: number, count: number): void {
  const counts = readHintCounts(root);
  counts[id] = { ...counts[id], [n]: count };
  mkdirSync(dirname(hintsFile(root)), { recursive: true });
  writeFileSync(hintsFile(root), `${JSON.stringify(counts, null, 2)}\n`);
}

function shown(root: string, path: string): string {
  const rel = relative(root, path).split('\\').join('/');
  return rel && !rel.startsWith('..') ? rel : path;
}
