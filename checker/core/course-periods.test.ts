import { describe, expect, it } from 'vitest';
import { awsCheckLines, periodsFor, SessionFileError, validateSession } from './course.ts';

/** session.json's check.periods: the local and AWS values of a check, read and told. */
const session = (periods: unknown) => ({
  id: 'session-9',
  number: 9,
  title: 'A session',
  summary: 'x',
  goals: ['Learn'],
  concepts: ['lambda'],
  todos: [{ n: 1, file: 'a.ts', title: 'A TODO', explain: 'Do it.', hints: ['Like this.'] }],
  check: {
    command: 'npm run check session-9',
    expects: ['it works'],
    minutes: { local: 60, aws: 10 },
    periods,
  },
});

function problems(periods: unknown): string[] {
  try {
    validateSession(session(periods), { id: 'session-9' });
    return [];
  } catch (err) {
    return (err as SessionFileError).problems;
  }
}

describe('check.periods', () => {
  const timeout = {
    name: 'timeout',
    what: "Ask's TimeoutSeconds",
    local: 3600,
    aws: 300,
    unit: 's',
    deploys: { state: 'Ask', field: 'TimeoutSeconds' },
  };

  it('gives each profile its values, and the learner the lines an --aws check prints', () => {
    const { check } = validateSession(
      session([timeout, { name: 'cron', what: 'the schedule', local: '*/5 * * * *', aws: '*/2 * * * *' }]),
      { id: 'session-9' },
    );
    expect(periodsFor(check, 'local')).toEqual({ timeout: 3600, cron: '*/5 * * * *' });
    expect(periodsFor(check, 'aws')).toEqual({ timeout: 300, cron: '*/2 * * * *' });
    expect(awsCheckLines(check)).toEqual([
      'watches 10 real minutes on AWS (60 virtual minutes locally), in a check-only configuration with the same verdicts:',
      "Ask's TimeoutSeconds: 300 s instead of 3600 s (deployed so for the check only: your TimeoutSeconds stays as you wrote it)",
      'the schedule: "*/2 * * * *" instead of "*/5 * * * *"',
    ]);
  });

  it('says so when the AWS check is the local one', () => {
    const { check } = validateSession(session(undefined), { id: 'session-9' });
    expect(awsCheckLines(check)).toEqual(['watches 10 real minutes on AWS (60 virtual minutes locally)']);
  });

  it('refuses what a scenario could not read, naming the period and the fix', () => {
    expect(problems({})).toEqual(['check.periods must be a list of { "name", "what", "local", "aws" }']);
    expect(problems([{ ...timeout, aws: '300' }])).toEqual([
      'check.periods[0] (timeout): "aws" must be a positive number, like "local"',
    ]);
    expect(problems([timeout, timeout])).toEqual(['check.periods[1] (timeout): the name is used twice']);
    expect(problems([{ ...timeout, unit: 'hours' }])).toEqual([
      'check.periods[0] (timeout): "unit" is "s" or "min", for a number',
    ]);
    expect(problems([{ ...timeout, deploys: { state: 'Ask' } }])).toEqual([
      'check.periods[0] (timeout): "deploys" must be { "state": "StateName", "field": "FieldName" }',
    ]);
  });
});
