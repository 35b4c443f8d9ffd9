/**
 * `npm run begin session-N [-- --force]`: saves backend/ under .dojo/saves/ and replaces it
 * with the starter of session N. Over work that differs from the starter it came from, it
 * asks first on a terminal, and elsewhere needs --force; the save is made either way, and
 * said loudly, so `npm run restore` can always bring the work back.
 *
 * Exit codes: 0 started; 1 the learner said no; a UsageError (exit 2) for an unknown or
 * unwritten session, or changed work without a terminal to ask on and without --force.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import pc from 'picocolors';
import { askOnTerminal } from '../aws/preflight.ts';
import { parseSessionId, REPO_ROOT, SESSION_IDS, UsageError } from '../core/repo.ts';
import { hasWork, replaceFolder, saveFolder } from '../core/saves.ts';
import {
  readCurrentSession,
  renderInline,
  requireSession,
  writeCurrentSession,
} from '../core/session-files.ts';
import { compareTrees } from './diff.ts';

export interface BeginArgs {
  session: string | undefined;
  /** Replace changed work without asking (it is saved first all the same). */
  force?: boolean;
  /** Repository root (tests point it at a temporary one). */
  root?: string;
  print?: (text: string) => void;
  /** For tests: the time that names the save folder. */
  now?: Date;
  /** Whether a learner is at a terminal to answer (default: stdin and stdout are terminals). */
  interactive?: boolean;
  ask?(question: string): Promise<string>;
}

export async function begin(args: BeginArgs): Promise<number> {
  const root = args.root ?? REPO_ROOT;
  const print = args.print ?? ((text: string) => console.log(text));
  if (!args.session) throw new UsageError('Which session? For example: npm run begin session-1');
  const id = parseSessionId(args.session);
  const starter = join(root, 'sessions', id);
  if (!existsSync(starter)) throw new UsageError(`${id} is not written yet: sessions/${id}/ does not exist.`);
  const spec = requireSession(root, id);

  const backend = join(root, 'backend');
  const previous = readCurrentSession(root)?.session ?? 'backend';
  if (hasWork(backend) && !args.force) {
    const changed = await changedFiles(root, backend, previous, id);
    if (changed.length > 0 && !(await confirm(args, changed, previous, id, print))) {
      print('Nothing changed: backend/ is as you left it.');
      return 1;
    }
  }
  const saved = hasWork(backend) ? saveFolder(root, backend, previous, args.now ?? new Date()) : undefined;
  if (saved) {
    // Loud on purpose: this is where the work went, and the way back.
    print(
      pc.bold(pc.yellow(`Saved your backend/ in ${relative(root, saved.path)}/`)) +
        pc.dim(`  (npm run restore brings it back)`),
    );
  }
  replaceFolder(root, starter, backend);
  writeCurrentSession(root, {
    session: id,
    startedAt: (args.now ?? new Date()).toISOString(),
    ...(saved ? { savedTo: relative(root, saved.path) } : {}),
  });

  print('');
  print(pc.bold(`Session ${spec.number}: ${spec.title}`));
  print(renderInline(spec.summary));
  print('');
  print('You will:');
  for (const goal of spec.goals) print(`  • ${renderInline(goal)}`);
  print('');
  const first = spec.todos[0];
  print(
    `${pc.bold('Start here:')} TODO ${first.n} in ${pc.cyan(`backend/${first.file}`)}: ${renderInline(first.title)}`,
  );
  print(`Then run ${pc.cyan(`npm run check ${id}`)}  ${pc.dim(`(stuck? npm run hint ${id})`)}`);
  return 0;
}

/**
 * The files of backend/ that differ from the starter it came from (the session begun last),
 * or, when it is identical to the starter about to be copied, none: nothing would be lost.
 */
async function changedFiles(
  root: string,
  backend: string,
  previous: string,
  next: string,
): Promise<string[]> {
  const candidates = [previous, next]
    .filter((s) => (SESSION_IDS as readonly string[]).includes(s))
    .map((s) => join(root, 'sessions', s));
  let smallest: string[] | undefined;
  for (const starter of candidates.filter((d) => existsSync(d))) {
    // Exact: a changed comment is work of the learner's too.
    const files = (await compareTrees(backend, starter, { exact: true })).map((c) => c.path);
    if (!smallest || files.length < smallest.length) smallest = files;
  }
  return smallest ?? ['(backend/ was not started by npm run begin)'];
}

async function confirm(
  args: BeginArgs,
  changed: string[],
  previous: string,
  id: string,
  print: (text: string) => void,
): Promise<boolean> {
  const from = previous === 'backend' ? 'a starter' : `the ${previous} starter`;
  const files = `${changed.slice(0, 5).join(', ')}${changed.length > 5 ? `, and ${changed.length - 5} more` : ''}`;
  const interactive = args.interactive ?? Boolean(process.stdin.isTTY && process.stdout.isTTY);
  if (!interactive) {
    throw new UsageError(
      [
        `backend/ holds work of yours (${changed.length === 1 ? 'a file differs' : `${changed.length} files differ`} from ${from}: ${files}).`,
        `npm run begin ${id} would replace it with the ${id} starter, after saving it in .dojo/saves/.`,
        `To go on: npm run begin ${id} -- --force   (npm run restore brings a save back)`,
      ].join('\n'),
    );
  }
  print(
    pc.yellow(
      `backend/ holds work of yours: ${files} ${changed.length === 1 ? 'differs' : 'differ'} from ${from}.`,
    ),
  );
  print(`It will be saved in .dojo/saves/ and replaced by the ${id} starter.`);
  const answer = await (args.ask ?? askOnTerminal)(`Start ${id} from its starter? [y/N] `);
  return /^y(es)?$/i.test(answer.trim());
}
