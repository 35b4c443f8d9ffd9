/**
 * Sessions as the CLI sees them: a session.json that must be there (or a friendly error),
 * the session the learner is on (`.dojo/current.json`, written by `npm run begin`), and
 * session.json's markdown turned into terminal text.
 *
 * The parser itself is shared with the guide (docs/.vitepress/session-files.ts), so the
 * guide and the CLI can never disagree about a session.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pc from 'picocolors';
import { loadSession, SessionFileError, type SessionSpec } from './course.ts';
import { UsageError } from './repo.ts';

export type { SessionSpec, SessionTodo } from './course.ts';
export { IGNORED_NAMES, listServiceFiles, listSessions } from './course.ts';

export interface CurrentSession {
  session: string;
  /** ISO time of `npm run begin`. */
  startedAt: string;
  /** Where the previous backend/ was saved, relative to the repository root. */
  savedTo?: string;
}

/** The session's spec; a UsageError when it is missing or broken, since nothing can go on without it. */
export function requireSession(root: string, id: string): SessionSpec {
  const spec = trySession(root, id, (err) => {
    throw new UsageError(err.message);
  });
  if (!spec) throw new UsageError(`${id} is not written yet: sessions/${id}/session.json does not exist.`);
  return spec;
}

/** The session's spec, or null when it is missing; a broken file is reported through `onError` (default: treated as missing). */
export function trySession(
  root: string,
  id: string,
  onError: (err: SessionFileError) => void = () => undefined,
): SessionSpec | null {
  try {
    return loadSession(root, id);
  } catch (err) {
    if (err instanceof SessionFileError || (err as Error).name === 'SessionFileError') {
      onError(err as SessionFileError);
      return null;
    }
    throw err;
  }
}

export function dojoDir(root: string): string {
  return join(root, '.dojo');
}

export function readCurrentSession(root: string): CurrentSession | null {
  const file = join(dojoDir(root), 'current.json');
  if (!existsSync(file)) return null;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as CurrentSession;
    return typeof value?.session === 'string' ? value : null;
  } catch {
    // A hand-edited or half-written file only loses the "current session" convenience.
    return null;
  }
}

export function writeCurrentSession(root: string, current: CurrentSession): void {
  const file = join(dojoDir(root), 'current.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(current, null, 2)}\n`);
}

/**
 * The session named on the command line, or else the one `npm run begin` started, so that
 * `npm run hint` alone does the right thing.
 */
export function sessionOrCurrent(root: string, given: string | undefined, command: string): string {
  if (given) return given;
  const current = readCurrentSession(root);
  if (current) return current.session;
  throw new UsageError(`Which session? For example: npm run ${command} session-1`);
}

/** Inline markdown (`code`, **bold**, [links](url)) as terminal text; anything else is left as written. */
export function renderInline(md: string): string {
  return (
    md
      // Without colours, the backticks are what still sets code apart from prose.
      .replace(/`([^`]+)`/g, (m, code: string) => (pc.isColorSupported ? pc.cyan(code) : m))
      .replace(/\*\*([^*]+)\*\*/g, (_m, text: string) => pc.bold(text))
      .replace(
        /\[([^\]]+)\]\(([^)]+)\)/g,
        (_m, text: string, url: string) => `${text} (${pc.underline(url)})`,
      )
  );
}

/** Markdown as plain terminal text: prose with inline styles, fenced code blocks indented so they stand apart. */
export function renderMarkdown(md: string, indent = ''): string {
  const out: string[] = [];
  let inCode = false;
  for (const line of md.replace(/\r\n/g, '\n').split('\n')) {
    if (/^\s*```/.test(line)) {
      inCode = !inCode;
      continue;
    }
    if (inCode) out.push(`${indent}    ${pc.cyan(line)}`);
    else out.push(line.trim() ? `${indent}${renderInline(line.replace(/^#+\s*/, ''))}` : '');
  }
  return out.join('\n');
}
