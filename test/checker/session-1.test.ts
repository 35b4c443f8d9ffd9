import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { runCheck } from '../../checker/core/pipeline.ts';
import { localTarget } from '../../checker/core/local-target.ts';
import session1 from '../../checker/sessions/session-1/index.ts';
import { mistakes } from '../../checker/sessions/session-1/mistakes.ts';
import { copyWithEdits } from '../support/service-copy.ts';

const check = (dir: string, seed = 7) => runCheck(session1, { dir, seed, targetKind: 'local', makeTarget: () => localTarget({ seed }) });
const SOLUTION = resolve('solutions/session-1');


describe('npm run check session-1', () => {
  it('passes the reference solution', async () => {
    const report = await check(SOLUTION);
    expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('fails the starter, pointing at its TODOs', async () => {
    const report = await check(resolve('sessions/session-1'));
    expect(report.ok).toBe(false);
    const failed = report.results.filter((r) => r.status === 'fail');
    expect(failed.map((r) => r.todo)).toEqual(expect.arrayContaining([1, 2, 3]));
    for (const r of failed.filter((f) => f.todo)) expect(r.docs).toBe(`sessions/session-1#todo-${r.todo}`);
  });

  describe.each(mistakes)('catches $what', (mistake) => {
    const status = mistake.expect.status ?? 'fail';
    it(`${status === 'fail' ? 'fails' : 'warns on'} ${mistake.expect.check} saying "${mistake.expect.says}"`, async () => {
      const copy = copyWithEdits(SOLUTION, mistake.edits);
      try {
        const report = await check(copy.dir);
        expect(report.ok).toBe(status !== 'fail');
        const result = report.results.find((r) => r.id === mistake.expect.check);
        expect(result, `no result ${mistake.expect.check} in ${JSON.stringify(report.results.map((r) => [r.id, r.status]))}`).toBeDefined();
        expect(result!.status, JSON.stringify(result)).toBe(status);
        expect(`${result!.observed} ${result!.hint}`).toContain(mistake.expect.says);
        expect(result!.todo).toBeGreaterThan(0);
        if (mistake.expect.primary) expect(report.results.find((r) => r.status === 'fail')?.id).toBe(mistake.expect.check);
      } finally {
        copy.remove();
      }
    });
  });
});
