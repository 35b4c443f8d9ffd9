/**
 * For this folder's tests: Step Functions on a real VirtualClock and Trace, with stand-ins
 * for the rest of the local cloud. The Lambda stand-in runs handlers in-process (not in
 * sandboxes like LambdaService); the end-to-end tests through the gateway and real sandboxes
 * live elsewhere.
 */
import { VirtualClock } from '../core/clock.ts';
import { AwsError } from '../core/errors.ts';
import { Trace } from '../core/trace.ts';
import { S3Service } from '../s3/index.ts';
import { handleApi } from './api.ts';
import type { LambdaInvokeResult, PutEventsEntry, PutEventsResult } from './deps.ts';
import { StepFunctionsService } from './service.ts';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const START = Date.UTC(2026, 0, 5, 9, 0, 0);
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/dojo-sfn-role`;

export type Handler = (event: any) => unknown;

export interface Invocation {
  functionName: string;
  event: unknown;
  cause?: number;
  source?: string;
  at: number;
}

export function lambdaArn(name: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
}

export class Harness {
  readonly clock = new VirtualClock({ start: START, speed: 'paused' });
  readonly trace = new Trace(() => this.clock.now());
  readonly functions = new Map<string, Handler>();
  readonly invocations: Invocation[] = [];
  readonly putEventsCalls: Array<{ entries: PutEventsEntry[]; cause?: number }> = [];
  readonly items = new Map<string, Record<string, unknown>>();
  putEventsResult?: (entries: PutEventsEntry[]) => PutEventsResult;
  readonly sfn: StepFunctionsService;
  /** A real in-memory S3, for a Distributed Map's ItemReader and ResultWriter. */
  readonly s3 = new S3Service({ now: () => this.clock.now(), region: REGION });

  constructor() {
    this.sfn = new StepFunctionsService({
      clock: this.clock,
      trace: this.trace,
      region: REGION,
      accountId: ACCOUNT,
      invokeLambda: (name, payload, opts) => this.invoke(name, payload, opts),
      putEvents: async (entries, opts) => {
        this.putEventsCalls.push({ entries, cause: opts.cause });
        return (
          this.putEventsResult?.(entries) ?? {
            FailedEntryCount: 0,
            Entries: entries.map((_, i) => ({ EventId: `event-${this.putEventsCalls.length}-${i}` })),
          }
        );
      },
      dynamodb: async (action, input) => this.dynamodb(action, input as Record<string, any>),
      s3: this.s3,
    });
  }

  /** A call of the JSON API, as the gateway makes it: `action` as in `X-Amz-Target: AWSStepFunctions.<action>`. */
  api(action: string, input: Record<string, any> = {}): Promise<unknown> {
    return handleApi(this.sfn, action, input);
  }

  /** A stand-in for a deployed function (handler errors become Lambda function errors). */
  fn(name: string, handler: Handler): string {
    this.functions.set(name, handler);
    return lambdaArn(name);
  }

  machine(definition: object, name = `machine-${this.sfn.listStateMachines().length + 1}`): string {
    return this.sfn.createStateMachine({ name, definition, roleArn: ROLE }).stateMachineArn;
  }

  start(stateMachineArn: string, input: unknown = {}, name?: string): string {
    return this.sfn.startExecution({ stateMachineArn, input: JSON.stringify(input), name }).executionArn;
  }

  /** Runs virtual time forward, then lets the event log settle. */
  async advance(ms: number): Promise<void> {
    await this.clock.advance(ms);
    await settle();
  }

  /** Advances until the execution ends (at most `maxMs` of virtual time). */
  async finish(executionArn: string, maxMs = 3_600_000) {
    const ended = await this.clock.advanceUntil(
      () => this.sfn.describeExecution(executionArn).status !== 'RUNNING',
      maxMs,
      1000,
    );
    await settle();
    if (!ended) throw new Error(`${executionArn} still RUNNING after ${maxMs} ms of virtual time`);
    return this.sfn.settled(executionArn);
  }

  history(executionArn: string) {
    return this.sfn.getExecutionHistory(executionArn);
  }

  types(executionArn: string): string[] {
    return this.history(executionArn).map((e) => e.type);
  }

  dispose(): void {
    this.sfn.dispose();
    this.clock.uninstall();
  }

  private async invoke(
    nameOrArn: string,
    payload: unknown,
    opts: { cause?: number; source?: string },
  ): Promise<LambdaInvokeResult> {
    const name = /function:([^:]+)/.exec(nameOrArn)?.[1] ?? nameOrArn;
    const handler = this.functions.get(name);
    if (!handler)
      throw new AwsError('ResourceNotFoundException', `Function not found: ${lambdaArn(name)}`, 404);
    this.invocations.push({
      functionName: name,
      event: payload,
      cause: opts.cause,
      source: opts.source,
      at: this.clock.now(),
    });
    const requestId = `req-${this.invocations.length}`;
    try {
      const value = await handler(structuredClone(payload));
      return { requestId, ok: true, payload: value === undefined ? null : JSON.parse(JSON.stringify(value)) };
    } catch (err) {
      const e = err as Error;
      const error = {
        errorType: e.name,
        errorMessage: e.message,
        trace: [`${e.name}: ${e.message}`, '    at handler (index.ts:1:1)'],
      };
      return { requestId, ok: false, payload: error, error };
    }
  }

  /** A tiny DynamoDB: one key attribute `id`, PutItem with attribute_not_exists(id), GetItem, DeleteItem. */
  private async dynamodb(action: string, input: Record<string, any>): Promise<unknown> {
    const table = input.TableName as string;
    if (table !== 'viruses')
      throw Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' });
    const keyOf = (item: Record<string, any>) => JSON.stringify(item.id);
    switch (action) {
      case 'PutItem': {
        const k = keyOf(input.Item);
        if (input.ConditionExpression === 'attribute_not_exists(id)' && this.items.has(k)) {
          throw Object.assign(new Error('The conditional request failed'), {
            name: 'ConditionalCheckFailedException',
          });
        }
        this.items.set(k, input.Item);
        return {};
      }
      case 'GetItem': {
        const item = this.items.get(keyOf(input.Key));
        return item ? { Item: item } : {};
      }
      case 'DeleteItem':
        this.items.delete(keyOf(input.Key));
        return {};
      default:
        throw Object.assign(new Error(`stand-in DynamoDB has no ${action}`), { name: 'ValidationException' });
    }
  }
}

/** Lets promise chains and the event logs run (real macrotasks; virtual time does not move). */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Resolves after `ms` of virtual time (for handlers that take time). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
