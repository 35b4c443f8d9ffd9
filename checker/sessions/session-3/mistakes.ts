/**
 * The typical mistakes of session 3, as edits to the reference solution; each must fail
 * `check` with a message that contains `says`. test/checker/session-harness.ts runs them.
 */
import type { Mistake, TracelessMistake } from '../../core/mistake.ts';

const CONFIG = 'serverless.ts';
const SCHEDULE = "      events: [{ schedule: 'rate(1 minute)' }],\n";
const schedule = (expr: string) => [
  { file: CONFIG, find: SCHEDULE, replace: `      events: [{ schedule: '${expr}' }],\n` },
];

const DISCONNECT = 'functions/disconnect/handler.ts';
const PUSH = 'functions/pushVirus/handler.ts';
/** pushVirus without its catch: a gone connection fails the whole batch. */
const goneCrashes = [
  {
    file: PUSH,
    find: '        if (!(error instanceof GoneException)) throw error;\n',
    replace: '        throw error;\n',
  },
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
  // The bonus part: the board over a WebSocket (TODOs 4 to 6).
  {
    id: 'no-disconnect-cleanup',
    what: 'no $disconnect cleanup, and a push that lets GoneException through',
    edits: [
      {
        file: DISCONNECT,
        find: `  await ddb.send(
    new DeleteCommand({
      TableName: connectionTableName(),
      Key: { connectionId: event.requestContext.connectionId },
    }),
  );
`,
        replace: "  console.log('disconnected', event.requestContext.connectionId);\n",
      },
      ...goneCrashes,
    ],
    expect: { check: 's3.ws-connections', says: '$disconnect did not delete it' },
  },
  {
    id: 'gone-crashes',
    what: 'a push that lets GoneException through',
    edits: goneCrashes,
    expect: { check: 's3.ws-gone', says: 'threw GoneException' },
  },
  {
    id: 'first-connection-only',
    what: 'pushing to the first connection only',
    edits: [{ file: PUSH, find: 'Items.map(', replace: 'Items.slice(0, 1).map(' }],
    expect: { check: 's3.ws-push', says: 'only 1 of the 2 connected boards' },
  },
  {
    id: 'endpoint-without-stage',
    what: 'the @connections endpoint without the stage',
    edits: [{ file: CONFIG, find: "'.amazonaws.com/${sls:stage}'", replace: "'.amazonaws.com'" }],
    expect: { check: 's3.ws-push', says: 'the stage (/local) is missing' },
  },
  {
    id: 'keys-only-stream',
    what: 'a KEYS_ONLY stream (no createdAt in an INSERT)',
    edits: [
      {
        file: 'resources/dynamodb.ts',
        find: "StreamViewType: 'NEW_IMAGE'",
        replace: "StreamViewType: 'KEYS_ONLY'",
      },
    ],
    expect: { check: 's3.stream', says: 'an INSERT record carries no NewImage' },
  },
  {
    id: 'no-disconnect-route',
    what: 'no $disconnect route',
    edits: [
      {
        file: CONFIG,
        find: "      events: [{ websocket: { route: '$disconnect' } }],\n",
        replace: '',
      },
    ],
    expect: { check: 's3.ws-routes', says: 'no $disconnect route' },
  },
];

/** The TODOs the starter's failing checks must name (the starter is the first mistake of all). */
export const starterTodos = [1, 2];

/** Mistakes the check must still name without a trace, as on AWS. */
export const withoutTrace: TracelessMistake[] = [
  { mistake: 'random-id', check: 's3.request-id', hintSays: 'Use newVirus(context.awsRequestId)' },
  { mistake: 'gone-crashes', check: 's3.ws-gone', hintSays: 'When PostToConnection throws GoneException' },
  { mistake: 'first-connection-only', check: 's3.ws-push', hintSays: 'Post to every item of the Scan' },
];
