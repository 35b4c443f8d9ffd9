import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { awsCheckLines, loadSession } from '../../checker/core/course.ts';
import type { Mistake } from '../../checker/core/mistake.ts';
import * as session5 from '../../checker/sessions/session-5/mistakes.ts';
import * as session6 from '../../checker/sessions/session-6/mistakes.ts';
import { copyWithEdits } from '../../checker/core/service-copy.ts';
import { checkAsOnAws } from './support.ts';

/**
 * The AWS configuration of the checks of sessions 5 and 6 (session.json's check.periods:
 * shorter periods, minutes.aws), run on the local cloud without its trace, as on AWS: the
 * reference solution passes, and the mistakes whose verdict depends on the periods (ticks,
 * Stops, a second Start, the approval's timeout) fail the same check with the same words.
 * Only the clock is the local cloud's; what AWS's real minutes would add is its latency.
 * Session 5 sees the ticks as on AWS: through the capture rule and queue its AWS
 * configuration adds to the stack (checker/core/bus-capture.ts), read with ReceiveMessage.
 */
const MAX_AWS_MINUTES = 15;

const cases: Array<{
  id: 'session-5' | 'session-6';
  mistakes: Mistake[];
  periodBound: string[];
}> = [
  {
    id: 'session-5',
    mistakes: session5.mistakes,
    periodBound: [
      'no-active-check',
      'restart-doubles',
      'cursor-not-advanced',
      'duration-units',
      'stop-wrong-id',
      // Part 2: the pending tick schedule a Stop leaves fires after it, at the shorter periods too.
      'stop-leaves-pending-tick',
    ],
  },
  {
    id: 'session-6',
    mistakes: session6.mistakes,
    periodBound: ['no-timeout', 'rejection-not-caught'],
  },
];

describe.each(cases)('the --aws configuration of $id', ({ id, mistakes, periodBound }) => {
  const solution = resolve('solutions', id);

  it(`watches at most ${MAX_AWS_MINUTES} real minutes, and says how it differs from the local check`, () => {
    const check = loadSession(resolve('.'), id)!.check;
    expect(check.minutes!.aws).toBeLessThanOrEqual(MAX_AWS_MINUTES);
    const [watch, ...shorter] = awsCheckLines(check);
    expect(watch).toContain(
      `watches ${check.minutes!.aws} real minutes on AWS (${check.minutes!.local} virtual minutes locally)`,
    );
    expect(shorter.length).toBe(check.periods.filter((p) => p.local !== p.aws).length);
    expect(shorter.length).toBeGreaterThan(0);
  });

  it('passes the reference solution', { timeout: 300_000 }, async () => {
    const report = await checkAsOnAws(id, solution);
    expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(report.minutes).toBeLessThanOrEqual(MAX_AWS_MINUTES);
  });

  describe.each(periodBound)('gives the local verdict for %s', (mistakeId) => {
    it('fails the same check, saying the same', { timeout: 300_000 }, async () => {
      const mistake = mistakes.find((m) => m.id === mistakeId);
      expect(mistake, `no mistake ${mistakeId} in the catalogue`).toBeDefined();
      const copy = copyWithEdits(solution, mistake!.edits);
      try {
        const report = await checkAsOnAws(id, copy.dir);
        const result = report.results.find((r) => r.id === mistake!.expect.check);
        expect(result?.status, JSON.stringify(report.results.filter((r) => r.status !== 'pass'))).toBe(
          'fail',
        );
        expect(`${result!.observed} ${result!.hint}`).toContain(mistake!.expect.says);
      } finally {
        copy.remove();
      }
    });
  });
});
