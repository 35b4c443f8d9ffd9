/**
 * The one harness of every session's check, driven by its catalogue
 * (`checker/sessions/session-N/mistakes.ts`): the solution passes, the starter fails under its
 * TODOs, every mistake fails (or warns) its check with its own words, under a TODO and that
 * TODO's guide section, and the traceless ones still name the fix as on AWS.
 *
 * Each `session-N.part-K.test.ts` calls `describeSessionCheck('session-N', catalogue, import.meta.url)`:
 * every case is a full check (package, deploy, observe), a session has twenty or more, and one
 * file runs in one worker, so a session's cases are dealt round its part files, and vitest runs
 * the parts side by side. The files are the only list of parts: a new part is a new file.
 * `npx vitest run test/checker/session-4` runs every part of session 4.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Mistake, TracelessMistake } from '../../checker/core/mistake.ts';
import { localTarget } from '../../checker/core/local-target.ts';
import { runCheck } from '../../checker/core/pipeline.ts';
import { loadSessionCheck } from '../../checker/sessions/index.ts';
import { copyWithEdits } from '../../checker/core/service-copy.ts';

export interface Catalogue {
  mistakes: Mistake[];
  starterTodos: number[];
  withoutTrace?: TracelessMistake[];
}

/** Real ms one check may take, for the sessions whose check watches more than the default allows. */
const TIMEOUT_MS: Record<string, number> = {
  // The bonus part adds WebSocket clients and the cold starts of three functions to each check.
  'session-3': 150_000,
  // Each check deploys and watches 80 virtual minutes of both designs of the scheduler (part 1's
  // state machine and part 2's one-time schedules): about a minute of real time on a busy machine.
  'session-5': 180_000,
};

/** Which part a file is (from its name, `session-N.part-K.test.ts`) and how many part files its session has. */
function partOf(id: string, fileUrl: string): { part: number; of: number } {
  const file = fileURLToPath(fileUrl);
  const part = Number(new RegExp(`^${id}\\.part-(\\d+)\\.test\\.ts$`).exec(basename(file))?.[1]);
  if (!part) throw new Error(`${file}: a session's check file is named ${id}.part-<n>.test.ts`);
  const parts = readdirSync(dirname(file)).filter(
    (f) => f.startsWith(`${id}.part-`) && f.endsWith('.test.ts'),
  );
  return { part, of: parts.length };
}

export function describeSessionCheck(
  id: string,
  { mistakes, starterTodos, withoutTrace = [] }: Catalogue,
  fileUrl: string,
): void {
  const { part, of } = partOf(id, fileUrl);
  // Dealt in the order the cases are declared (the solution, the starter, the traceless cases,
  // the mistakes): neighbours in a catalogue often edit the same thing, so each part gets a mix.
  const mine = (index: number) => index % of === part - 1;
  const itMine = (index: number, name: string, fn: () => Promise<void>) => {
    if (mine(index)) it(name, fn);
  };
  const myTraceless = withoutTrace.filter((_, i) => mine(2 + i));
  const myMistakes = mistakes.filter((_, i) => mine(2 + withoutTrace.length + i));
  const solution = resolve('solutions', id);
  const check = async (dir: string, { seed = 7, trace = true } = {}) =>
    runCheck(await loadSessionCheck(id), {
      dir,
      seed,
      targetKind: 'local',
      makeTarget: async () =>
        trace ? localTarget({ seed }) : Object.assign(await localTarget({ seed }), { trace: undefined }),
    });

  describe(
    `npm run check ${id}${of > 1 ? ` (part ${part} of ${of})` : ''}`,
    { timeout: TIMEOUT_MS[id] },
    () => {
      // Case i runs in part (i mod of) + 1: the parts must be numbered 1 to `of`, or cases are lost.
      if (part === 1)
        it(`has its parts numbered 1 to ${of}`, () => {
          const files = readdirSync(dirname(fileURLToPath(fileUrl))).filter((f) => f.startsWith(`${id}.`));
          expect(files.sort()).toEqual(
            Array.from({ length: of }, (_, k) => `${id}.part-${k + 1}.test.ts`).sort(),
          );
        });

      itMine(0, 'passes the reference solution', async () => {
        const report = await check(solution);
        expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
        expect(report.ok).toBe(true);
      });

      itMine(1, 'fails the starter, pointing at its TODOs and their sections of the guide', async () => {
        const report = await check(resolve('sessions', id));
        expect(report.ok).toBe(false);
        const failed = report.results.filter((r) => r.status === 'fail');
        expect(failed.map((r) => r.todo)).toEqual(expect.arrayContaining(starterTodos));
        for (const r of failed.filter((f) => f.todo)) expect(r.docs).toBe(`sessions/${id}#todo-${r.todo}`);
      });

      if (myTraceless.length)
        describe.each(myTraceless)(
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

      if (myMistakes.length)
        describe.each(myMistakes)('catches $what', (mistake) => {
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
    },
  );
}
