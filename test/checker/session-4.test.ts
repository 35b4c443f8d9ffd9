import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { runCheck } from '../../checker/core/pipeline.ts';
import { localTarget } from '../../checker/core/local-target.ts';
import session4 from '../../checker/sessions/session-4/index.ts';
import { mistakes } from '../../checker/sessions/session-4/mistakes.ts';
import { copyWithEdits } from '../support/service-copy.ts';

const check = (dir: string, seed = 7) => runCheck(session4, { dir, seed, targetKind: 'local', makeTarget: () => localTarget({ seed }) });

describe('npm run check session-4', () => {
  it('passes the reference solution', async () => {
    const report = await check(resolve('solutions/session-4'));
    expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('fails the starter, pointing at its TODOs', async () => {
    const report = await check(resolve('sessions/session-4'));
    expect(report.ok).toBe(false);
    const todos = report.results.filter((r) => r.status === 'fail').map((r) => r.todo);
    expect(todos).toEqual(expect.arrayContaining([1, 2, 3, 6, 7, 8]));
  });

  describe.each(mistakes)('catches $what', (mistake) => {
    it(`fails ${mistake.expect.check} saying "${mistake.expect.says}"`, async () => {
      const copy = copyWithEdits(resolve('solutions/session-4'), mistake.edits);
      try {
        const report = await check(copy.dir);
        expect(report.ok).toBe(false);
        const failed = report.results.find((r) => r.id === mistake.expect.check);
        expect(failed, `no result ${mistake.expect.check} in ${JSON.stringify(report.results.map((r) => [r.id, r.status]))}`).toBeDefined();
        expect(failed!.status).toBe('fail');
        expect(`${failed!.observed} ${failed!.hint}`).toContain(mistake.expect.says);
        if (mistake.expect.primary) expect(report.results.find((r) => r.status === 'fail')?.id).toBe(mistake.expect.check);
      } finally {
        copy.remove();
      }
    });
  });
});
