/**
 * `npm run diff session-N [-- --stat --exact --dir DIR]`: the learner's backend/ against the
 * reference solution. `-` lines are yours, `+` lines are the solution's.
 * Without a session, the one `npm run begin` started.
 *
 * By default it compares what the code says (code-meaning.ts): comments, formatting, quotes
 * and blank lines do not count, so a working solution written in one's own style shows no
 * difference. `--exact` compares the files as written.
 *
 * Exit codes: 0 (with or without differences); a UsageError (exit 2) when a folder is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { structuredPatch, type StructuredPatchHunk } from 'diff';
import pc from 'picocolors';
import { codeMeaning } from '../core/code-meaning.ts';
import { parseSessionId, REPO_ROOT, UsageError } from '../core/repo.ts';
import { listServiceFiles, sessionOrCurrent } from '../core/session-files.ts';

export interface DiffArgs {
  session?: string;
  /** The folder to compare (default backend/). */
  dir?: string;
  /** A summary only: lines added and removed per file. */
  stat?: boolean;
  /** The files as written, comments and formatting included. */
  exact?: boolean;
  root?: string;
  print?: (text: string) => void;
}

export interface FileChange {
  /** Relative path, forward slashes. */
  path: string;
  status: 'modified' | 'only-solution' | 'only-yours' | 'binary';
  /** Lines the solution has that yours does not. */
  additions: number;
  /** Lines yours has that the solution does not. */
  deletions: number;
  hunks: StructuredPatchHunk[];
}

export async function diff(args: DiffArgs): Promise<number> {
  const root = args.root ?? REPO_ROOT;
  const print = args.print ?? ((text: string) => console.log(text));
  const id = parseSessionId(sessionOrCurrent(root, args.session, 'diff'));
  const yours = args.dir ? resolve(args.dir) : join(root, 'backend');
  const solution = join(root, 'solutions', id);
  if (!existsSync(yours))
    throw new UsageError(`${shown(root, yours)}/ does not exist. Start a session with npm run begin ${id}.`);
  if (!existsSync(solution))
    throw new UsageError(`${id} has no solution yet: solutions/${id}/ does not exist.`);

  const yoursName = shown(root, yours);
  const solutionName = `solutions/${id}`;
  const changes = await compareTrees(yours, solution, { exact: args.exact });
  const ignoring = args.exact
    ? ''
    : pc.dim(` (comments and formatting aside; npm run diff ${id} -- --exact compares the files as written)`);
  if (changes.length === 0) {
    print(pc.green(`✔ ${yoursName}/ is the same as ${solutionName}/.`) + ignoring);
    return 0;
  }
  if (args.stat) {
    printStat(changes, print);
    return 0;
  }
  print(pc.dim(`${pc.red(`- ${yoursName}/`)}  ${pc.green(`+ ${solutionName}/`)}`) + ignoring);
  for (const change of changes) {
    print('');
    printChange(change, yoursName, solutionName, print);
  }
  print('');
  print(
    pc.dim(
      `${changes.length} ${changes.length === 1 ? 'file differs' : 'files differ'}. A summary: npm run diff ${id} -- --stat`,
    ),
  );
  return 0;
}

/** Differences file by file, from `yoursDir` to `solutionDir`; identical files are left out. */
export async function compareTrees(
  yoursDir: string,
  solutionDir: string,
  { exact = false } = {},
): Promise<FileChange[]> {
  const yours = new Set(listServiceFiles(yoursDir));
  const solution = new Set(listServiceFiles(solutionDir));
  const changes: FileChange[] = [];
  for (const path of [...new Set([...yours, ...solution])].sort()) {
    const before = yours.has(path) ? readFileSync(join(yoursDir, path)) : undefined;
    const after = solution.has(path) ? readFileSync(join(solutionDir, path)) : undefined;
    if (before && after && before.equals(after)) continue;
    const status = !before ? 'only-solution' : !after ? 'only-yours' : 'modified';
    if (before?.includes(0) || after?.includes(0)) {
      changes.push({ path, status: 'binary', additions: 0, deletions: 0, hunks: [] });
      continue;
    }
    const text = async (b: Buffer | undefined) =>
      b === undefined ? '' : exact ? b.toString('utf8') : codeMeaning(path, b.toString('utf8'));
    // Line endings are an editor's choice, not a difference a learner should chase.
    const patch = structuredPatch(path, path, await text(before), await text(after), undefined, undefined, {
      context: 3,
      stripTrailingCr: true,
    });
    if (patch.hunks.length === 0) continue;
    const count = (sign: string) =>
      patch.hunks.reduce((n, h) => n + h.lines.filter((l) => l.startsWith(sign)).length, 0);
    changes.push({ path, status, additions: count('+'), deletions: count('-'), hunks: patch.hunks });
  }
  return changes;
}

function printChange(
  change: FileChange,
  yoursName: string,
  solutionName: string,
  print: (text: string) => void,
): void {
  const label = {
    modified: '',
    'only-solution': pc.green(' (only in the solution: add it)'),
    'only-yours': pc.red(' (only in yours: not in the solution)'),
    binary: pc.dim(' (binary files differ)'),
  }[change.status];
  print(pc.bold(change.path) + label);
  if (change.status === 'binary') return;
  print(pc.red(`--- ${change.status === 'only-solution' ? '/dev/null' : `${yoursName}/${change.path}`}`));
  print(pc.green(`+++ ${change.status === 'only-yours' ? '/dev/null' : `${solutionName}/${change.path}`}`));
  for (const hunk of change.hunks) {
    print(pc.cyan(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`));
    for (const line of hunk.lines) {
      if (line.startsWith('+')) print(pc.green(line));
      else if (line.startsWith('-')) print(pc.red(line));
      else if (line.startsWith('\\')) print(pc.dim(line));
      else print(line);
    }
  }
}

function printStat(changes: FileChange[], print: (text: string) => void): void {
  const note = (c: FileChange) =>
    ({
      modified: '',
      'only-solution': ' (only in the solution)',
      'only-yours': ' (only in yours)',
      binary: ' (binary)',
    })[c.status];
  const names = changes.map((c) => `${c.path}${note(c)}`);
  const width = Math.max(...names.map((n) => n.length));
  changes.forEach((c, i) => {
    const counts = [
      c.additions ? pc.green(`+${c.additions}`) : '',
      c.deletions ? pc.red(`-${c.deletions}`) : '',
    ]
      .filter(Boolean)
      .join(' ');
    print(` ${names[i].padEnd(width)} | ${counts}`);
  });
  const additions = changes.reduce((n, c) => n + c.additions, 0);
  const deletions = changes.reduce((n, c) => n + c.deletions, 0);
  print(
    `${changes.length} ${changes.length === 1 ? 'file differs' : 'files differ'}: ${pc.green(`+${additions}`)} ${pc.red(`-${deletions}`)} ${pc.dim('(+ the solution has, - only yours has)')}`,
  );
}

function shown(root: string, dir: string): string {
  const rel = relative(root, dir).split('\\').join('/');
  return rel && !rel.startsWith('..') ? rel : dir;
}
