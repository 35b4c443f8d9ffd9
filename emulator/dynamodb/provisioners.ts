/**
 * AWS::DynamoDB::Table from a template, with CloudFormation's update rules: a new key schema,
 * new local secondary indexes or a new name replace the table; the rest (billing, throughput,
 * global secondary indexes, streams, attribute definitions) changes in place and the table
 * keeps its items. A new StreamSpecification disables the table's stream and enables a new
 * one (a new StreamArn), as UpdateTable must. Properties with no local meaning (tags, TTL, encryption, point-in-time
 * recovery, table class) change nothing here.
 */
import { changed, customNameReplacement, resourceError, type ResourceProvider } from '../stack/provider.ts';
import type { DynamoDb } from './service.ts';

const TYPE = 'AWS::DynamoDB::Table';

/** Properties whose change CloudFormation answers with a new table. */
const REPLACING = ['TableName', 'KeySchema', 'LocalSecondaryIndexes'] as const;
/** Properties that shape the table in dynalite; the others change nothing locally. */
const SHAPING = [
  'AttributeDefinitions',
  'BillingMode',
  'ProvisionedThroughput',
  'GlobalSecondaryIndexes',
] as const;

export function dynamodbProviders(deps: { dynamodb: DynamoDb }): Record<string, ResourceProvider> {
  const { dynamodb } = deps;
  const attributes = (region: string, accountId: string, TableName: string) => {
    const stream = dynamodb.streams.enabled(TableName);
    return {
      Arn: `arn:aws:dynamodb:${region}:${accountId}:table/${TableName}`,
      ...(stream ? { StreamArn: stream.arn } : {}),
    };
  };
  /** The table's stream as the template asks: on with its view type, or off. */
  const setStream = (TableName: string, p: Record<string, any>) => {
    const want = p.StreamSpecification?.StreamViewType as string | undefined;
    const has = dynamodb.streams.enabled(TableName);
    if (has && has.viewType === want) return;
    if (has) dynamodb.streams.disable(TableName);
    if (p.StreamSpecification) dynamodb.streams.enable(TableName, want, p.KeySchema);
  };
  return {
    [TYPE]: {
      async create(logicalId, p, ctx) {
        const TableName = p.TableName ?? ctx.generatedName(logicalId, 255);
        try {
          await createTable(dynamodb, createTableInput(TableName, p));
        } catch (err) {
          const e = err as Error;
          // A disk store (npm run dev) keeps tables across restarts: reuse, don't fail.
          if (e.name !== 'ResourceInUseException') throw resourceError(logicalId, TYPE, e);
        }
        try {
          setStream(TableName, p);
        } catch (err) {
          throw resourceError(logicalId, TYPE, err);
        }
        return { ref: TableName, attributes: attributes(ctx.region, ctx.accountId, TableName) };
      },

      async update(logicalId, p, previous, ctx) {
        const before = previous.properties;
        if (REPLACING.some((k) => changed(before[k], p[k]))) {
          // A custom name cannot be given to the new table while the old one holds it.
          if (p.TableName !== undefined && p.TableName === before.TableName)
            throw customNameReplacement(logicalId, TYPE, p.TableName);
          return 'replace';
        }
        const TableName = previous.physicalId;
        try {
          if (SHAPING.some((k) => changed(before[k], p[k]))) await rebuild(dynamodb, TableName, p);
          setStream(TableName, p);
        } catch (err) {
          throw resourceError(logicalId, TYPE, err);
        }
        return { ref: TableName, attributes: attributes(ctx.region, ctx.accountId, TableName) };
      },

      async delete(resource) {
        await deleteTable(dynamodb, resource.physicalId);
        dynamodb.streams.disable(resource.physicalId);
      },
    },
  };
}

function createTableInput(TableName: string, p: Record<string, any>): Record<string, unknown> {
  const input: Record<string, unknown> = {
    TableName,
    AttributeDefinitions: p.AttributeDefinitions,
    KeySchema: p.KeySchema,
    BillingMode: p.BillingMode ?? 'PROVISIONED',
  };
  if (p.ProvisionedThroughput) input.ProvisionedThroughput = p.ProvisionedThroughput;
  if (p.GlobalSecondaryIndexes) input.GlobalSecondaryIndexes = p.GlobalSecondaryIndexes;
  if (p.LocalSecondaryIndexes) input.LocalSecondaryIndexes = p.LocalSecondaryIndexes;
  return input;
}

/**
 * UpdateTable's outcome, the way dynalite can give it: dynalite only changes throughput, so
 * the table is made again with its new shape and its items are written back. Same name,
 * same ARN, same items: what a program sees after UpdateTable on AWS.
 */
async function rebuild(dynamodb: DynamoDb, TableName: string, p: Record<string, any>): Promise<void> {
  const items: unknown[] = [];
  let ExclusiveStartKey: unknown;
  do {
    const page = await dynamodb.call('Scan', { TableName, ExclusiveStartKey });
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  // Validate the new shape before the old table goes, so a bad update loses nothing.
  const input = createTableInput(TableName, p);
  const probe = `${TableName.slice(0, 200)}-update-probe`;
  try {
    await createTable(dynamodb, { ...input, TableName: probe });
  } finally {
    await deleteTable(dynamodb, probe);
  }
  await deleteTable(dynamodb, TableName);
  await createTable(dynamodb, input);
  for (let i = 0; i < items.length; i += 25) {
    const batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    let unprocessed: unknown = { [TableName]: batch };
    while (unprocessed && Object.keys(unprocessed).length) {
      const out = await dynamodb.call('BatchWriteItem', { RequestItems: unprocessed });
      unprocessed = out.UnprocessedItems;
    }
  }
}

/** CreateTable, then wait until the table is ACTIVE (dynalite flips it on a timer: DynamoDb.untilActive). */
async function createTable(dynamodb: DynamoDb, input: Record<string, unknown>): Promise<void> {
  await dynamodb.call('CreateTable', input);
  if (!(await dynamodb.untilActive(String(input.TableName))))
    throw new Error(`DynamoDB did not finish in time: waited for table ${input.TableName} to be ACTIVE.`);
}

/** DeleteTable, then wait until it is gone, so its name can be used again at once. */
async function deleteTable(dynamodb: DynamoDb, TableName: string): Promise<void> {
  const gone = (err: unknown) => (err as Error).name === 'ResourceNotFoundException';
  try {
    await dynamodb.call('DeleteTable', { TableName });
  } catch (err) {
    if (gone(err)) return;
    throw err;
  }
  await until(
    () =>
      dynamodb.call('DescribeTable', { TableName }).then(
        () => false,
        (err) => gone(err) || Promise.reject(err),
      ),
    `table ${TableName} to be deleted`,
  );
}

/**
 * Polls until `done`. Deploys hold the virtual clock, so its timers (dynalite's status
 * changes among them) run at real speed meanwhile.
 */
async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`DynamoDB did not finish in time: waited for ${what}.`);
}
