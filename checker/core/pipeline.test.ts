import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { SandboxPool } from '../../emulator/index.ts';
import { loadSessionCheck } from '../sessions/index.ts';
import { localTarget } from './local-target.ts';
import { runCheck, told } from './pipeline.ts';
import { fail, pass, skip } from './result.ts';
import type { SessionCheck } from './session-check.ts';

/** The part of a session check `told` reads: which TODO a check belongs to, and the TODOs' titles. */
const session = {
  id: 'session-6',
  todoOf: (id: string) => ({ 's6.approval': 8, 's6.chaining': 1 })[id],
  todoTitles: { 1: 'Chain the analysis', 8: 'Wait for a person: .waitForTaskToken' },
} as unknown as SessionCheck;

describe('told', () => {
  it('tells a check id a message mentions as its TODO and title', () => {
    const [, timeout] = told(session, [
      fail('s6.approval', 'Human in the loop', { todo: 8 }),
      skip('s6.timeout', 'An alert stands down', 'v1 did not wait at all: see s6.approval'),
    ]);
    expect(timeout.observed).toBe(
      'v1 did not wait at all: see TODO 8 (Wait for a person: .waitForTaskToken)',
    );
  });

  it('leaves alone what only looks like an id', () => {
    const [r] = told(session, [pass('s6.map', 'A wave', { observed: 'read from s3.amazonaws.com' })]);
    expect(r.observed).toBe('read from s3.amazonaws.com');
  });
});

/** A pool whose workers never start: a stand-in for a Node that will not start a worker thread. */
class RefusingPool extends SandboxPool {
  override take(): Promise<never> {
    return Promise.reject(new Error('the sandbox worker did not start (a stand-in failure)'));
  }
}

describe('a check the cloud stops while it watches', () => {
  it('ends in a verdict that names the failure and where the checker met it, after the teardown', async () => {
    // Every Invoke answers the local cloud's InternalFailure: session 4's first one is the
    // ChooseWaitTime draw, which used to end the check in an uncaught exception.
    const report = await runCheck(await loadSessionCheck('session-4'), {
      dir: resolve('solutions/session-4'),
      seed: 1,
      targetKind: 'local',
      makeTarget: () => localTarget({ seed: 1, sandboxPool: new RefusingPool() }),
    });
    expect(report.ok).toBe(false);
    const stopped = report.results.find((r) => r.id === 'observe');
    expect(stopped?.status).toBe('fail');
    expect(stopped?.observed).toMatch(
      /^The check stopped while watching your service: InternalFailure: The local cloud failed on this request: .*the sandbox worker did not start \(a stand-in failure\).* \(at checker\/sessions\/session-4\/observe\.ts:\d+\)$/,
    );
    expect(stopped?.hint).toMatch(
      /^The cloud answered one of the checker's own calls with an error, most likely not because of your code/,
    );
    expect(report.timings).toHaveProperty('teardown');
  });
});
