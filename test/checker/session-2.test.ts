import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { runCheck } from '../../checker/core/pipeline.ts';
import { localTarget } from '../../checker/core/local-target.ts';
import session2 from '../../checker/sessions/session-2/index.ts';
import { mistakes } from '../../checker/sessions/session-2/mistakes.ts';
import { copyWithEdits } from '../support/service-copy.ts';

const check = (dir: string, seed = 7) => runCheck(session2, { dir, seed, targetKind: 'local', makeTarget: () => localTarget({ seed }) });
const SOLUTION = resolve('solutions/session-2');


describe('npm run check session-2', () => {
  it('passes the reference solution', async () => {
    const report = await check(SOLUTION);
    expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(report.ok).toBe(true);
    // A few dozen requests: a few seconds at most, whatever the machine.
  });

  it('fails the starter, pointing at its TODOs', async () => {
    const report = await check(resolve('sessions/session-2'));
    expect(report.ok).toBe(false);
    const failed = report.results.filter((r) => r.status === 'fail');
    expect(failed.map((r) => r.todo)).toEqual(expect.arrayContaining([1, 2, 3]));
    for (const r of failed.filter((f) => f.todo)) expect(r.docs).toBe(`sessions/session-2#todo-${r.todo}`);
  });

  it('without a trace (as on AWS), still says what is wrong', async () => {
    const mistake = mistakes.find((m) => m.id === 'no-catch')!;
    const copy = copyWithEdits(SOLUTION, mistake.edits);
    try {
      const report = await runCheck(session2, {
        dir: copy.dir,
        seed: 7,
        targetKind: 'local',
        makeTarget: async () => Object.assign(await localTarget({ seed: 7 }), { trace: undefined }),
      });
      const result = report.results.find((r) => r.id === 's2.delete-unknown');
      expect(result?.status).toBe('fail');
      expect(result?.hint).toContain('Is killVirus letting ConditionalCheckFailedException through?');
    } finally {
      copy.remove();
    }
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
