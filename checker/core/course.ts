/**
 * The course as data: reading and checking `sessions/session-N/session.json` (the one source
 * of a session's title, summary, TODOs, hints, check minutes, blocking checks and which check
 * ids belong to which TODO), listing the sessions, and the solution diff of a session.
 *
 * One parser for everybody: the checker (`checker/sessions/index.ts`), the CLI (`npm run
 * hint`, `npm run diff`, `npm run status`), the author check (`npm run lint:course`) and the
 * guide's data loader (`docs/.vitepress/sessions.data.ts`) import this file. It has no
 * VitePress imports on purpose: only Node built-ins and the `diff` package.
 *
 *   const sessions = listSessions(repoRoot);          // what exists on disk
 *   const s = loadSession(repoRoot, 'session-4');     // SessionSpec, or null if not written yet
 *   const files = diffSession(repoRoot, 'session-4'); // starter → solution, per file
 *
 * `loadSession` throws a `SessionFileError` (with every problem found) when session.json is
 * there but malformed, so a broken file is caught by whoever reads it first.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from 'diff';

export interface SessionTodo {
  /** TODO number, as written in the starter's comments (`TODO 3`). 1, 2, 3, … in order. */
  n: number;
  /** File of the starter the TODO is in, relative to the session folder. */
  file: string;
  title: string;
  /** Markdown: what to do and why. */
  explain: string;
  /** Markdown, from gentle to explicit: the first points at the place, the last nearly solves. */
  hints: string[];
  /** Ids of the checks that judge this TODO's work (e.g. `s4.bus`): a result without a TODO of its own is told under this one. */
  checks: string[];
}

/**
 * A part of a session: the TODOs from `from` up to the next part's. A session in two parts
 * (session 5: the scheduler in Step Functions, then with EventBridge Scheduler) lists both; a
 * session without `parts` is one part.
 */
export interface SessionPart {
  /** Its first TODO. The first part starts at TODO 1. */
  from: number;
  title: string;
  /** Markdown, inline: what the part builds, shown above its first TODO. */
  summary: string;
}

export interface SessionCheckSpec {
  command: string;
  /**
   * What a passing `npm run check session-N` confirms. `{minutes}` in a line stands for
   * `minutes.local`, so the guide says the number of virtual minutes the check really runs.
   */
  expects: string[];
  /** Minutes observed when `--minutes` is not given: virtual on the local cloud, real on AWS. */
  minutes?: { local: number; aws: number };
  /** Static check ids without which the behaviour checks cannot say anything useful. */
  blocking: string[];
  /**
   * The check's periods, per target: on AWS minutes are real, so a check that watches an hour
   * on the virtual clock runs a check-only configuration with shorter periods and the same
   * verdicts. The session's scenario reads them (`periodsFor`); the learner reads them when an
   * `--aws` check starts (`awsCheckLines`), and the guide from here too.
   */
  periods: CheckPeriod[];
}

/** One period of a check: what the local check uses, and the shorter one of the AWS check. */
export interface CheckPeriod {
  /** The scenario's name for it, e.g. `approvalTimeout`. */
  name: string;
  /** What it is, as the learner reads it: "the cron schedule". */
  what: string;
  local: number | string;
  aws: number | string;
  /** How a number reads: seconds or minutes. */
  unit?: 's' | 'min';
  /**
   * A period written in the learner's state machines (their TimeoutSeconds): the AWS check
   * deploys every state of this name whose field holds the local value with the AWS value
   * instead. The learner's files stay as they are; the static checks read them unchanged.
   */
  deploys?: { state: string; field: string };
}

export type CheckProfile = 'local' | 'aws';

/** The periods of a check for a target, by name. */
export function periodsFor(
  check: Pick<SessionCheckSpec, 'periods'>,
  profile: CheckProfile,
): Record<string, number | string> {
  return Object.fromEntries(check.periods.map((p) => [p.name, p[profile]]));
}

/** "300 s", "10 min", "*\/2 * * * *": a period as the learner reads it. */
export function showPeriod(period: CheckPeriod, profile: CheckProfile): string {
  const value = period[profile];
  return typeof value === 'number' && period.unit ? `${value} ${period.unit}` : `"${value}"`;
}

/**
 * What an `--aws` check watches and how it differs from the local one, in lines for the
 * terminal and the guide: "watches 14 real minutes (80 virtual minutes locally)", then one
 * line per shorter period.
 */
