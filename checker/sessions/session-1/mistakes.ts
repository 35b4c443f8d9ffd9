/**
 * The typical mistakes of session 1, as edits to the reference solution. Each must give
 * its check (`check`) the status `status` (✖ unless said otherwise) with a message that
 * contains `says`. test/checker/session-harness.ts runs every one of them.
 */
import type { Mistake } from '../../core/mistake.ts';

const CONFIG = 'serverless.ts';
const VIRUS = 'lib/virus.ts';
const TABLE_ARN = "Resource: { 'Fn::GetAtt': ['VirusTable', 'Arn'] },";
const NEW_VIRUS = 'return { id: randomUUID(), createdAt: new Date().toISOString() };';

export const mistakes: Mistake[] = [
  {
    id: 'permission-wrong-table',
    what: 'PutItem allowed on another table',
    edits: [
      {
        file: CONFIG,
        find: TABLE_ARN,
        replace: "Resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/viruses',",
      },
    ],
    expect: { check: 's1.permission', says: 'not on the virus table' },
  },
  {
    id: 'permission-ref',
    what: "the table's name (Ref) where IAM wants its ARN",
    edits: [{ file: CONFIG, find: TABLE_ARN, replace: "Resource: { Ref: 'VirusTable' }," }],
    expect: { check: 's1.permission', says: "the table's name, not its ARN" },
  },
  {
    id: 'permission-star',
    what: 'PutItem allowed on every table (*)',
    edits: [{ file: CONFIG, find: TABLE_ARN, replace: "Resource: '*'," }],
    expect: { check: 's1.permission', says: 'every table of the account', status: 'warn' },
  },
  {
    id: 'no-permission',
    what: 'no permission at all: AccessDeniedException',
    edits: [
      { file: CONFIG, find: "Action: ['dynamodb:PutItem'],", replace: "Action: ['dynamodb:GetItem']," },
    ],
    expect: { check: 's1.invoke', says: 'The local cloud checks IAM like AWS does' },
  },
  {
    id: 'env-hard-coded',
    what: 'VIRUS_TABLE_NAME written by hand',
    edits: [
      {
        file: CONFIG,
        find: "VIRUS_TABLE_NAME: { Ref: 'VirusTable' },",
        replace: "VIRUS_TABLE_NAME: 'dojo-serverless-local-viruses',",
      },
    ],
    expect: { check: 's1.env', says: 'the fixed text "dojo-serverless-local-viruses"' },
  },
  {
    id: 'env-missing',
    what: 'VIRUS_TABLE_NAME not given',
    edits: [{ file: CONFIG, find: "VIRUS_TABLE_NAME: { Ref: 'VirusTable' },", replace: '' }],
    expect: {
      check: 's1.invoke',
      says: "Give createVirus environment: { VIRUS_TABLE_NAME: { Ref: 'VirusTable' } }",
    },
  },
  {
    id: 'created-at-number',
    what: 'createdAt as a number (Date.now())',
    edits: [
      {
        file: VIRUS,
        find: NEW_VIRUS,
        replace: 'return { id: randomUUID(), createdAt: Date.now() as unknown as string };',
      },
    ],
    expect: { check: 's1.created-at', says: 'as Date.now() gives' },
  },
  {
    id: 'created-at-at-load',
    what: 'createdAt computed once, when the module loads',
    edits: [
      { file: VIRUS, find: NEW_VIRUS, replace: 'return { id: randomUUID(), createdAt: LOADED_AT };' },
      {
        file: VIRUS,
        find: '/** A virus on the board. */',
        replace: 'const LOADED_AT = new Date().toISOString();\n\n/** A virus on the board. */',
      },
    ],
    expect: { check: 's1.created-at', says: 'the same for every virus of a warm sandbox' },
  },
  {
    id: 'same-id',
    what: 'the same id for every virus',
    edits: [
      {
        file: VIRUS,
        find: NEW_VIRUS,
        replace:
          "return { id: '0b6a3c1e-5f7d-4e2a-9c1b-2d3e4f5a6b7c', createdAt: new Date().toISOString() };",
      },
    ],
    expect: { check: 's1.ids', says: 'returned the same id, "0b6a3c1e-5f7d-4e2a-9c1b-2d3e4f5a6b7c"' },
  },
  {
    id: 'id-not-uuid',
    what: 'an id that is not a UUID',
    edits: [
      {
        file: VIRUS,
        find: NEW_VIRUS,
        replace: 'return { id: `virus-${Math.random()}`, createdAt: new Date().toISOString() };',
      },
    ],
    expect: { check: 's1.ids', says: 'are not UUIDs' },
  },
  {
    id: 'not-written',
    what: 'the virus returned but never written',
    edits: [
      {
        file: 'functions/createVirus/handler.ts',
        find: '  await ddb.send(new PutCommand({ TableName: virusTableName(), Item: virus }));\n',
        replace: '  void [ddb, PutCommand, virusTableName];\n',
      },
    ],
    expect: { check: 's1.written', says: 'the table is empty' },
  },
  {
    id: 'unawaited-put',
    what: 'the PutItem not awaited: on AWS the sandbox freezes before the write',
    edits: [
      {
        file: 'functions/createVirus/handler.ts',
        find: '  await ddb.send(new PutCommand(',
        replace: '  ddb.send(new PutCommand(',
      },
    ],
    expect: {
      check: 'unawaited',
      says: 'createVirus returned while its DynamoDB PutItem was still in flight: on AWS it may never run. Did you forget await at functions/createVirus/handler.ts:8?',
      primary: true,
    },
  },
  {
    id: 'key-as-number',
    what: 'the key declared as a number',
    edits: [
      {
        file: 'resources/dynamodb.ts',
        find: "AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],",
        replace: "AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],",
      },
    ],
    expect: { check: 's1.table', says: 'AttributeType "N" (a number)' },
  },
  {
    id: 'no-billing-mode',
    what: 'BillingMode forgotten (AWS then wants provisioned capacity)',
    edits: [{ file: 'resources/dynamodb.ts', find: "      BillingMode: 'PAY_PER_REQUEST',\n", replace: '' }],
    expect: {
      check: 's1.table',
      says: "Add BillingMode: 'PAY_PER_REQUEST' to VirusTable's Properties in resources/dynamodb.ts",
    },
  },
];

/** The TODOs the starter's failing checks must name (the starter is the first mistake of all). */
export const starterTodos = [1, 2, 3];
