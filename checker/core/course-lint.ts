/**
 * `npm run lint:course`, the author check of the course: the starters, the solutions,
 * session.json and the check modules agree with each other. Each violation has a code, the
 * place, what is wrong and the fix:
 *
 *   COURSE001  a TODO of session.json has no `TODO n:` marker in its starter file
 *   COURSE002  a starter file differs from its solution but holds no TODO marker
 *   COURSE003  starter N+1 differs from solution N in a file session.json does not list as a carried change
 *   COURSE004  session.json lists a carried change that is no change
 *   COURSE005  a solution still holds a TODO marker
 *   COURSE006  a check says `todo: k` for a TODO session.json does not have
 *   COURSE007  session.json names a check id (todos[].checks, check.blocking) that no check reports
 *   COURSE008  session.json itself is missing or malformed
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  listServiceFiles,
  listSessions,
  loadSession,
  SessionFileError,
  type SessionListing,
  type SessionSpec,
} from './course.ts';

export interface Violation {
  code: string;
  /** Where, relative to the course root (`file` or `file:line`). */
  where: string;
  message: string;
  fix: string;
}

/** Any TODO marker, as a learner sees it in the starter: `// TODO 3: …`, `# TODO 3: …`. */
const ANY_MARKER = /(?:\/\/|#|\/\*|<!--)\s*TODO\s+(\d+)\s*:/;

const read = (file: string) => readFileSync(file, 'utf8').replace(/\r\n/g, '\n');

/** The lines of a file holding a TODO marker, with their numbers. */
function markers(file: string): Array<{ line: number; n: number }> {
  return read(file)
    .split('\n')
    .flatMap((text, i) => {
      const m = ANY_MARKER.exec(text);
      return m ? [{ line: i + 1, n: Number(m[1]) }] : [];
    });
}

/** Paths that differ between two service folders (present in one only, or with other bytes). */
function differing(a: string, b: string): string[] {
  const left = new Set(listServiceFiles(a));
  const right = new Set(listServiceFiles(b));
  return [...new Set([...left, ...right])]
    .filter((p) => !left.has(p) || !right.has(p) || read(join(a, p)) !== read(join(b, p)))
    .sort();
}

/** Does a carried-change entry cover the path? `lib/x.ts` covers itself, `functions/nextTime/` a folder. */
const covers = (entry: string, path: string) =>
  entry.endsWith('/') ? path.startsWith(entry) : entry === path;

export function lintCourse(root: string): Violation[] {
  const violations: Violation[] = [];
  const sessions = listSessions(root);
  const specs = new Map<string, SessionSpec>();
  for (const s of sessions) {
    try {
      const spec = loadSession(root, s.id);
      if (spec) specs.set(s.id, spec);
      else
        violations.push({
          code: 'COURSE008',
          where: `sessions/${s.id}/session.json`,
          message: `${s.id} has no session.json`,
          fix: 'Write it (title, summary, goals, todos, check): see docs/reference/sessions.md.',
        });
    } catch (err) {
      if (!(err instanceof SessionFileError)) throw err;
      violations.push({
        code: 'COURSE008',
        where: `sessions/${s.id}/session.json`,
        message: err.problems.join('; '),
        fix: 'Correct each problem named.',
      });
    }
  }

  sessions.forEach((s, i) => {
    const spec = specs.get(s.id);
    if (spec) {
      violations.push(...todoMarkers(s, spec), ...checkTodos(root, s, spec));
      if (s.solutionDir) violations.push(...unmarkedDifferences(s, s.solutionDir));
    }
    if (s.solutionDir) violations.push(...solutionMarkers(s, s.solutionDir));
    const previous = sessions[i - 1];
    if (previous?.solutionDir && spec) violations.push(...carried(previous, s, spec));
  });
  return violations;
}

function todoMarkers(s: SessionListing, spec: SessionSpec): Violation[] {
  return spec.todos.flatMap((t) => {
    const file = join(s.starterDir, t.file);
    if (existsSync(file) && markers(file).some((m) => m.n === t.n)) return [];
    return [
      {
        code: 'COURSE001',
        where: `sessions/${s.id}/${t.file}`,
        message: `TODO ${t.n} ("${t.title}") has no \`TODO ${t.n}:\` marker in its file`,
        fix: `Add a comment \`// TODO ${t.n}: ${t.title}\` where the learner writes it, or correct todos[${t.n - 1}].file in session.json.`,
      },
    ];
  });
}

function unmarkedDifferences(s: SessionListing, solutionDir: string): Violation[] {
  return differing(s.starterDir, solutionDir).flatMap((path) => {
    const starter = join(s.starterDir, path);
    if (existsSync(starter) && markers(starter).length > 0) return [];
    const what = existsSync(starter) ? 'differs from the solution' : 'is only in the solution';
    return [
      {
        code: 'COURSE002',
        where: `sessions/${s.id}/${path}`,
        message: `${path} ${what}, but the starter says nowhere that it must change (no TODO marker)`,
        fix: `Make it equal to solutions/${s.id}/${path}, or give it the TODO marker of the TODO that changes it.`,
      },
    ];
  });
}

function solutionMarkers(s: SessionListing, solutionDir: string): Violation[] {
  return listServiceFiles(solutionDir).flatMap((path) =>
    markers(join(solutionDir, path)).map((m) => ({
      code: 'COURSE005',
      where: `solutions/${s.id}/${path}:${m.line}`,
      message: `the solution still holds the marker of TODO ${m.n}`,
      fix: 'Remove the TODO comment: a solved TODO leaves no marker (the guide tells learners to delete theirs).',
    })),
  );
}

function carried(previous: SessionListing, s: SessionListing, spec: SessionSpec): Violation[] {
  const changed = differing(previous.solutionDir!, s.starterDir);
  const out: Violation[] = changed
    .filter((path) => !spec.carriedChanges.some((entry) => covers(entry, path)))
    .map((path) => ({
      code: 'COURSE003',
      where: `sessions/${s.id}/${path}`,
      message: `${path} ${!existsSync(join(s.starterDir, path)) ? `of solutions/${previous.id}/ is gone from the starter` : existsSync(join(previous.solutionDir!, path)) ? `differs from solutions/${previous.id}/${path}` : `is new (not in solutions/${previous.id}/)`}, and session.json does not list it as a carried change`,
      fix: `Copy solutions/${previous.id}/${path} over it, or list "${path}" in carriedChanges of sessions/${s.id}/session.json.`,
    }));
  for (const entry of spec.carriedChanges) {
    if (changed.some((path) => covers(entry, path))) continue;
    out.push({
      code: 'COURSE004',
      where: `sessions/${s.id}/session.json`,
      message: `carriedChanges lists "${entry}", but it is the same in solutions/${previous.id}/ and sessions/${s.id}/`,
      fix: `Remove "${entry}" from carriedChanges.`,
    });
  }
  return out;
}

/** The check ids a session's check module reports, and the TODO numbers it names, with their lines. */
function checkModule(dir: string): { ids: Set<string>; todos: Array<{ where: string; n: number }> } {
  const ids = new Set<string>();
  const todos: Array<{ where: string; n: number }> = [];
  if (!existsSync(dir)) return { ids, todos };
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'mistakes.ts')
    .sort()) {
    read(join(dir, name))
      .split('\n')
      .forEach((text, i) => {
        for (const m of text.matchAll(/'(s\d+\.[\w.-]+)'/g)) ids.add(m[1]);
        for (const m of text.matchAll(/\btodo: (\d+)\b/g))
          todos.push({ where: `${name}:${i + 1}`, n: Number(m[1]) });
      });
  }
  return { ids, todos };
}