export function awsCheckLines(check: Pick<SessionCheckSpec, 'minutes' | 'periods'>): string[] {
  if (!check.minutes) return [];
  const { local, aws } = check.minutes;
  const lines = [
    `watches ${aws} real minute${aws === 1 ? '' : 's'} on AWS (${local} virtual minute${local === 1 ? '' : 's'} locally)`,
  ];
  const shorter = check.periods.filter((p) => p.local !== p.aws);
  if (shorter.length) {
    lines[0] += ', in a check-only configuration with the same verdicts:';
    for (const p of shorter)
      lines.push(
        `${p.what}: ${showPeriod(p, 'aws')} instead of ${showPeriod(p, 'local')}${p.deploys ? ` (deployed so for the check only: your ${p.deploys.field} stays as you wrote it)` : ''}`,
      );
  }
  return lines;
}

export interface SessionSpec {
  id: string;
  number: number;
  title: string;
  /** One sentence (markdown, inline). */
  summary: string;
  /** Markdown, inline. */
  goals: string[];
  /** Concept ids, e.g. `lambda`, `eventbridge` (see the guide's `concepts/` pages). */
  concepts: string[];
  /** The session's parts, in order; empty when it is one part. */
  parts: SessionPart[];
  todos: SessionTodo[];
  check: SessionCheckSpec;
  /** Optional mermaid source of the session's architecture; the guide has its own otherwise. */
  diagram?: string;
  /**
   * Files in which this starter differs from the previous session's solution on purpose
   * (new scaffolding, a library grown for this session); `npm run lint:course` holds every
   * other file of the two equal.
   */
  carriedChanges: string[];
}

export interface SessionListing {
  id: string;
  number: number;
  /** Absolute path of `sessions/session-N/`. */
  starterDir: string;
  /** Absolute path of `solutions/session-N/`, or null when it does not exist yet. */
  solutionDir: string | null;
  /** Absolute path of the session.json (which may not exist yet). */
  specFile: string;
  hasSpec: boolean;
}

export class SessionFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not a valid session file:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SessionFileError';
  }
}

export const SESSION_ID = /^session-(\d+)$/;

/** Folders and files that are never part of a session's code (build output, the spec itself). */
export const IGNORED_NAMES = new Set([
  '.serverless',
  '.esbuild',
  'node_modules',
  '.dojo',
  'session.json',
  '.DS_Store',
]);

export function sessionNumber(id: string): number {
  const m = SESSION_ID.exec(id);
  if (!m) throw new Error(`"${id}" is not a session id (expected session-N, e.g. session-4)`);
  return Number(m[1]);
}

export function sessionPaths(root: string, id: string) {
  sessionNumber(id);
  const starterDir = join(root, 'sessions', id);
  const solutionDir = join(root, 'solutions', id);
  return { starterDir, solutionDir, specFile: join(starterDir, 'session.json') };
}

/** The sessions whose starter folder exists, in order. */
export function listSessions(root: string): SessionListing[] {
  const dir = join(root, 'sessions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && SESSION_ID.test(e.name))
    .map((e) => {
      const paths = sessionPaths(root, e.name);
      return {
        id: e.name,
        number: sessionNumber(e.name),
        starterDir: paths.starterDir,
        solutionDir: existsSync(paths.solutionDir) ? paths.solutionDir : null,
        specFile: paths.specFile,
        hasSpec: existsSync(paths.specFile),
      };
    })
    .sort((a, b) => a.number - b.number);
}

/** The session's spec; null when its session.json does not exist yet; throws SessionFileError when it is malformed. */
export function loadSession(root: string, id: string): SessionSpec | null {
  const { starterDir, specFile } = sessionPaths(root, id);
  if (!existsSync(specFile)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(specFile, 'utf8'));
  } catch (err) {
    throw new SessionFileError(specFile, [`not valid JSON: ${(err as Error).message}`]);
  }
  return validateSession(raw, { id, file: specFile, starterDir });
}

