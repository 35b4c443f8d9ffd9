/**
 * The instructor guide's tables of typical mistakes are the checker's own catalogues: every
 * mistake the session harness makes is in the guide, with the words its check says.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { INSTRUCTOR_PAGE, mistakeTable, renderMistakeTables } from '../../checker/core/mistake-tables.ts';
import { loadSession } from '../../checker/core/course.ts';
import { REPO_ROOT } from '../../checker/core/repo.ts';
import { mistakes as session5 } from '../../checker/sessions/session-5/mistakes.ts';
import { mistakes as session6 } from '../../checker/sessions/session-6/mistakes.ts';

describe('the instructor guide tables of typical mistakes', () => {
  it('are up to date with the catalogues (npm run docs:mistakes rewrites them)', async () => {
    const page = readFileSync(INSTRUCTOR_PAGE, 'utf8');
    expect(
      await renderMistakeTables(page),
      'docs/instructor.md is behind the mistake catalogues: run npm run docs:mistakes',
    ).toBe(page);
  });

  it('gives each mistake a row with its TODO and what the check says', () => {
    const table = mistakeTable(loadSession(REPO_ROOT, 'session-5')!, session5);
    const rows = table.split('\n').slice(2);
    expect(rows).toHaveLength(session5.length);
    const startExecution = session5.find((m) => m.expect.onlyTodo !== undefined)!;
    expect(rows[session5.indexOf(startExecution)]).toContain(`✖ TODO ${startExecution.expect.onlyTodo}:`);
    for (const [i, m] of session5.entries()) expect(rows[i]).toContain(m.expect.says.replace(/\|/g, '\\|'));
  });

  it('escapes braces and angle brackets, which VitePress would read as attributes ({% %}) or HTML', () => {
    const table = mistakeTable(loadSession(REPO_ROOT, 'session-6')!, session6);
    const row = table.split('\n').find((r) => r.startsWith('| The token expression without'));
    expect(row).toContain('without &#123;% %&#125;: a literal string');
    expect(table).not.toMatch(/[{}<>]/);
  });

  it('refuses a page that lost a session block, naming it', async () => {
    await expect(renderMistakeTables('# Running a dojo\n')).rejects.toThrow(
      'docs/instructor.md has no <!-- mistakes:session-1 -->',
    );
  });
});
