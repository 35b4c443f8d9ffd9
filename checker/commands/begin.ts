import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { randomBytes } from 'node:crypto';
import pc from 'picocolors';
import { parseSessionId, REPO_ROOT, UsageError } from '../core/repo.ts';
import { dojoDir, IGNORED_NAMES, listServiceFiles, readCurrentSession, renderInline, requireSession, writeCurrentSession } from '../core/session-files.ts';

/**
 * `npm run begin session-N`: saves backend/ under .dojo/saves/ and replaces it with the
 * starter of session N.
 *
 * Exit codes: 0 started; a UsageError (exit 2) for an unknown or unwritten session.
 */
export interface BeginArgs {
  session: string | undefined;
  /** Repository root (tests point it at a temporary one). */
  root?: string;
  print?: (text: string) => void;
  /** For tests: the time that names the save folder. */
  now?: Date;
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
  const savedTo = hasWork(backend) ? saveBackend(root, backend, previous, args.now ?? new Date()) : undefined;
  replaceBackend(root, starter, backend);
  writeCurrentSession(root, { session: id, startedAt: (args.now ?? new Date()).toISOString(), ...(savedTo ? { savedTo: relative(root, savedTo) } : {}) });

  if (savedTo) print(pc.dim(`Your previous backend/ is saved in ${relative(root, savedTo)}/`));
  print('');
  print(pc.bold(`Session ${spec.number}: ${spec.title}`));
  print(renderInline(spec.summary));
  print('');
  print('You will:');
  for (const goal of spec.goals) print(`  • ${renderInline(goal)}`);
  print('');
  const first = spec.todos[0];
  print(`${pc.bold('Start here:')} TODO ${first.n} in ${pc.cyan(`backend/${first.file}`)}: ${renderInline(first.title)}`);
  print(`Then run ${pc.cyan(`npm run check ${id}`)}  ${pc.dim(`(stuck? npm run hint ${id})`)}`);
  return 0;
}

/** Anything a learner could have written: build output and installed packages do not count. */
function hasWork(backend: string): boolean {
  return existsSync(backend) && listServiceFiles(backend).length > 0;
}

/**
 * Copies (not moves) backend/ into .dojo/saves/, so that if anything fails later the work
 * is still in both places. Returns the save folder.
 */
function saveBackend(root: string, backend: string, previous: string, now: Date): string {
  const stamp = now.toISOString().replace(/:/g, '-').replace(/\./g, '-');
  const base = join(dojoDir(root), 'saves', `${stamp}-${previous.replace(/[^\w.-]/g, '_')}`);
  let target = base;
  for (let i = 2; existsSync(target); i++) target = `${base}-${i}`;
  mkdirSync(join(dojoDir(root), 'saves'), { recursive: true });
  cpSync(backend, target, { recursive: true, filter: (src) => !isBuildOutput(backend, src) });
  return target;
}

/**
 * Copies the starter into a temporary folder first, then swaps it in: backend/ is never
 * left half-written, even if the copy fails midway.
 */
function replaceBackend(root: string, starter: string, backend: string): void {
  const tmp = join(dojoDir(root), 'tmp');
  mkdirSync(tmp, { recursive: true });
  const token = randomBytes(4).toString('hex');
  const staged = join(tmp, `begin-${token}`);
  const old = join(tmp, `old-backend-${token}`);
  try {
    cpSync(starter, staged, { recursive: true, filter: (src) => !IGNORED_NAMES.has(basename(src)) });
  } catch (err) {
    rmSync(staged, { recursive: true, force: true });
    throw err;
  }
  if (existsSync(backend)) {
    try {
      renameSync(backend, old);
    } catch {
      // An editor or a watcher may lock the folder itself (Windows): empty it in place instead.
      emptyDir(backend);
      cpSync(staged, backend, { recursive: true });
      rmSync(staged, { recursive: true, force: true });
      return;
    }
  }
  try {
    renameSync(staged, backend);
  } catch (err) {
    if (existsSync(old)) renameSync(old, backend);
    throw err;
  }
  rmSync(old, { recursive: true, force: true });
}

function emptyDir(dir: string): void {
  for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
}

function isBuildOutput(serviceDir: string, path: string): boolean {
  return relative(serviceDir, path)
    .split(/[\\/]/)
    .some((part) => part === '.serverless' || part === '.esbuild' || part === 'node_modules');
}