/** Checks the shape of a parsed session.json; `starterDir`, when given, is used to check that every TODO's file exists. */
export function validateSession(
  raw: unknown,
  context: { id?: string; file?: string; starterDir?: string } = {},
): SessionSpec {
  const problems: string[] = [];
  const file = context.file ?? 'session.json';
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const str = (v: unknown, where: string): string => {
    if (typeof v !== 'string' || !v.trim()) {
      problems.push(`${where} must be a non-empty string`);
      return '';
    }
    return v;
  };
  const strings = (v: unknown, where: string, { nonEmpty = false } = {}): string[] => {
    if (!Array.isArray(v)) {
      problems.push(`${where} must be an array of strings`);
      return [];
    }
    if (nonEmpty && v.length === 0) problems.push(`${where} must not be empty`);
    return v.map((item, i) => str(item, `${where}[${i}]`));
  };

  if (!isObject(raw)) throw new SessionFileError(file, ['the file must hold a JSON object']);

  const id = str(raw.id, 'id');
  if (id && !SESSION_ID.test(id)) problems.push(`id "${id}" must look like session-N`);
  if (id && context.id && id !== context.id)
    problems.push(`id "${id}" does not match its folder "${context.id}"`);
  const number = raw.number;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1)
    problems.push('number must be a positive integer');
  else if (id && SESSION_ID.test(id) && sessionNumber(id) !== number)
    problems.push(`number ${number} does not match id "${id}"`);

  const title = str(raw.title, 'title');
  const summary = str(raw.summary, 'summary');
  const goals = strings(raw.goals, 'goals', { nonEmpty: true });
  const concepts = raw.concepts === undefined ? [] : strings(raw.concepts, 'concepts');

  const todos: SessionTodo[] = [];
  if (!Array.isArray(raw.todos) || raw.todos.length === 0) {
    problems.push('todos must be a non-empty array');
  } else {
    raw.todos.forEach((t, i) => {
      const where = `todos[${i}]`;
      if (!isObject(t)) {
        problems.push(`${where} must be an object`);
        return;
      }
      if (t.n !== i + 1)
        problems.push(
          `${where}.n must be ${i + 1} (TODOs are numbered 1, 2, 3, … in order), found ${JSON.stringify(t.n)}`,
        );
      const todoFile = str(t.file, `${where}.file`);
      if (todoFile && context.starterDir && !existsSync(join(context.starterDir, todoFile))) {
        problems.push(`${where}.file "${todoFile}" does not exist in ${context.starterDir}`);
      }
      todos.push({
        n: i + 1,
        file: todoFile,
        title: str(t.title, `${where}.title`),
        explain: str(t.explain, `${where}.explain`),
        hints: strings(t.hints, `${where}.hints`),
        checks: t.checks === undefined ? [] : strings(t.checks, `${where}.checks`),
      });
    });
  }

  const parts = readParts(raw.parts, todos.length, problems);

  let check: SessionCheckSpec = { command: '', expects: [], blocking: [], periods: [] };
  if (!isObject(raw.check)) {
    problems.push('check must be an object { "command": "...", "expects": ["..."] }');
  } else {
    const minutes = raw.check.minutes;
    const positive = (v: unknown) => typeof v === 'number' && v > 0;
    if (minutes !== undefined && !(isObject(minutes) && positive(minutes.local) && positive(minutes.aws))) {
      problems.push('check.minutes must be { "local": N, "aws": N }, two positive numbers of minutes');
    }
    const checkMinutes =
      isObject(minutes) && positive(minutes.local) && positive(minutes.aws)
        ? { local: minutes.local as number, aws: minutes.aws as number }
        : undefined;
    const expects = strings(raw.check.expects, 'check.expects', { nonEmpty: true }).map((line, i) => {
      if (!line.includes('{minutes}')) return line;
      if (!checkMinutes) problems.push(`check.expects[${i}] says {minutes} but check.minutes is not set`);
      return line.replaceAll('{minutes}', String(checkMinutes?.local ?? '?'));
    });
    check = {
      command: str(raw.check.command, 'check.command'),
      expects,
      ...(checkMinutes ? { minutes: checkMinutes } : {}),
      blocking: raw.check.blocking === undefined ? [] : strings(raw.check.blocking, 'check.blocking'),
      periods: readPeriods(raw.check.periods, problems),
    };
  }

  let diagram: string | undefined;
  if (raw.diagram !== undefined) diagram = str(raw.diagram, 'diagram');

  const carriedChanges =
    raw.carriedChanges === undefined ? [] : strings(raw.carriedChanges, 'carriedChanges');

  if (problems.length) throw new SessionFileError(file, problems);
  return {
    id,
    number: number as number,
    title,
    summary,
    goals,
    concepts,
    parts,
    todos,
    check,
    carriedChanges,
    ...(diagram ? { diagram } : {}),
  };
}

/** `parts`: absent (one part), or parts whose first TODOs go up from 1, each naming a TODO that exists. */
function readParts(raw: unknown, todoCount: number, problems: string[]): SessionPart[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length < 2) {
    problems.push(
      'parts must be an array of two or more { "from": n, "title": "...", "summary": "..." } (leave it out for a session in one part)',
    );
    return [];
  }
  const parts: SessionPart[] = [];
  raw.forEach((p, i) => {
    const where = `parts[${i}]`;
    const part = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
    const from = part.from;
    const before = parts.at(-1)?.from ?? 0;
    if (i === 0 && from !== 1) problems.push(`${where}.from must be 1: the first part starts at TODO 1`);
    else if (typeof from !== 'number' || !Number.isInteger(from) || from <= before || from > todoCount)
      problems.push(
        `${where}.from must be a TODO number after ${before} and at most ${todoCount}, found ${JSON.stringify(from)}`,
      );
    for (const field of ['title', 'summary'] as const)
      if (typeof part[field] !== 'string' || !(part[field] as string).trim())
        problems.push(`${where}.${field} must be a non-empty string`);
    parts.push({ from: Number(from), title: String(part.title ?? ''), summary: String(part.summary ?? '') });
  });
  return parts;
}

