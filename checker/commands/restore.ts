/**
 * `npm run restore [save]`: without a save, the saves in .dojo/saves/, newest first, with
 * the session each held and when it was made; with one (its number in that list or its
 * folder name), saves the current backend/ first, then puts the save in its place.
 *
 * Exit codes: 0; a UsageError (exit 2) for a save that does not exist.
 */
import { existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import pc from 'picocolors';
import { REPO_ROOT, SESSION_IDS, UsageError } from '../core/repo.ts';
import { hasWork, listSaves, replaceFolder, saveFolder, type Save } from '../core/saves.ts';
import { readCurrentSession, writeCurrentSession } from '../core/session-files.ts';

export interface RestoreArgs {
  /** A number from the list (1 is the newest) or a save folder's name. */
  save?: string;
  root?: string;
  print?: (text: string) => void;
  /** For tests: the time that names the save of the current backend/. */
  now?: Date;
}

export async function restore(args: RestoreArgs = {}): Promise<number> {
  const root = args.root ?? REPO_ROOT;
  const print = args.print ?? ((text: string) => console.log(text));
  const saves = listSaves(root);
  if (args.save === undefined) return list(saves, print);

  const save = find(saves, args.save);
  const backend = join(root, 'backend');
  const current = readCurrentSession(root)?.session ?? 'backend';
  const now = args.now ?? new Date();
  if (hasWork(backend)) {
    const saved = saveFolder(root, backend, current, now);
    print(
      pc.bold(pc.yellow(`Saved your current backend/ in ${relative(root, saved.path)}/`)) +
        pc.dim('  (npm run restore lists it)'),
    );
  }
  replaceFolder(root, save.path, backend);
  const session = (SESSION_IDS as readonly string[]).includes(save.session) ? save.session : undefined;
  if (session) writeCurrentSession(root, { session, startedAt: now.toISOString() });
  print(
    pc.green(
      `✔ backend/ is back as it was on ${when(save.time)}${session ? ` (${session})` : ''}, from ${relative(root, save.path)}/`,
    ),
  );
  if (session) print(`Next: ${pc.cyan(`npm run check ${session}`)}`);
  return 0;
}

function list(saves: Save[], print: (text: string) => void): number {
  if (saves.length === 0) {
    print(
      'No saves yet: npm run begin and npm run restore save backend/ in .dojo/saves/ before they replace it.',
    );
    return 0;
  }
  print(pc.bold('Saves in .dojo/saves/, newest first:'));
  const width = Math.max(...saves.map((s) => s.session.length));
  saves.forEach((s, i) =>
    print(`  ${String(i + 1).padStart(2)}  ${when(s.time)}  ${s.session.padEnd(width)}  ${pc.dim(s.name)}`),
  );
  print('');
  print(
    `Bring one back: ${pc.cyan('npm run restore 1')} ${pc.dim('(its number, or its folder name; your current backend/ is saved first)')}`,
  );
  return 0;
}

function find(saves: Save[], wanted: string): Save {
  const name = basename(wanted.replace(/[\\/]+$/, ''));
  const byNumber = /^\d+$/.test(name) ? saves[Number(name) - 1] : undefined;
  const found = byNumber ?? saves.find((s) => s.name === name);
  if (found && existsSync(found.path)) return found;
  throw new UsageError(
    saves.length === 0
      ? `There is no save "${wanted}": .dojo/saves/ is empty.`
      : `There is no save "${wanted}". npm run restore lists them: a number from 1 to ${saves.length}, or a folder name such as ${saves[0].name}.`,
  );
}

/** Local time, to the minute: when a learner remembers doing it. */
function when(time: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${time.getFullYear()}-${p(time.getMonth() + 1)}-${p(time.getDate())} ${p(time.getHours())}:${p(time.getMinutes())}`;
}
