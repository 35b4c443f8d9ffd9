/**
 * The instructor guide's failing check is the checker's real report for a catalogued mistake:
 * regenerating it changes nothing, or the guide is behind the checker.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { failingCheckOutput, renderFailingCheck, SHOWN_MISTAKE } from '../../checker/core/failing-check.ts';
import { INSTRUCTOR_PAGE } from '../../checker/core/mistake-tables.ts';
import { mistakes } from '../../checker/sessions/session-1/mistakes.ts';

describe('the failing check in the instructor guide', () => {
  it('is what npm run check session-1 prints today (npm run docs:failing-check rewrites it)', async () => {
    const page = readFileSync(INSTRUCTOR_PAGE, 'utf8');
    const output = await failingCheckOutput();
    expect(
      renderFailingCheck(page, output),
      'docs/instructor.md is behind the checker: run npm run docs:failing-check',
    ).toBe(page);
    // The block shows the mistake's own ✖ and what its check says, with nothing run-specific left.
    const shown = mistakes.find((m) => m.id === SHOWN_MISTAKE)!;
    expect(output).toContain(shown.expect.says);
    expect(output).toMatch(/^✖ 1 of \d+ checks failed\. \(package Ns, /m);
    expect(output).toContain('Checking session-1 in backend (local, seed 7,');
    expect(output).not.toMatch(/\d\.\ds|\.dojo/);
    expect(output, 'no terminal colours').not.toContain('\u001b[');
  });

  it('refuses a page that lost its block, naming the markers and the script', () => {
    expect(() => renderFailingCheck('# Running a dojo\n', 'output')).toThrow(
      'docs/instructor.md has no <!-- failing-check --> … <!-- /failing-check --> block',
    );
  });
});