function checkTodos(root: string, s: SessionListing, spec: SessionSpec): Violation[] {
  const rel = `checker/sessions/${s.id}`;
  const dir = join(root, rel);
  if (!existsSync(dir)) return [];
  const { ids, todos } = checkModule(dir);
  const out: Violation[] = todos
    .filter((t) => !spec.todos.some((todo) => todo.n === t.n))
    .map((t) => ({
      code: 'COURSE006',
      where: `${rel}/${t.where}`,
      message: `a check is told under TODO ${t.n}, but ${s.id} has TODOs 1 to ${spec.todos.length}`,
      fix: `Point it at the TODO where the learner fixes it, or add TODO ${t.n} to sessions/${s.id}/session.json.`,
    }));
  const named = [
    ...spec.todos.flatMap((t) => t.checks.map((id) => ({ id, field: `todos[${t.n - 1}].checks` }))),
    ...spec.check.blocking.map((id) => ({ id, field: 'check.blocking' })),
  ];
  for (const { id, field } of named) {
    if (ids.has(id)) continue;
    out.push({
      code: 'COURSE007',
      where: `sessions/${s.id}/session.json`,
      message: `${field} names the check ${id}, which no check of ${rel}/ reports`,
      fix: `Correct the id (the checks of ${s.id} are ${[...ids].sort().join(', ') || 'none yet'}).`,
    });
  }
  return out;
}

export function formatViolations(violations: Violation[]): string {
  if (violations.length === 0)
    return '✔ The course is consistent: markers, starters, solutions, session.json and the checks agree.';
  const lines = violations.map((v) => `${v.code} ${v.where}: ${v.message}\n        fix: ${v.fix}`);
  return `${lines.join('\n')}\n\n✖ ${violations.length} violation${violations.length === 1 ? '' : 's'} of the course's rules.`;
}
