/**
 * The learner's saves: `npm run begin` and `npm run restore` copy backend/ into
 * `.dojo/saves/<time>-<session>/` before they replace it, so no work is ever lost, and
 * `npm run restore` lists the saves and brings one back. A save's name says when it was
 * made and which session backend/ held, so the list needs no index file to go stale.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { randomBytes } from 'node:crypto';
import { dojoDir, IGNORED_NAMES, listServiceFiles } from './session-files.ts';

export interface Save {
  /** The folder's name, e.g. `2026-11-21T09-30-00-000Z-session-3`. */
  name: string;
  path: string;
  /** The session backend/ held (`session-3`), or `backend` when no session was begun. */
  session: string;
  /** When it was saved. */
  time: Date;
}

export function savesDir(root: string): string {
  return join(dojoDir(root), 'saves');
}

/** Anything a learner could have written: build output and installed packages do not count. */
export function hasWork(dir: string): boolean {
  return existsSync(dir) && listServiceFiles(dir).length > 0;
}

/**
 * Copies (not moves) `dir` into .dojo/saves/, so that if anything fails later the work is
 * still in both places. `label` names what it held (a session id). Returns the save.
 */
export function saveFolder(root: string, dir: string, label: string, now: Date): Save {
  const stamp = now.toISOString().replace(/:/g, '-').replace(/\./g, '-');
  const base = join(savesDir(root), `${stamp}-${label.replace(/[^\w.-]/g, '_')}`);
  let target = base;
  for (let i = 2; existsSync(target); i++) target = `${base}-${i}`;
  mkdirSync(savesDir(root), { recursive: true });
  cpSync(dir, target, { recursive: true, filter: (src) => !isBuildOutput(dir, src) });
  return parseSave(target) ?? { name: basename(target), path: target, session: label, time: now };
}

/** The saves, newest first. */
export function listSaves(root: string): Save[] {
  const dir = savesDir(root);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isDirectory())
    .map(
      (path) =>
        parseSave(path) ?? { name: basename(path), path, session: 'backend', time: statSync(path).mtime },
    )
    .sort((a, b) => b.time.getTime() - a.time.getTime() || b.name.localeCompare(a.name));
}

const SAVE_NAME = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z-(.+)$/;

function parseSave(path: string): Save | undefined {
  const name = basename(path);
  const m = SAVE_NAME.exec(name);
  if (!m) return undefined;
  // A second save in the same millisecond gets `-2`: the session is what comes before it.
  const label = /^(session-\d+)(?:-\d+)?$/.exec(m[6])?.[1] ?? m[6].replace(/-\d+$/, '');
  return { name, path, session: label, time: new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`) };
}

/**
 * Replaces what `backend` holds with a copy of `from`. The copy is made in a temporary
 * folder first, so a failed copy leaves backend/ as it was; then the entries are swapped by
 * renames. backend/ itself stays the same folder: a terminal whose working directory is
 * backend/ (npm would fail there with a raw `ENOENT: uv_cwd` if the folder were replaced),
 * an editor or a watcher keep working.
 */
export function replaceFolder(root: string, from: string, backend: string): void {
  const tmp = join(dojoDir(root), 'tmp');
  mkdirSync(tmp, { recursive: true });
  const token = randomBytes(4).toString('hex');
  const staged = join(tmp, `begin-${token}`);
  const old = join(tmp, `old-backend-${token}`);
  try {
    cpSync(from, staged, { recursive: true, filter: (src) => !IGNORED_NAMES.has(basename(src)) });
  } catch (err) {
    rmSync(staged, { recursive: true, force: true });
    throw err;
  }
  if (!existsSync(backend)) {
    renameSync(staged, backend);
    return;
  }
  mkdirSync(old);
  const moved: string[] = [];
  try {
    for (const name of readdirSync(backend)) {
      renameSync(join(backend, name), join(old, name));
      moved.push(name);
    }
    for (const name of readdirSync(staged)) renameSync(join(staged, name), join(backend, name));
  } catch (err) {
    // Put back what was there: the starter's half goes, the learner's files return.
    for (const name of readdirSync(backend))
      if (!moved.includes(name)) rmSync(join(backend, name), { recursive: true, force: true });
    for (const name of moved) renameSync(join(old, name), join(backend, name));
    throw err;
  } finally {
    rmSync(staged, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}

function isBuildOutput(serviceDir: string, path: string): boolean {
  return relative(serviceDir, path)
    .split(/[\\/]/)
    .some(
      (part) => part === '.serverless' || part === '.esbuild' || part === 'node_modules' || part === '.dojo',
    );
}
