/**
 * The typical mistakes of session 6, as edits to the reference solution. Each must fail the
 * check with its own message: `check` is the failing check's id, `says` a piece of what it
 * says. test/checker/session-harness.ts runs every one of them.
 */
import type { Mistake } from '../../core/mistake.ts';

const ANALYSIS = 'state-machines/lab/analysis.ts';
const CULTURE = 'state-machines/lab/culture.ts';
const RETRY = "{ ErrorEquals: ['CultureContaminated'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }";
const ALERT = 'state-machines/lab/alert.ts';
const TOKEN_LINE = "            token: '{% $states.context.Task.Token %}',\n";

export const mistakes: Mistake[] = [
  {
    id: 'chain-result-path',
    what: "SequenceVirus's output kept aside (ResultPath)",
    edits: [
      {
        file: ANALYSIS,
        find: "Resource: { 'Fn::GetAtt': ['sequenceVirus', 'Arn'] },",
        replace: "Resource: { 'Fn::GetAtt': ['sequenceVirus', 'Arn'] },\n        ResultPath: '$.sequenced',",
      },
    ],
    expect: { check: 's6.chaining', says: 'with no genome' },
  },
  {
    id: 'choice-no-default',
    what: 'a last rule instead of a Default',
    edits: [
      {
        file: ANALYSIS,
        find: "          { Variable: '$.strength', NumericGreaterThanEquals: 40, Next: 'Treat' },\n",
        replace:
          "          { Variable: '$.strength', NumericGreaterThanEquals: 40, Next: 'Treat' },\n          { Variable: '$.strength', NumericLessThan: 40, Next: 'Release' },\n",
      },
      { file: ANALYSIS, find: "        Default: 'Release',\n", replace: '' },
    ],
    expect: { check: 's6.choice-default', says: 'HowStrong has no Default' },
  },
  {
    id: 'choice-order',
    what: 'the weaker rule first',
    edits: [
      {
        file: ANALYSIS,
        find: "NumericGreaterThanEquals: 70, Next: 'Quarantine'",
        replace: "NumericGreaterThanEquals: 40, Next: 'Treat'",
      },
      {
        file: ANALYSIS,
        find: "NumericGreaterThanEquals: 40, Next: 'Treat' },\n        ],",
        replace: "NumericGreaterThanEquals: 70, Next: 'Quarantine' },\n        ],",
      },
    ],
    expect: { check: 's6.branching', says: 'test ≥ 70 first' },
  },
  {
    id: 'choice-boundary',
    what: 'NumericGreaterThan instead of NumericGreaterThanEquals',
    edits: [{ file: ANALYSIS, find: 'NumericGreaterThanEquals: 70', replace: 'NumericGreaterThan: 70' }],
    expect: { check: 's6.branching', says: 'NumericGreaterThanEquals, not NumericGreaterThan' },
  },
  {
    id: 'treat-unreachable',
    what: 'HowStrong forgets Treat: a state nothing leads to',
    edits: [
      {
        file: ANALYSIS,
        find: "          { Variable: '$.strength', NumericGreaterThanEquals: 40, Next: 'Treat' },\n",
        replace: '',
      },
    ],
    // serverless-step-functions refuses the definition when packaging; the fix is TODO 2's Choice, not TODO 1's chain.
    expect: { check: 'package', says: "Nothing leads to Treat: HowStrong's Choices must name it" },
  },
  {
    id: 'no-backoff',
    what: 'BackoffRate 1: no backoff',
    edits: [{ file: CULTURE, find: RETRY, replace: RETRY.replace('BackoffRate: 2', 'BackoffRate: 1') }],
    expect: { check: 's6.retry', says: 'BackoffRate 1 keeps them equal' },
  },
  {
    id: 'interval-wrong',
    what: 'IntervalSeconds 1 instead of 2',
    edits: [
      { file: CULTURE, find: RETRY, replace: RETRY.replace('IntervalSeconds: 2', 'IntervalSeconds: 1') },
    ],
    expect: { check: 's6.retry', says: 'The first wait is IntervalSeconds: 2' },
  },
  {
    id: 'max-attempts',
    what: 'MaxAttempts 2: one retry too few',
    edits: [{ file: CULTURE, find: RETRY, replace: RETRY.replace('MaxAttempts: 3', 'MaxAttempts: 2') }],
    expect: { check: 's6.retry', says: 'MaxAttempts counts the retries' },
  },
  {
    id: 'retry-wrong-error',
    what: 'a Retry on an error the Lambda never throws',
    edits: [
      { file: CULTURE, find: RETRY, replace: RETRY.replace("['CultureContaminated']", "['Contaminated']") },
    ],
    expect: { check: 's6.retry', says: 'gave up after 1 attempt' },
  },
  {
    id: 'catch-wrong-error',
    what: 'a Catch that does not catch the culture error',
    edits: [
      {
        file: CULTURE,
        find: "Catch: [{ ErrorEquals: ['States.ALL'],",
        replace: "Catch: [{ ErrorEquals: ['States.Timeout'],",
      },
    ],
    expect: { check: 's6.catch', says: 'nothing caught it' },
  },
  {
    id: 'states-all-first',
    what: 'States.ALL first in the Catch list',
    edits: [
      {
        file: CULTURE,
        find: "Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'HasFrozenSample' }],",
        replace:
          "Catch: [\n          { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'HasFrozenSample' },\n          { ErrorEquals: ['CultureContaminated'], ResultPath: '$.error', Next: 'CultureFailed' },\n        ],",
      },
    ],
    // AWS refuses the definition at CreateStateMachine; so does the local cloud, in AWS's words.
    expect: {
      check: 'deploy',
      says: 'States.ALL must appear alone and at end of list at /States/GrowCulture/Catch[0]/ErrorEquals[0]',
    },
  },
  {
    id: 'catch-no-result-path',
    what: 'a Catch without ResultPath: the input is lost',
    edits: [
      {
        file: CULTURE,
        find: "ResultPath: '$.error', Next: 'HasFrozenSample'",
        replace: "Next: 'HasFrozenSample'",
      },
    ],
    expect: { check: 's6.catch', says: 'though it has a frozen sample' },
  },
  {
    id: 'fail-without-error',
    what: 'a Fail state without Error and Cause',
    edits: [
      {
        file: CULTURE,
        find: "        Error: 'Lab.CultureFailed',\n        Cause: 'The culture stayed contaminated after 4 attempts, and there is no frozen sample.',\n",
        replace: '',
      },
    ],
    expect: { check: 's6.fail', says: 'no Error' },
  },
  {
    id: 'stats-set',
    what: 'SET instead of ADD: the stats never count',
    edits: [
      {
        file: 'state-machines/lab/response.ts',
        find: "UpdateExpression: 'ADD responses :one'",
        replace: "UpdateExpression: 'SET responses = :one'",
      },
    ],
    expect: { check: 's6.parallel', says: 'count 1 responses' },
  },
  {
    id: 'map-unbounded',
    what: 'a Map without MaxConcurrency',
    edits: [{ file: 'state-machines/lab/wave.ts', find: '        MaxConcurrency: 3,\n', replace: '' }],
    expect: { check: 's6.map', says: '7 iterations ran at once' },
  },
  {
    id: 'token-not-passed',
    what: 'the task token not passed to requestApproval',
    edits: [{ file: ALERT, find: TOKEN_LINE, replace: '' }],
    expect: { check: 's6.approval', says: "token: '{% $states.context.Task.Token %}'" },
  },
  {
    id: 'silent-without-token',
    what: 'no token in the Payload, and a requestApproval that keeps quiet about it',
    edits: [
      { file: ALERT, find: TOKEN_LINE, replace: '' },
      {
        file: 'functions/requestApproval/handler.ts',
        find: '    throw new Error(\'No task token in the request: give AskForApproval the Payload field token: "{% $states.context.Task.Token %}".\');',
        replace: '    return { waiting: request.virusId };',
      },
    ],
    expect: {
      check: 's6.approval',
      says: "Add it to AskForApproval's Payload in state-machines/lab/alert.ts",
    },
  },
  {
    id: 'token-without-braces',
    what: 'the token expression without {% %}: a literal string in JSONata',
    edits: [
      {
        file: ALERT,
        find: TOKEN_LINE,
        replace: "            token: '$states.context.Task.Token',\n",
      },
    ],
    // AWS evaluates only {% %} strings: its own example keeps "not-evaluated": "$customerName" as text
    // (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html). SendTaskSuccess then refuses the text.
    expect: { check: 's6.approval', says: 'only a string wrapped in {% %} is evaluated' },
  },
  {
    id: 'jsonpath-inside-jsonata',
    what: 'a JSONPath path inside {% %}',
    edits: [
      {
        file: ALERT,
        find: "            virusId: '{% $states.input.virusId %}',\n",
        replace: "            virusId: '{% $.virusId %}',\n",
      },
    ],
    // The field is left out (engine/jsonata.ts, as AWS does), so requestApproval fails writing an item without its key.
    expect: { check: 's6.approval', says: "'$.virusId' is JSONPath: inside {% %} it selects nothing" },
  },
  {
    id: 'input-after-the-task',
    what: '$states.input read after the task has replaced it, instead of the variables',
    edits: [
      {
        file: ALERT,
        find: "Detail: { virusId: '{% $virusId %}', strength: '{% $strength %}' },",
        replace:
          "Detail: { virusId: '{% $states.input.virusId %}', strength: '{% $states.input.strength %}' },",
      },
    ],
    expect: { check: 's6.approval', says: 'Read the virus from the variables AskForApproval assigned' },
  },
  {
    id: 'result-path-in-jsonata',
    what: 'a JSONPath field (ResultPath) in a JSONata state',
    edits: [
      {
        file: ALERT,
        find: '        TimeoutSeconds: 3600,\n',
        replace: "        TimeoutSeconds: 3600,\n        ResultPath: '$.approval',\n",
      },
    ],
    // serverless-step-functions' validator refuses it when packaging (AWS would at CreateStateMachine): the hint gives AWS's words.
    expect: {
      check: 'package',
      says: "The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the 'JSONPath' QueryLanguage",
    },
  },
  {
    id: 'no-wait-for-token',
    what: 'lambda:invoke without .waitForTaskToken',
    edits: [
      {
        file: ALERT,
        find: "Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',",
        replace: "Resource: 'arn:aws:states:::lambda:invoke',",
      },
    ],
    expect: { check: 's6.approval', says: 'did not wait for an answer' },
  },
  {
    id: 'rejection-not-caught',
    what: 'a rejection that is not caught',
    edits: [
      {
        file: ALERT,
        find: "ErrorEquals: ['Rejected', 'States.Timeout']",
        replace: "ErrorEquals: ['States.Timeout']",
      },
    ],
    expect: { check: 's6.approval', says: 'A SendTaskFailure is an error like any other' },
  },
  {
    id: 'no-timeout',
    what: 'no TimeoutSeconds on the approval',
    edits: [{ file: ALERT, find: '        TimeoutSeconds: 3600,\n', replace: '' }],
    expect: { check: 's6.timeout', says: 'still waiting' },
  },
];

/** The TODOs the starter's failing checks must name (the starter is the first mistake of all). */
export const starterTodos = [1, 2, 3, 4, 5, 6, 8];