/** Files of a service folder, relative and with forward slashes, sorted; build output and session.json left out. */
export function listServiceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (IGNORED_NAMES.has(entry.name)) continue;
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  if (existsSync(dir) && statSync(dir).isDirectory()) walk(dir);
  return out.sort();
}

export interface FileDiff {
  /** Path relative to the session folder, forward slashes. */
  path: string;
  status: 'added' | 'deleted' | 'modified';
  additions: number;
  deletions: number;
  /** Unified diff with `--- a/…` / `+++ b/…` headers. */
  patch: string;
}

/** Differences from one service folder to another, file by file (unchanged files are left out). */
export function diffTrees(fromDir: string, toDir: string, options: { context?: number } = {}): FileDiff[] {
  const from = new Set(listServiceFiles(fromDir));
  const to = new Set(listServiceFiles(toDir));
  const paths = [...new Set([...from, ...to])].sort();
  const read = (dir: string, set: Set<string>, p: string) =>
    set.has(p) ? readFileSync(join(dir, p), 'utf8') : '';
  const diffs: FileDiff[] = [];
  for (const path of paths) {
    const before = read(fromDir, from, path);
    const after = read(toDir, to, path);
    if (from.has(path) && to.has(path) && before === after) continue;
    const status = !from.has(path) ? 'added' : !to.has(path) ? 'deleted' : 'modified';
    const structured = structuredPatch(
      status === 'added' ? '/dev/null' : `a/${path}`,
      status === 'deleted' ? '/dev/null' : `b/${path}`,
      before,
      after,
      undefined,
      undefined,
      { context: options.context ?? 3 },
    );
    let additions = 0;
    let deletions = 0;
    for (const hunk of structured.hunks) {
      for (const line of hunk.lines) {
        if (line.startsWith('+')) additions++;
        else if (line.startsWith('-')) deletions++;
      }
    }
    diffs.push({
      path,
      status,
      additions,
      deletions,
      patch: formatPatch(structured, FILE_HEADERS_ONLY).trimEnd(),
    });
  }
  return diffs;
}

/** The reference solution as a diff from the starter; null when `solutions/session-N/` does not exist yet. */
export function diffSession(root: string, id: string, options: { context?: number } = {}): FileDiff[] | null {
  const { starterDir, solutionDir } = sessionPaths(root, id);
  if (!existsSync(solutionDir)) return null;
  return diffTrees(starterDir, solutionDir, options);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** check.periods: a list of { name, what, local, aws, unit?, deploys? }, each problem named. */
function readPeriods(raw: unknown, problems: string[]): CheckPeriod[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push('check.periods must be a list of { "name", "what", "local", "aws" }');
    return [];
  }
  const out: CheckPeriod[] = [];
  raw.forEach((p: unknown, i) => {
    const where = `check.periods[${i}]`;
    if (!isObject(p)) return problems.push(`${where} must be an object { "name", "what", "local", "aws" }`);
    const bad = (why: string) =>
      problems.push(`${where}${typeof p.name === 'string' ? ` (${p.name})` : ''}: ${why}`);
    if (typeof p.name !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(p.name))
      return bad('"name" must be a camelCase word, the scenario\'s name for it');
    if (out.some((o) => o.name === p.name)) return bad('the name is used twice');
    if (typeof p.what !== 'string' || !p.what.trim())
      return bad('"what" must say what it is, as the learner reads it');
    const kind = typeof p.local;
    if (!((kind === 'number' && (p.local as number) > 0) || (kind === 'string' && p.local !== '')))
      return bad('"local" must be a positive number or a text');
    if (typeof p.aws !== kind || (kind === 'number' && !((p.aws as number) > 0)))
      return bad(`"aws" must be a ${kind === 'number' ? 'positive number' : 'text'}, like "local"`);
    if (p.unit !== undefined && !(kind === 'number' && (p.unit === 's' || p.unit === 'min')))
      return bad('"unit" is "s" or "min", for a number');
    let deploys: CheckPeriod['deploys'];
    if (p.deploys !== undefined) {
      const d = p.deploys;
      if (!isObject(d) || typeof d.state !== 'string' || typeof d.field !== 'string')
        return bad('"deploys" must be { "state": "StateName", "field": "FieldName" }');
      deploys = { state: d.state, field: d.field };
    }
    out.push({
      name: p.name,
      what: p.what,
      local: p.local as number | string,
      aws: p.aws as number | string,
      ...(p.unit ? { unit: p.unit as 's' | 'min' } : {}),
      ...(deploys ? { deploys } : {}),
    });
  });
  return out;
}
