/**
 * The typical mistakes of session 3, as edits to the reference solution; each must fail
 * `check` with a message that contains `says`. test/checker/sessions.test.ts runs them.
 */
import type { Mistake, TracelessMistake } from '../../core/mistake.ts';

const CONFIG = 'serverless.ts';
const SCHEDULE = "      events: [{ schedule: 'rate(1 minute)' }],\n";
const schedule = (expr: string) => [
  { file: CONFIG, find: SCHEDULE, replace: `      events: [{ schedule: '${expr}' }],\n` },
];

export const mistakes: Mistake[] = [
  {
    id: 'rate-1-minutes',
    what: 'rate(1 minutes): the plural for 1',
    edits: schedule('rate(1 minutes)'),
    // osls refuses it while packaging (its schema has EventBridge's pattern).
    expect: {
      check: 'package',
      says: 'rate(1 minutes): the unit is singular for 1: rate(1 minute), not rate(1 minutes)',
    },
  },
  {
    id: 'five-field-cron',
    what: 'a five-field (Unix) cron',
    edits: schedule('cron(0/1 * * * ?)'),
    // osls refuses it while packaging; the hint names the rule the expression breaks.
    expect: {
      check: 'package',
      says: "AWS's cron has six fields (minutes hours day-of-month month day-of-week year): you wrote five",
    },
  },
  {
    id: 'random-id',
    what: 'a random id instead of the request id',
    edits: [
      {
        file: 'functions/createVirus/handler.ts',
        find: 'newVirus(context.awsRequestId)',
        replace: 'newVirus()',
      },
    ],
    expect: { check: 's3.request-id', says: 'Use newVirus(context.awsRequestId)' },
  },
  {
    id: 'every-5-minutes',
    what: 'rate(5 minutes)',
    edits: schedule('rate(5 minutes)'),
    expect: { check: 's3.schedule', says: 'createVirus runs every 5 minutes' },
  },
  {
    id: 'wrong-function',
    what: 'the schedule on spawnVirus instead of createVirus',
    edits: [
      { file: CONFIG, find: SCHEDULE, replace: '' },
      {
        file: CONFIG,
        find: "      events: [{ httpApi: { method: 'POST', path: '/viruses' } }],\n",
        replace: `      events: [{ httpApi: { method: 'POST', path: '/viruses' } }, { schedule: 'rate(1 minute)' }],\n`,
      },
    ],
    expect: { check: 's3.schedule', says: 'is on spawnVirus, not on createVirus' },
  },
  {
    id: 'disabled',
    what: 'the schedule turned off (enabled: false)',
    edits: [
      {
        file: CONFIG,
        find: SCHEDULE,
        replace: "      events: [{ schedule: { rate: ['rate(1 minute)'], enabled: false } }],\n",
      },
    ],
    expect: { check: 's3.target', says: 'it never fires' },
  },
  {
    id: 'cron-both-days',
    what: 'a cron with * in both day fields',
    edits: schedule('cron(* * * * * *)'),
    expect: { check: 's3.expression', says: 'day-of-month and day-of-week must be ?' },
  },
  {
    id: 'cron-hourly',
    what: 'a cron that fires once an hour',
    edits: schedule('cron(0 * * * ? *)'),
    expect: { check: 's3.schedule', says: 'createVirus runs once an hour' },
  },
  {
    id: 'two-schedules',
    what: 'the rate and the cron both switched on',
    edits: schedule("rate(1 minute)' }, { schedule: 'cron(* * * * ? *)"),
    expect: { check: 's3.schedule', says: 'createVirus has 2 schedules' },
  },
];

/** The TODOs the starter's failing checks must name (the starter is the first mistake of all). */
export const starterTodos = [1, 2];

/** Mistakes the check must still name without a trace, as on AWS. */
export const withoutTrace: TracelessMistake[] = [
  { mistake: 'random-id', check: 's3.request-id', hintSays: 'Use newVirus(context.awsRequestId)' },
];
