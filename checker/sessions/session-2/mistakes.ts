/**
 * The typical mistakes of session 2, as edits to the reference solution; each must fail
 * `check` with a message that contains `says`. test/checker/session-harness.ts runs them.
 */
import type { Mistake, TracelessMistake } from '../../core/mistake.ts';

const CONFIG = 'serverless.ts';
const KILL = 'functions/killVirus/handler.ts';
const CONDITION = "        ConditionExpression: 'attribute_exists(id)',\n";
const GUARD =
  "  if (!isVirusId(id)) {\n    return errorResponse(400, 'A virus id is a UUID, like 0b6a3c1e-5f7d-4e2a-9c1b-2d3e4f5a6b7c.');\n  }\n";

export const mistakes: Mistake[] = [
  {
    id: 'unawaited-delete',
    what: 'the DeleteItem not awaited: the 404 never comes, and on AWS the kill may never happen',
    edits: [
      {
        file: KILL,
        find: '    await ddb.send(\n      new DeleteCommand(',
        replace: '    ddb.send(\n      new DeleteCommand(',
      },
    ],
    expect: {
      check: 'unawaited',
      says: 'killVirus returned while its DynamoDB DeleteItem was still in flight: on AWS it may never run. Did you forget await at functions/killVirus/handler.ts:15?',
      primary: true,
    },
  },
  {
    id: 'delete-without-id',
    what: 'the kill route without its path parameter (DELETE /viruses)',
    edits: [{ file: CONFIG, find: "path: '/viruses/{id}'", replace: "path: '/viruses'" }],
    expect: { check: 's2.route-delete', says: 'Without {id} in the path' },
  },
  {
    id: 'delete-wrong-param',
    what: 'the path parameter named {virusId}',
    edits: [{ file: CONFIG, find: "path: '/viruses/{id}'", replace: "path: '/viruses/{virusId}'" }],
    expect: { check: 's2.route-delete', says: 'must be called {id}, not {virusId}' },
  },
  {
    id: 'delete-200',
    what: '200 instead of 204 for a kill',
    edits: [
      { file: KILL, find: '  return noContent();', replace: '  return json(200, { id });' },
      {
        file: KILL,
        find: 'import { errorResponse, noContent,',
        replace: 'import { errorResponse, json, noContent,',
      },
    ],
    expect: { check: 's2.delete', says: 'answered 200' },
  },
  {
    id: 'no-condition',
    what: 'no ConditionExpression: an unknown id answers 204',
    edits: [{ file: KILL, find: CONDITION, replace: '' }],
    expect: { check: 's2.delete-unknown', says: "Add ConditionExpression: 'attribute_exists(id)'" },
  },
  {
    id: 'condition-the-wrong-way',
    what: "ConditionExpression: 'attribute_not_exists(id)', which a missing virus passes",
    edits: [
      { file: KILL, find: CONDITION, replace: "        ConditionExpression: 'attribute_not_exists(id)',\n" },
    ],
    expect: {
      check: 's2.delete-unknown',
      says: "killVirus's DeleteCommand has ConditionExpression: 'attribute_not_exists(id)', which a missing virus passes",
    },
  },
  {
    id: 'catch-answers-204',
    what: 'the condition right, but its failure answered 204',
    edits: [
      {
        file: KILL,
        find: '      return errorResponse(404, `No virus ${id} on the board: already killed?`);',
        replace: '      return noContent();',
      },
    ],
    expect: { check: 's2.delete-unknown', says: 'The ConditionExpression is right' },
  },
  {
    id: 'no-catch',
    what: 'the ConditionalCheckFailedException not caught: 500 on an unknown id',
    edits: [
      {
        file: KILL,
        find: 'if (error instanceof ConditionalCheckFailedException) {',
        replace: 'if (error instanceof ConditionalCheckFailedException && Number.isNaN(0)) {',
      },
    ],
    expect: { check: 's2.delete-unknown', says: 'Catch that error' },
  },
  {
    id: 'no-id-check',
    what: 'the id not checked: 404 instead of 400, and a 500 for an id too long for DynamoDB',
    edits: [{ file: KILL, find: GUARD, replace: '  void isVirusId;\n' }],
    expect: { check: 's2.delete-invalid', says: 'The id went to DynamoDB as it was' },
  },
  {
    id: 'no-id-check-crash',
    what: 'the id not checked: a 500 for an id too long for DynamoDB',
    edits: [{ file: KILL, find: GUARD, replace: '  void isVirusId;\n' }],
    expect: { check: 's2.bad-input', says: 'DynamoDB refused the key as it came' },
  },
  {
    id: 'no-cors',
    what: 'CORS turned off',
    edits: [{ file: CONFIG, find: '    httpApi: {\n      cors: true,\n    },\n', replace: '' }],
    expect: { check: 's2.cors', says: 'Put httpApi: { cors: true } back under provider' },
  },
  {
    id: 'no-delete-permission',
    what: 'the DeleteItem permission missing',
    edits: [
      {
        file: CONFIG,
        find: "Action: ['dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:DeleteItem'],",
        replace: "Action: ['dynamodb:PutItem', 'dynamodb:Scan'],",
      },
    ],
    expect: { check: 's2.permission', says: 'no IAM statement allows dynamodb:DeleteItem' },
  },
  {
    id: 'no-delete-permission-denied',
    what: 'the DeleteItem permission missing: AccessDeniedException behind a 500',
    edits: [
      {
        file: CONFIG,
        find: "Action: ['dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:DeleteItem'],",
        replace: "Action: ['dynamodb:PutItem', 'dynamodb:Scan'],",
      },
    ],
    expect: { check: 's2.delete', says: "killVirus's role does not allow dynamodb:DeleteItem" },
  },
  {
    id: 'unsorted',
    what: 'the list sorted oldest first',
    edits: [
      {
        file: 'functions/listViruses/handler.ts',
        find: 'viruses: newestFirst(Items as Virus[])',
        replace: 'viruses: newestFirst(Items as Virus[]).reverse()',
      },
    ],
    expect: { check: 's2.list', says: 'sort them with newestFirst(Items)' },
  },
  {
    id: 'bare-array',
    what: 'the list answered as a bare array',
    edits: [
      {
        file: 'functions/listViruses/handler.ts',
        find: 'json(200, { viruses: newestFirst(Items as Virus[]) })',
        replace: 'json(200, newestFirst(Items as Virus[]))',
      },
    ],
    expect: { check: 's2.list', says: 'a bare array' },
  },
  {
    id: 'post-200',
    what: '200 instead of 201 for a spawn',
    edits: [
      { file: 'functions/spawnVirus/handler.ts', find: 'json(201, virus)', replace: 'json(200, virus)' },
    ],
    expect: { check: 's2.post', says: '201 Created: json(201, virus)' },
  },
];

/** The TODOs the starter's failing checks must name (the starter is the first mistake of all). */
export const starterTodos = [1, 2, 3];

/** Mistakes the check must still name without a trace, as on AWS. */
export const withoutTrace: TracelessMistake[] = [
  {
    mistake: 'no-catch',
    check: 's2.delete-unknown',
    hintSays: 'Is killVirus letting ConditionalCheckFailedException through?',
  },
];
