/**
 * Driving a deployed service through AWS API calls only, so the same code observes the
 * local cloud and AWS. Sessions 2 and 3 use these too.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Deployment, Target } from '../../core/target.ts';
import type { LambdaError } from './errors.ts';

export function functionName(deployment: Deployment, short: string): string | undefined {
  return [...deployment.resources.values()].find(
    (r) => r.type === 'AWS::Lambda::Function' && r.physicalId.endsWith(`-${short}`),
  )?.physicalId;
}

export function tableName(deployment: Deployment): string | undefined {
  const tables = [...deployment.resources.values()].filter((r) => r.type === 'AWS::DynamoDB::Table');
  return (deployment.resources.get('VirusTable') ?? (tables.length === 1 ? tables[0] : undefined))
    ?.physicalId;
}

export interface Call {
  /** The target's clock just before and just after the call, epoch ms. */
  before: number;
  after: number;
  /** Lambda's request id for the invocation (on AWS as locally: the x-amzn-RequestId header). */
  requestId?: string;
  payload: unknown;
  error?: LambdaError;
}

export async function invoke(target: Target, name: string, event: unknown = {}): Promise<Call> {
  const before = target.now();
  try {
    const out = await target
      .clients()
      .lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
    const after = target.now();
    const payload = parse(out.Payload ? Buffer.from(out.Payload).toString('utf8') : undefined);
    const requestId = out.$metadata.requestId;
    if (out.FunctionError) {
      const p = (payload ?? {}) as LambdaError;
      return {
        before,
        after,
        requestId,
        payload,
        error: {
          errorType: p.errorType ?? out.FunctionError,
          errorMessage: p.errorMessage ?? String(payload),
        },
      };
    }
    return { before, after, requestId, payload };
  } catch (err) {
    // The Invoke call itself was refused (no such function, ...), not the handler.
    const e = err as Error;
    return {
      before,
      after: target.now(),
      payload: undefined,
      error: { errorType: e.name, errorMessage: e.message },
    };
  }
}

function docClient(target: Target): DynamoDBDocumentClient {
  // The document client shows items as plain values with their JavaScript types, so a
  // number stored where a string belongs is visible as a number.
  return DynamoDBDocumentClient.from(target.clients().dynamodb);
}

export async function scanAll(target: Target, table: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let key: Record<string, unknown> | undefined;
  do {
    const page = await docClient(target).send(new ScanCommand({ TableName: table, ExclusiveStartKey: key }));
    items.push(...(page.Items ?? []));
    key = page.LastEvaluatedKey;
  } while (key);
  return items;
}

export async function getItem(
  target: Target,
  table: string,
  id: string,
): Promise<Record<string, unknown> | undefined> {
  return (
    await docClient(target).send(new GetCommand({ TableName: table, Key: { id }, ConsistentRead: true }))
  ).Item;
}

export function parse(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
