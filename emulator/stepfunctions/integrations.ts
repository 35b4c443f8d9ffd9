/**
 * Calls the service behind a Task, with the request and result shapes AWS's integrations
 * use, and turns failures into the state errors AWS raises (`Lambda.ResourceNotFoundException`,
 * the function's own errorType, `DynamoDB.ConditionalCheckFailedException`...), so Retry and
 * Catch match the same names as on AWS.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../core/errors.ts';
import type { LambdaInvokeResult, PutEventsEntry, StepFunctionsDeps } from './deps.ts';
import { javaSdkCause, runtimeError, StateError } from './errors.ts';
import type { TaskResource } from './resources.ts';

export interface IntegrationContext {
  deps: StepFunctionsDeps;
  /** Trace seq of the state's entry: the cause of what the task does. */
  cause: number;
  /** Shown as the Lambda invocation's source. */
  source: string;
  startExecution(
    params: { stateMachineArn: string; name?: string; input?: unknown },
    opts: { cause?: number },
  ): { executionArn: string; startDate: Date };
}

export async function callIntegration(
  resource: TaskResource,
  input: unknown,
  ctx: IntegrationContext,
): Promise<unknown> {
  switch (resource.service) {
    case 'lambda-function':
      return (await invokeFunction(ctx, resource.arn, input)).payload ?? null;
    case 'lambda-invoke':
      return lambdaInvoke(ctx, input);
    case 'events-put':
      return putEvents(ctx, input, true);
    case 'sdk-events-put':
      return putEvents(ctx, input, false);
    case 'dynamodb':
      return dynamodb(ctx, resource.action!, input, true);
    case 'sdk-dynamodb':
      return dynamodb(ctx, resource.action!, input, false);
    case 'sfn-start':
      return startExecution(ctx, input);
  }
}

