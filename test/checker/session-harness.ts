/**
 * The one harness of every session's check, driven by its catalogue
 * (`checker/sessions/session-N/mistakes.ts`): the solution passes, the starter fails under its
 * TODOs, every mistake fails (or warns) its check with its own words, under a TODO and that
 * TODO's guide section, and the traceless ones still name the fix as on AWS.
 *
 * Each `session-N.test.ts` calls `describeSessionCheck('session-N', catalogue)`, so that vitest runs the
 * sessions in parallel files and `npx vitest run test/checker/session-4.test.ts` runs one.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { Mistake, TracelessMistake } from '../../checker/core/mistake.ts';
import { localTarget } from '../../checker/core/local-target.ts';
import { runCheck } from '../../checker/core/pipeline.ts';
import { loadSessionCheck } from '../../checker/sessions/index.ts';
import { copyWithEdits } from '../../checker/core/service-copy.ts';

export interface Catalogue {
  mistakes: Mistake[];
  starterTodos: number[];
  withoutTrace?: TracelessMistake[];
  /** Real ms one check may take, when a session's check watches more than the default allows. */
  timeoutMs?: number;
}

export function describeSessionCheck(
  id: string,
  { mistakes, starterTodos, withoutTrace = [], timeoutMs }: Catalogue,
): void {
  const solution = resolve('solutions', id);
  const check = async (dir: string, { seed = 7, trace = true } = {}) =>
    runCheck(await loadSessionCheck(id), {
      dir,
      seed,
      targetKind: 'local',
      makeTarget: async () =>
        trace ? localTarget({ seed }) : Object.assign(await localTarget({ seed }), { trace: undefined }),
    });

  describe(`npm run check ${id}`, { timeout: timeoutMs }, () => {
    it('passes the reference solution', async () => {
      const report = await check(solution);
      expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
      expect(report.ok).toBe(true);
    });

    it('fails the starter, pointing at its TODOs and their sections of the guide', async () => {
      const report = await check(resolve('sessions', id));
      expect(report.ok).toBe(false);
      const failed = report.results.filter((r) => r.status === 'fail');
      expect(failed.map((r) => r.todo)).toEqual(expect.arrayContaining(starterTodos));
      for (const r of failed.filter((f) => f.todo)) expect(r.docs).toBe(`sessions/${id}#todo-${r.todo}`);
    });

    describe.each(withoutTrace)(
      'without a trace (as on AWS), still names the fix for $mistake',
      (traceless) => {
        it(`fails ${traceless.check} with "${traceless.hintSays}"`, async () => {
          const mistake = mistakes.find((m) => m.id === traceless.mistake);
          expect(mistake, `no mistake ${traceless.mistake} in the catalogue`).toBeDefined();
          const copy = copyWithEdits(solution, mistake!.edits);
          try {
            const report = await check(copy.dir, { trace: false });
            const result = report.results.find((r) => r.id === traceless.check);
            expect(result?.status).toBe('fail');
            expect(result?.hint).toContain(traceless.hintSays);
          } finally {
            copy.remove();
          }
        });
      },
    );

    describe.each(mistakes)('catches $what', (mistake) => {
      const status = mistake.expect.status ?? 'fail';
      it(`${status === 'fail' ? 'fails' : 'warns on'} ${mistake.expect.check} saying "${mistake.expect.says}"`, async () => {
        const copy = copyWithEdits(solution, mistake.edits);
        try {
          const report = await check(copy.dir);
          expect(report.ok).toBe(status !== 'fail');
          const result = report.results.find((r) => r.id === mistake.expect.check);
          expect(
            result,
            `no result ${mistake.expect.check} in ${JSON.stringify(report.results.map((r) => [r.id, r.status]))}`,
          ).toBeDefined();
          expect(result!.status, JSON.stringify(result)).toBe(status);
          expect(`${result!.observed} ${result!.hint}`).toContain(mistake.expect.says);
          // Every ✖ and ⚠ says where to look and what to do.
          expect(result!.todo, JSON.stringify(result)).toBeGreaterThan(0);
          expect(result!.docs).toBe(
            result!.id === 'package' && !result!.todo
              ? 'troubleshooting#osls-package-errors'
              : `sessions/${id}#todo-${result!.todo}`,
          );
          expect(result!.hint, JSON.stringify(result)).toBeTruthy();
          if (mistake.expect.primary)
            expect(report.results.find((r) => r.status === 'fail')?.id).toBe(mistake.expect.check);
          if (mistake.expect.onlyTodo) {
            const elsewhere = report.results.filter(
              (r) => r.status === 'fail' && r.todo !== mistake.expect.onlyTodo,
            );
            expect(elsewhere, `every ✖ under TODO ${mistake.expect.onlyTodo}`).toEqual([]);
          }
        } finally {
          copy.remove();
        }
      });
    });
  });
}
