/**
 * The typical mistakes of session 5, as edits to the reference solution. Each must fail the
 * check with its own message: `check` is the failing check's id, `says` a piece of what it
 * says. test/checker/session-harness.ts runs every one of them.
 */
import type { Mistake } from '../../core/mistake.ts';

const MACHINE = 'state-machines/scheduler.ts';

/** GetSchedule and IsStillActive, as the solution writes them. */
const GET_AND_CHECK = [
  '      GetSchedule: {\n',
  "        Type: 'Task',\n",
  '        // Straight to DynamoDB, no Lambda in between.\n',
  "        Resource: 'arn:aws:states:::dynamodb:getItem',\n",
  '        Parameters: {\n',
  "          TableName: { Ref: 'ScheduleTable' },\n",
  "          Key: { id: { 'S.$': '$.id' } },\n",
  '          // A Stop a moment ago must be seen.\n',
  '          ConsistentRead: true,\n',
  '        },\n',
  "        ResultPath: '$.current',\n",
  "        Next: 'IsStillActive',\n",
  '      },\n',
  '      IsStillActive: {\n',
  "        Type: 'Choice',\n",
  '        // Rules are tried in order: the token is compared only when there is an item.\n',
  '        Choices: [\n',
  '          // Stopped: stopSchedule deleted it (GetItem then answers without an Item).\n',
  "          { Not: { Variable: '$.current.Item', IsPresent: true }, Next: 'Stopped' },\n",
  '          // Still ours: the token of the Start that began this loop.\n',
  "          { Variable: '$.current.Item.token.S', StringEqualsPath: '$.token', Next: 'SendTick' },\n",
  '        ],\n',
  '        // Another Start with the same id replaced it: its own loop ticks now.\n',
  "        Default: 'Stopped',\n",
  '      },\n',
].join('');

