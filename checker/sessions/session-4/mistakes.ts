/**
 * The typical mistakes of session 4, as edits to the reference solution. Each must fail
 * the check with its own message: `check` is the failing check's id, `says` a piece of
 * what it says. The tests in test/checker/session-harness.ts run every one of them.
 */
import type { Mistake } from '../../core/mistake.ts';

const CHOOSE = 'functions/chooseWaitTime/handler.ts';
const DRAW = 'return 1 + Math.floor(Math.random() * 60);';

export const mistakes: Mistake[] = [
  {
    id: 'constant-wait',
    what: 'a constant wait',
    edits: [{ file: CHOOSE, find: DRAW, replace: 'return 30;' }],
    expect: { check: 's4.random', says: 'always returns 30' },
  },
  {
    id: 'zero-to-59',
    what: 'Math.floor(Math.random() * 60): 0 to 59',
    edits: [{ file: CHOOSE, find: DRAW, replace: 'return Math.floor(Math.random() * 60);' }],
    expect: { check: 's4.random', says: 'gives 0 to 59: add 1' },
  },
  // The biased draws (stats.ts and probe.ts derive why each one fails every time).
  {
    id: 'round-59',
    what: 'Math.round(Math.random() * 59) + 1: 1 and 60 half as likely',
    edits: [{ file: CHOOSE, find: DRAW, replace: 'return Math.round(Math.random() * 59) + 1;' }],
    expect: { check: 's4.random', says: 'too rarely: 1 and 60 (0.85% each)' },
  },
  {
    id: 'ceil-60',
    what: 'Math.ceil(Math.random() * 60): 0 when Math.random() gives 0',
    edits: [{ file: CHOOSE, find: DRAW, replace: 'return Math.ceil(Math.random() * 60);' }],
    expect: { check: 's4.random', says: 'for Math.random() = 0, chooseWaitTime chose 0' },
  },
  {
    id: 'round-60',
    what: 'Math.round(Math.random() * 60): 0 to 60',
    edits: [{ file: CHOOSE, find: DRAW, replace: 'return Math.round(Math.random() * 60);' }],
    expect: { check: 's4.random', says: 'values out of range: [0]' },
  },
  {
    id: 'floor-59',
    what: 'Math.floor(Math.random() * 59) + 1: never 60',
    edits: [{ file: CHOOSE, find: DRAW, replace: 'return Math.floor(Math.random() * 59) + 1;' }],
    expect: { check: 's4.random', says: 'too rarely: 60 (never)' },
  },
  {
    id: 'modulo-100',
    what: 'Math.floor(Math.random() * 100) % 60 + 1: 1 to 40 twice as likely',
    edits: [{ file: CHOOSE, find: DRAW, replace: 'return (Math.floor(Math.random() * 100) % 60) + 1;' }],
    expect: { check: 's4.random', says: 'too rarely: 41, 42, 43, … 60 (20 values) (1.00% each)' },
  },
  {
    id: 'round-59-crypto',
    what: 'the Math.round bias on crypto randomness: judged by statistics, as on AWS',
    edits: [
      {
        file: CHOOSE,
        find: DRAW,
        replace: 'return Math.round((crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32) * 59) + 1;',
      },
    ],
    expect: {
      check: 's4.random',
      says: 'came up too rarely (chooseWaitTime does not call Math.random: judged from 16000 draws)',
    },
  },
  {
    id: 'wait-as-string',
    what: 'the wait returned as a string',
    edits: [
      {
        file: CHOOSE,
        find: 'return { numberOfSeconds: chooseWaitTime() };',
        replace: 'return { numberOfSeconds: String(chooseWaitTime()) as unknown as number };',
      },
    ],
    expect: { check: 's4.random', says: 'a string' },
  },
  {
    id: 'wait-as-float',
    what: 'the wait returned as a float',
    edits: [{ file: CHOOSE, find: DRAW, replace: 'return 1 + Math.random() * 59;' }],
    expect: { check: 's4.random', says: 'not a whole number' },
  },
  {
    id: 'unawaited-put-events',
    what: 'the PutEvents not awaited in spreadVirus',
    edits: [
      {
        file: 'functions/spreadVirus/handler.ts',
        find: '= await eventBridge.send(',
        replace: '= eventBridge.send(',
      },
    ],
    expect: {
      check: 'unawaited',
      says: 'spreadVirus returned while its EventBridge PutEvents was still in flight: on AWS it may never run. Did you forget await at functions/spreadVirus/handler.ts:12?',
      primary: true,
    },
  },
  {
    id: 'one-event',
    what: 'one event instead of three',
    edits: [
      {
        file: 'functions/spreadVirus/handler.ts',
        find: 'VIRUSES_PER_SPREAD = 3',
        replace: 'VIRUSES_PER_SPREAD = 1',
      },
    ],
    expect: { check: 's4.spread', says: 'one event instead of three' },
  },
  {
    id: 'default-bus',
    what: 'events put on the default bus',
    edits: [{ file: 'lib/eventbridge.ts', find: '    EventBusName: busName,\n', replace: '' }],
    expect: { check: 's4.spread', says: 'default bus' },
  },
  {
    id: 'detail-type-typo',
    what: "a typo in the rule's detail-type",
    edits: [
      {
        file: 'state-machines/virusCreation.ts',
        find: "'detail-type': ['VIRUS_CREATION_REQUESTED']",
        replace: "'detail-type': ['VIRUS_CREATION_REQUSTED']",
      },
    ],
    expect: { check: 's4.rule', says: 'detail-type ["VIRUS_CREATION_REQUSTED"]' },
  },
  {
    id: 'fixed-seconds',
    what: 'Seconds: 30 instead of SecondsPath',
    edits: [
      {
        file: 'state-machines/virusCreation.ts',
        find: "SecondsPath: '$.numberOfSeconds',",
        replace: 'Seconds: 30,',
      },
    ],
    expect: { check: 's4.states', says: 'fixed Seconds: 30' },
  },
  {
    id: 'sleep-in-lambda',
    what: 'waiting inside a Lambda with setTimeout',
    edits: [
      {
        file: CHOOSE,
        find: 'return { numberOfSeconds: chooseWaitTime() };',
        replace:
          'const n = chooseWaitTime();\n  await new Promise((resolve) => setTimeout(resolve, n * 1000));\n  return { numberOfSeconds: n };',
      },
    ],
    expect: { check: 's4.waits', says: 'Remove the setTimeout' },
  },
  {
    id: 'old-schedule',
    what: 'the old createVirus schedule still on',
    edits: [
      {
        file: 'serverless.ts',
        find: "      handler: 'functions/createVirus/handler.main',\n",
        replace:
          "      handler: 'functions/createVirus/handler.main',\n      events: [{ schedule: 'rate(1 minute)' }],\n",
      },
    ],
    expect: { check: 's4.old-schedule', says: 'createVirus still runs on' },
  },
  {
    id: 'no-put-events-permission',
    what: 'the PutEvents permission missing',
    edits: [
      {
        file: 'serverless.ts',
        find: "            Action: ['events:PutEvents'],\n",
        replace: "            Action: ['events:DescribeEventBus'],\n",
      },
    ],
    expect: { check: 's4.permission', says: 'no IAM statement allows events:PutEvents' },
  },
  {
    id: 'invalid-state-machine',
    what: 'a state machine that does not validate',
    edits: [
      { file: 'state-machines/virusCreation.ts', find: "Next: 'WaitXSeconds'", replace: "Next: 'WaitForIt'" },
    ],
    expect: { check: 'package', says: "Missing 'StartAt'|'Next'|'Default' target: WaitForIt" },
  },
];

/** The TODOs the starter's failing checks must name (the starter is the first mistake of all). */
export const starterTodos = [1, 2, 3, 6, 7, 8];