async function lambdaInvoke(ctx: IntegrationContext, input: unknown): Promise<unknown> {
  const params = objectParameters(input, 'lambda:invoke');
  const functionName = params.FunctionName;
  if (typeof functionName !== 'string' || functionName === '')
    throw runtimeError("The lambda:invoke task needs Parameters.FunctionName (the function's name or ARN).");
  const payload = params.Payload === undefined ? {} : params.Payload;
  if (params.InvocationType === 'Event') {
    // Asynchronous invoke: Lambda accepts it and runs it on its own; failures are not the task's.
    ctx.deps
      .invokeLambda(functionName, payload, { cause: ctx.cause, source: ctx.source })
      .catch(() => undefined);
    return { ...sdkMetadata(ctx, randomUUID(), 0, 202), Payload: '', StatusCode: 202 };
  }
  const result = await invokeFunction(ctx, functionName, payload);
  const body = JSON.stringify(result.payload ?? null);
  return {
    ExecutedVersion: '$LATEST',
    Payload: result.payload ?? null,
    ...sdkMetadata(ctx, result.requestId, body.length, 200, {
      'X-Amz-Executed-Version': '$LATEST',
      'x-amzn-Remapped-Content-Length': '0',
      'X-Amzn-Trace-Id': `Root=1-${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    }),
    StatusCode: 200,
  };
}

async function invokeFunction(
  ctx: IntegrationContext,
  functionName: string,
  payload: unknown,
): Promise<LambdaInvokeResult> {
  let result: LambdaInvokeResult;
  try {
    result = await ctx.deps.invokeLambda(functionName, payload, { cause: ctx.cause, source: ctx.source });
  } catch (err) {
    throw serviceError(err, 'Lambda', 'AWSLambda', 'ServiceException', 500);
  }
  if (!result.ok) {
    const e = result.error ?? {
      errorType: 'Lambda.Unknown',
      errorMessage: 'The function failed without saying why.',
    };
    // AWS passes the function's error on: Error = errorType, Cause = the error document as JSON.
    throw new StateError(
      e.errorType || 'Lambda.Unknown',
      JSON.stringify({ errorType: e.errorType, errorMessage: e.errorMessage, trace: e.trace }),
    );
  }
  return result;
}

async function putEvents(ctx: IntegrationContext, input: unknown, optimized: boolean): Promise<unknown> {
  const params = objectParameters(input, 'events:putEvents');
  if (!Array.isArray(params.Entries))
    throw runtimeError('The events:putEvents task needs Parameters.Entries (an array of events).');
  // The optimized integration lets Detail be JSON; EventBridge takes it as text.
  const entries = (params.Entries as Array<Record<string, unknown>>).map((e) => ({
    ...e,
    Detail: e.Detail === undefined || typeof e.Detail === 'string' ? e.Detail : JSON.stringify(e.Detail),
  })) as PutEventsEntry[];
  const release = ctx.deps.clock.hold();
  let result;
  try {
    result = await ctx.deps.putEvents(entries, { cause: ctx.cause });
  } catch (err) {
    throw serviceError(err, 'EventBridge', 'AmazonEventBridge', 'InternalException', 500);
  } finally {
    release();
  }
  const out = { Entries: result.Entries, FailedEntryCount: result.FailedEntryCount };
  if (optimized && out.FailedEntryCount > 0)
    throw new StateError('EventBridge.FailedEntry', JSON.stringify(out));
  return out;
}

async function dynamodb(
  ctx: IntegrationContext,
  action: string,
  input: unknown,
  optimized: boolean,
): Promise<unknown> {
  const params = objectParameters(input, `dynamodb:${action}`);
  const release = ctx.deps.clock.hold();
  try {
    const result = (await ctx.deps.dynamodb(action, params)) as Record<string, unknown> | undefined;
    return optimized
      ? {
          ...(result ?? {}),
          ...sdkMetadata(
            ctx,
            randomUUID(),
            JSON.stringify(result ?? {}).length,
            200,
            { Server: 'Server', 'x-amz-crc32': '0' },
            'application/x-amz-json-1.0',
          ),
        }
      : (result ?? {});
  } catch (err) {
    if (err instanceof StateError) throw err;
    const code = errorCode(err);
    const message = err instanceof Error ? err.message : String(err);
    if (!optimized)
      throw new StateError(
        `DynamoDb.${code}`,
        `${message} (Service: DynamoDb, Status Code: 400, Request ID: ${randomUUID()})`,
      );
    // The optimized integration reports validation errors under the SDK's base exception name.
    const name = code === 'ValidationException' || code === 'Error' ? 'AmazonDynamoDBException' : code;
    throw new StateError(
      `DynamoDB.${name}`,
      javaSdkCause(message, 'AmazonDynamoDBv2', 400, code, randomUUID()),
    );
  } finally {
    release();
  }
}

function startExecution(ctx: IntegrationContext, input: unknown): unknown {
  const params = objectParameters(input, 'states:startExecution');
  if (typeof params.StateMachineArn !== 'string')
    throw runtimeError('The states:startExecution task needs Parameters.StateMachineArn.');
  try {
    const out = ctx.startExecution(
      {
        stateMachineArn: params.StateMachineArn,
        name: typeof params.Name === 'string' ? params.Name : undefined,
        input:
          params.Input === undefined
            ? undefined
            : typeof params.Input === 'string'
              ? params.Input
              : JSON.stringify(params.Input),
      },
      { cause: ctx.cause },
    );
    return {
      ExecutionArn: out.executionArn,
      StartDate: out.startDate.getTime(),
      ...sdkMetadata(ctx, randomUUID(), 160, 200),
    };
  } catch (err) {
    const code = errorCode(err);
    const status = err instanceof AwsError ? err.status : 500;
    throw new StateError(
      `StepFunctions.${code.endsWith('Exception') ? code : `${code}Exception`}`,
      javaSdkCause(
        err instanceof Error ? err.message : String(err),
        'AWSStepFunctions',
        status,
        code,
        randomUUID(),
      ),
    );
  }
}

/** An error from the service call itself (not from the function): `<Service>.<Code>`, Java SDK wording. */
function serviceError(
  err: unknown,
  prefix: string,
  service: string,
  fallbackCode: string,
  fallbackStatus: number,
): StateError {
  if (err instanceof StateError) return err;
  const code = err instanceof AwsError ? err.code : fallbackCode;
  const status = err instanceof AwsError ? err.status : fallbackStatus;
  const message = err instanceof Error ? err.message : String(err);
  return new StateError(`${prefix}.${code}`, javaSdkCause(message, service, status, code, randomUUID()));
}

function errorCode(err: unknown): string {
  if (err instanceof AwsError) return err.code;
  if (err instanceof Error) return err.name || 'Error';
  return 'Error';
}

function objectParameters(input: unknown, task: string): Record<string, unknown> {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    throw runtimeError(`The ${task} task needs Parameters that are a JSON object.`);
  return input as Record<string, unknown>;
}

/** The SdkHttpMetadata / SdkResponseMetadata AWS's optimized integrations add to results. */
function sdkMetadata(
  ctx: IntegrationContext,
  requestId: string,
  contentLength: number,
  status: number,
  extra: Record<string, string> = {},
  contentType = 'application/json',
) {
  const headers: Record<string, string> = {
    Connection: 'keep-alive',
    'Content-Length': String(contentLength),
    'Content-Type': contentType,
    Date: new Date(ctx.deps.clock.now()).toUTCString(),
    'x-amzn-RequestId': requestId,
    ...extra,
  };
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      HttpHeaders: headers,
      HttpStatusCode: status,
    },
    SdkResponseMetadata: { RequestId: requestId },
  };
}
