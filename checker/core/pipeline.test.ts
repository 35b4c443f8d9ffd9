import { describe, expect, it } from 'vitest';
import { told } from './pipeline.ts';
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
