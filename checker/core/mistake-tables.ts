/**
 * The instructor guide's tables of typical mistakes, generated from the sessions' mistake
 * catalogues (`checker/sessions/session-N/mistakes.ts`). Each row is a mistake the session
 * harness really makes and the words its check really says (the harness asserts them), so
 * the guide cannot tell the instructor something the checker does not do.
 *
 *   npm run docs:mistakes      rewrites the blocks between <!-- mistakes:session-N --> markers
 *
 * test/checker/mistake-tables.test.ts fails when docs/instructor.md is not up to date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSession, type SessionSpec } from './course.ts';
import type { Mistake } from './mistake.ts';
import { REPO_ROOT, SESSION_IDS } from './repo.ts';

export const INSTRUCTOR_PAGE = join(REPO_ROOT, 'docs', 'instructor.md');

/** One session's table, in markdown. */
export function mistakeTable(spec: SessionSpec, mistakes: Mistake[]): string {
  const lines = ['| mistake | where the checker points | what it says (in part) |', '|---|---|---|'];
  for (const m of mistakes) {
    // The TODO the harness holds it to (`onlyTodo`), else the one session.json gives the check.
    const todo = spec.todos.find((t) =>
      m.expect.onlyTodo !== undefined ? t.n === m.expect.onlyTodo : t.checks.includes(m.expect.check),
    );
    const where = todo
      ? `${m.expect.status === 'warn' ? '⚠' : '✖'} TODO ${todo.n}: ${todo.title}`
      : `${m.expect.status === 'warn' ? '⚠' : '✖'} \`${m.expect.check}\``;
    lines.push(`| ${cell(capitalized(m.what))} | ${cell(where)} | “…${cell(m.expect.says)}…” |`);
  }
  return lines.join('\n');
}

/** The page with every session's block brought up to date; throws when a session has no markers. */
export async function renderMistakeTables(page: string, root = REPO_ROOT): Promise<string> {
  let out = page;
  for (const id of SESSION_IDS) {
    const spec = loadSession(root, id);
    if (!spec) continue;
    const { mistakes } = (await import(join(root, 'checker', 'sessions', id, 'mistakes.ts'))) as {
      mistakes: Mistake[];
    };
    const block = new RegExp(`(<!-- mistakes:${id} -->\\n)[\\s\\S]*?(\\n<!-- /mistakes:${id} -->)`);
    if (!block.test(out))
      throw new Error(
        `docs/instructor.md has no <!-- mistakes:${id} --> … <!-- /mistakes:${id} --> block: add one under the session's heading, then run npm run docs:mistakes.`,
      );
    out = out.replace(
      block,
      (_m, open: string, close: string) => `${open}${mistakeTable(spec, mistakes)}${close}`,
    );
  }
  return out;
}

/**
 * Text for a table cell: `|` would end the cell, `{...}` be read as attributes (VitePress's
 * markdown-it-attrs: `{% %}` fails the build) and `<...>` as an HTML tag (pages compile as Vue).
 */
function cell(text: string): string {
  return text
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ')
    .replace(/\{/g, '&#123;')
    .replace(/\}/g, '&#125;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const page = readFileSync(INSTRUCTOR_PAGE, 'utf8');
  const next = await renderMistakeTables(page);
  writeFileSync(INSTRUCTOR_PAGE, next);
  console.log(
    next === page
      ? 'docs/instructor.md is up to date with the mistake catalogues.'
      : 'docs/instructor.md: the mistake tables were brought up to date.',
  );
}