export const mistakes: Mistake[] = [
  {
    id: 'wait-seconds',
    what: 'a Wait of fixed Seconds instead of TimestampPath',
    edits: [{ file: MACHINE, find: "TimestampPath: '$.next.at',", replace: 'Seconds: 300,' }],
    expect: { check: 's5.wait', says: 'a fixed Seconds: 300' },
  },
  {
    id: 'timestamp-for-timestamp-path',
    what: "Timestamp: '$.next.at' where TimestampPath is meant",
    edits: [{ file: MACHINE, find: "TimestampPath: '$.next.at',", replace: "Timestamp: '$.next.at'," }],
    // serverless-step-functions refuses it when packaging, with a schema error that names the field.
    expect: {
      check: 'package',
      says: "WaitUntilNext's Timestamp must be a fixed time such as '2026-11-23T10:00:00Z'; a time read from the input ($.next.at) is TimestampPath: '$.next.at'.",
    },
  },
  {
    id: 'no-active-check',
    what: 'no check of the table before each tick',
    edits: [
      {
        file: MACHINE,
        find: "        TimestampPath: '$.next.at',\n        Next: 'GetSchedule',",
        replace: "        TimestampPath: '$.next.at',\n        Next: 'SendTick',",
      },
      { file: MACHINE, find: GET_AND_CHECK, replace: '' },
      { file: MACHINE, find: "      Stopped: { Type: 'Succeed' },\n", replace: '' },
    ],
    expect: { check: 's5.stop', says: 'though it is gone from the schedule table' },
  },
  {
    id: 'restart-doubles',
    what: 'no token comparison: a second Start doubles the ticks',
    edits: [
      {
        file: MACHINE,
        find: "{ Variable: '$.current.Item.token.S', StringEqualsPath: '$.token', Next: 'SendTick' }",
        replace: "{ Variable: '$.current.Item', IsPresent: true, Next: 'SendTick' }",
      },
    ],
    expect: { check: 's5.restart', says: 'the first loop' },
  },
  {
    id: 'limit-off-by-one',
    what: 'the limit compared with ≥: one tick too few',
    edits: [
      {
        file: MACHINE,
        find: "NumericGreaterThanPath: '$.limit'",
        replace: "NumericGreaterThanEqualsPath: '$.limit'",
      },
    ],
    expect: { check: 's5.limit', says: 'one too few' },
  },
  {
    id: 'cursor-not-advanced',
    what: 'NextTime always counts from the Start',
    edits: [
      {
        file: 'functions/nextTime/handler.ts',
        find: 'const after = new Date(state.next?.at ?? state.startedAt);',
        replace: 'const after = new Date(state.startedAt);',
      },
    ],
    expect: { check: 's5.cron', says: 'the loop does not wait' },
  },
  {
    id: 'next-from-now',
    what: 'NextTime counts from now, not from the tick before',
    edits: [
      {
        file: 'functions/nextTime/handler.ts',
        find: 'const after = new Date(state.next?.at ?? state.startedAt);',
        replace: 'const after = new Date();',
      },
    ],
    expect: { check: 's5.next-tick', says: 'a time counted from now' },
  },
  {
    id: 'no-start-execution',
    what: 'startSchedule not allowed states:StartExecution',
    edits: [
      {
        file: 'serverless.ts',
        find: "Action: ['states:StartExecution'],",
        replace: "Action: ['states:DescribeExecution'],",
      },
    ],
    expect: { check: 's5.cron', says: 'is not authorized to perform: states:StartExecution', onlyTodo: 10 },
  },
  {
    id: 'duration-units',
    what: 'minutes counted in seconds, not milliseconds',
    edits: [{ file: 'lib/schedule.ts', find: 'm: 60_000', replace: 'm: 60' }],
    expect: { check: 's5.duration', says: 'parseDuration gives milliseconds' },
  },
  {
    id: 'crash-on-bad-start',
    what: 'startSchedule throws on a bad Start instead of refusing it',
    edits: [
      {
        file: 'functions/startSchedule/handler.ts',
        find: '    if (!(error instanceof ScheduleError)) throw error;\n',
        replace: '    throw error;\n',
      },
    ],
    expect: { check: 's5.invalid', says: 'startSchedule failed' },
  },
  {
    id: 'six-fields-accepted',
    what: 'no five-field check: an AWS-style cron is misread',
    edits: [
      {
        file: 'lib/schedule.ts',
        find: '  if (fields.length !== 5) {',
        replace: '  if (fields.length > 6) {',
      },
    ],
    expect: { check: 's5.invalid', says: "AWS's six-field cron" },
  },
  {
    id: 'stop-wrong-id',
    what: "stopSchedule deletes the event's id, not the schedule's",
    edits: [
      {
        file: 'functions/stopSchedule/handler.ts',
        find: 'const id = requestedId(event.detail);',
        replace: 'const id = event.id;',
      },
    ],
    expect: { check: 's5.stop', says: 'still in the schedule table' },
  },
  {
    id: 'wave-on-every-tick',
    what: 'the wave rule without the prefix filter',
    edits: [
      {
        file: 'serverless.ts',
        find: "              detail: { id: [{ prefix: 'outbreak:' }] },\n",
        replace: '',
      },
    ],
    expect: { check: 's5.wave-rule', says: 'also matches the ticks of "test:duration-5m"' },
  },
  {
    id: 'wave-exact-match',
    what: "the wave rule matching the id 'outbreak:' exactly",
    edits: [
      {
        file: 'serverless.ts',
        find: "detail: { id: [{ prefix: 'outbreak:' }] }",
        replace: "detail: { id: ['outbreak:'] }",
      },
    ],
    expect: { check: 's5.wave-rule', says: 'does not match a tick of "outbreak:every-5"' },
  },
  // Part 2: the same contract met with EventBridge Scheduler one-time schedules.
  {
    id: 'schedules-pile-up',
    what: 'tick schedules without ActionAfterCompletion: they pile up',
    edits: [
      {
        file: 'lib/scheduler.ts',
        find: "    // A one-time schedule is kept after it fires unless told otherwise: delete it, or they pile up.\n    ActionAfterCompletion: 'DELETE',\n",
        replace: '',
      },
    ],
    expect: { check: 's5.scheduler-cleanup', says: "unless it says ActionAfterCompletion: 'DELETE'" },
  },
  {
    id: 'at-in-local-time',
    what: 'a local time (Paris) in at(), with no ScheduleExpressionTimezone',
    edits: [
      {
        file: 'lib/scheduler.ts',
        find: 'return `at(${new Date(time).toISOString().slice(0, 19)})`;',
        replace:
          "return `at(${new Date(time).toLocaleString('sv-SE', { timeZone: 'Europe/Paris' }).replace(' ', 'T')})`;",
      },
      { file: 'lib/scheduler.ts', find: "    ScheduleExpressionTimezone: 'UTC',\n", replace: '' },
    ],
    expect: { check: 's5.scheduler-time', says: 'a time written in one zone, read in another' },
  },
  {
    id: 'stop-leaves-pending-tick',
    what: 'a Stop that deletes the item but leaves the pending tick schedule',
    edits: [
      {
        file: 'functions/stopSchedule/handler.ts',
        find: "  if (Item?.via === 'scheduler') await cancelTicks(Item.token);\n",
        replace: '',
      },
    ],
    expect: {
      check: 's5.scheduler-stop',
      says: "stopSchedule deletes the schedule's pending tick schedule too",
    },
  },
  {
    id: 'tick-role-wrong-bus',
    what: "Scheduler's role allowed to put events on the default bus, not on DojoEventBus",
    edits: [
      {
        file: 'resources/scheduler.ts',
        find: "Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': ['DojoEventBus', 'Arn'] } }],",
        replace:
          "Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::Sub': 'arn:aws:events:${AWS::Region}:${AWS::AccountId}:event-bus/default' } }],",
      },
    ],
    expect: { check: 's5.scheduler-cron', says: 'the role does not allow events:PutEvents', onlyTodo: 17 },
  },
  {
    id: 'no-pass-role',
    what: 'the functions not allowed to pass TickSchedulerRole to Scheduler',
    edits: [
      {
        file: 'serverless.ts',
        find: "            Action: ['iam:PassRole'],",
        replace: "            Action: ['iam:GetRole'],",
      },
    ],
    expect: { check: 's5.scheduler-cron', says: 'iam:PassRole', onlyTodo: 18 },
  },
];

/** The TODOs the starter's failing checks must name (the starter is the first mistake of all). */
export const starterTodos = [1, 7, 10, 11, 17, 18];
