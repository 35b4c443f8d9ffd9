/** Static checks for session 1, on the template `osls package` produced. */
import type { Template } from '../../../emulator/index.ts';
import type { CheckResult } from '../../core/result.ts';
import { fail, pass, warn } from '../../core/result.ts';
import type { StaticContext } from '../../core/session-check.ts';
import { lambdaFor, show } from '../../core/template.ts';
import { permissionCheck, TABLE_ID, virusTable } from './table.ts';

export function staticChecks({ template }: StaticContext): CheckResult[] {
  return [
    tableCheck(template),
    envCheck(template, 'createVirus', { todo: 2 }),
    permissionCheck(template, {
      id: 's1.permission',
      title: 'createVirus may write to the table (dynamodb:PutItem on its ARN)',
      actions: ['dynamodb:PutItem'],
      todo: 3,
    }),
  ];
}

function tableCheck(template: Template): CheckResult {
  const id = 's1.table';
  const title = 'VirusTable: a DynamoDB table keyed by the string id';
  const where = { todo: 1 };
  const table = virusTable(template);
  if (!table) {
    return fail(id, title, {
      observed: 'no AWS::DynamoDB::Table in the template',
      expected: `a resource ${TABLE_ID} of Type 'AWS::DynamoDB::Table'`,
      hint: 'Declare VirusTable in resources/dynamodb.ts, inside dynamodbResources (serverless.ts spreads it into resources.Resources).',
      ...where,
    });
  }
  if (table.logicalId !== TABLE_ID) {
    return fail(id, title, {
      observed: `the table is called ${table.logicalId}`,
      expected: TABLE_ID,
      hint: `serverless.ts refers to it as ${TABLE_ID} (Ref, Fn::GetAtt): rename the key in dynamodbResources.`,
      ...where,
    });
  }
  const p = table.Properties ?? {};
  const keys: Array<{ AttributeName?: string; KeyType?: string }> = Array.isArray(p.KeySchema)
    ? p.KeySchema
    : [];
  const attributes: Array<{ AttributeName?: string; AttributeType?: string }> = Array.isArray(
    p.AttributeDefinitions,
  )
    ? p.AttributeDefinitions
    : [];
  const hash = keys.find((k) => k.KeyType === 'HASH');
  const range = keys.find((k) => k.KeyType === 'RANGE');
  const hashType = attributes.find((a) => a.AttributeName === hash?.AttributeName)?.AttributeType;
  const expected =
    "KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] and AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }]";
  if (hash?.AttributeName !== 'id') {
    return fail(id, title, {
      observed: hash
        ? `the partition (HASH) key is ${show(hash.AttributeName)}`
        : `KeySchema is ${show(p.KeySchema)}`,
      expected,
      hint: 'The game reads and deletes viruses by id: make id the partition key.',
      ...where,
    });
  }
  if (hashType !== 'S') {
    return fail(id, title, {
      observed: hashType
        ? `id is declared with AttributeType ${show(hashType)}${hashType === 'N' ? ' (a number)' : ''}`
        : 'id has no AttributeDefinitions entry',
      expected,
      hint: "A virus id is a UUID, a string: AttributeType: 'S'.",
      ...where,
    });
  }
  if (range) {
    return fail(id, title, {
      observed: `the table also has a sort (RANGE) key ${show(range.AttributeName)}`,
      expected: 'id alone as the key',
      hint: 'With a sort key, every GetItem and DeleteItem needs it too, and the game knows only the id: remove it from KeySchema.',
      ...where,
    });
  }
  if (p.BillingMode !== 'PAY_PER_REQUEST' && !p.ProvisionedThroughput) {
    // CloudFormation refuses this table at deploy time: say so here, under the TODO that declares it.
    return fail(id, title, {
      observed: `no BillingMode${p.BillingMode ? ` but ${show(p.BillingMode)}` : ''}, and no ProvisionedThroughput: AWS refuses to create the table (ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED)`,
      expected: "BillingMode: 'PAY_PER_REQUEST'",
      hint: "Add BillingMode: 'PAY_PER_REQUEST' to VirusTable's Properties in resources/dynamodb.ts: the table is then paid per request, nothing while nobody plays.",
      ...where,
    });
  }
  if (p.BillingMode !== 'PAY_PER_REQUEST') {
    return warn(id, title, {
      observed: `BillingMode is ${show(p.BillingMode ?? 'PROVISIONED (the default)')}`,
      expected: "BillingMode: 'PAY_PER_REQUEST'",
      hint: 'Provisioned capacity is paid by the hour, played or not; pay-per-request costs nothing while nobody plays.',
      ...where,
    });
  }
  return pass(id, `${title} (${show(p.TableName)})`);
}

/** Does `fn` get VIRUS_TABLE_NAME = { Ref: 'VirusTable' }? Sessions 2 and 3 ask it of their functions too. */
export function envCheck(
  template: Template,
  fn: string,
  where: { todo?: number },
  id = 's1.env',
): CheckResult {
  const title = `${fn} knows the table's name (VIRUS_TABLE_NAME)`;
  const lambda = lambdaFor(template, fn);
  const expected = `VIRUS_TABLE_NAME: { Ref: '${TABLE_ID}' }`;
  if (!lambda)
    return fail(id, title, {
      observed: `no ${fn} function in serverless.ts`,
      expected: `functions.${fn} with handler functions/${fn}/handler.main`,
      hint: `Keep the ${fn} function from the starter.`,
      ...where,
    });
  const value: unknown = lambda.Properties?.Environment?.Variables?.VIRUS_TABLE_NAME;
  const v = value as Record<string, unknown> | undefined;
  if (v && typeof v === 'object' && v.Ref === TABLE_ID) return pass(id, title);
  const observed =
    value === undefined
      ? `${fn} has no VIRUS_TABLE_NAME variable`
      : typeof value === 'string'
        ? `VIRUS_TABLE_NAME is the fixed text ${show(value)}`
        : v && 'Fn::GetAtt' in v
          ? `VIRUS_TABLE_NAME is ${show(value)}: that is an attribute such as the ARN, not the table's name`
          : `VIRUS_TABLE_NAME is ${show(value)}`;
  const hint =
    typeof value === 'string'
      ? `A name written by hand breaks as soon as the stage, and so the table's name, changes (every learner deploys to a stage of their own on AWS). Let CloudFormation say it: ${expected}.`
      : `Give ${fn} environment: { ${expected} } in serverless.ts: on a table, Ref gives its name.`;
  return fail(id, title, { observed, expected, hint, ...where });
}
