/** session.json's parts: a session in two parts or more, each from its first TODO. */
import { describe, expect, it } from 'vitest';
import { SessionFileError, validateSession } from './course.ts';

const todo = (n: number) => ({
  n,
  file: 'a.ts',
  title: `TODO ${n}`,
  explain: 'Do it.',
  hints: ['Like this.'],
});
const session = (parts: unknown) => ({
  id: 'session-9',
  number: 9,
  title: 'A session',
  summary: 'x',
  goals: ['Learn'],
  todos: [todo(1), todo(2), todo(3)],
  check: { command: 'npm run check session-9', expects: ['it works'] },
  ...(parts === undefined ? {} : { parts }),
});

function problems(parts: unknown): string[] {
  try {
    validateSession(session(parts), { id: 'session-9' });
    return [];
  } catch (err) {
    return (err as SessionFileError).problems;
  }
}

const part = (from: unknown, title = `From ${String(from)}`) => ({ from, title, summary: 'What it builds.' });

describe('parts', () => {
  it('reads the parts of a session, each from its first TODO', () => {
    const { parts } = validateSession(session([part(1, 'Step Functions'), part(3, 'Scheduler')]));
    expect(parts).toEqual([
      { from: 1, title: 'Step Functions', summary: 'What it builds.' },
      { from: 3, title: 'Scheduler', summary: 'What it builds.' },
    ]);
  });

  it('takes a session without parts as one part', () => {
    expect(validateSession(session(undefined)).parts).toEqual([]);
  });

  it.each([
    [
      'a first part after TODO 1',
      [part(2), part(3)],
      'parts[0].from must be 1: the first part starts at TODO 1',
    ],
    [
      'parts out of order',
      [part(1), part(3), part(2)],
      'parts[2].from must be a TODO number after 3 and at most 3, found 2',
    ],
    [
      'a part past the last TODO',
      [part(1), part(4)],
      'parts[1].from must be a TODO number after 1 and at most 3, found 4',
    ],
    [
      'a part without a title',
      [part(1), { from: 2, summary: 'x' }],
      'parts[1].title must be a non-empty string',
    ],
    ['one part only', [part(1)], 'parts must be an array of two or more'],
  ])('refuses %s, saying where', (_what, parts, message) => {
    expect(problems(parts).join('\n')).toContain(message);
  });
});
