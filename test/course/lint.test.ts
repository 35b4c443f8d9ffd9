import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { $ } from 'zx';
import { lintCourse } from '../../checker/core/course-lint.ts';

/** `npm run lint:course` on the real course, and on a fixture course that breaks each rule once. */
const BROKEN = resolve('test/course/fixtures/broken');

describe('npm run lint:course', () => {
  it('finds the course consistent', () => {
    expect(lintCourse(resolve('.'))).toEqual([]);
  });

  it('reports each rule broken in the fixture once, with its place and its fix', () => {
    const violations = lintCourse(BROKEN);
    expect(violations.map((v) => [v.code, v.where])).toEqual([
      ['COURSE008', 'sessions/session-3/session.json'],
      ['COURSE001', 'sessions/session-1/b.ts'],
      ['COURSE006', 'checker/sessions/session-1/judge.ts:4'],
      ['COURSE007', 'sessions/session-1/session.json'],
      ['COURSE002', 'sessions/session-1/c.ts'],
      ['COURSE005', 'solutions/session-2/a.ts:1'],
      ['COURSE003', 'sessions/session-2/c.ts'],
      ['COURSE004', 'sessions/session-2/session.json'],
    ]);
    const by = Object.fromEntries(violations.map((v) => [v.code, v]));
    expect(by.COURSE001.message).toContain('TODO 2 ("Write b") has no `TODO 2:` marker');
    expect(by.COURSE002.fix).toContain(
      'Make it equal to solutions/session-1/c.ts, or give it the TODO marker',
    );
    expect(by.COURSE003.fix).toContain('list "c.ts" in carriedChanges of sessions/session-2/session.json');
    expect(by.COURSE004.message).toContain('carriedChanges lists "b.ts"');
    expect(by.COURSE005.fix).toContain('Remove the TODO comment');
    expect(by.COURSE006.message).toContain('TODO 9, but session-1 has TODOs 1 to 2');
    expect(by.COURSE007.message).toContain('todos[1].checks names the check s1.nothing');
    expect(by.COURSE008.message).toContain('title must be a non-empty string');
  });

  it('exits 1 and prints every violation with its fix', async () => {
    const out = await $({ nothrow: true })`npx tsx checker/bin/lint-course.ts --root ${BROKEN}`;
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toContain(
      'COURSE003 sessions/session-2/c.ts: c.ts differs from solutions/session-1/c.ts',
    );
    expect(out.stdout.match(/^\s+fix: /gm)).toHaveLength(8);
    expect(out.stdout).toContain('✖ 8 violations');
  });
});
