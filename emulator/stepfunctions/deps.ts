/**
 * What Step Functions needs from the rest of the local cloud. Every Task goes through these:
 * nothing reaches real AWS.
 */
import type { VirtualClock } from '../core/clock.ts';
import type { Trace } from '../core/trace.ts';
import type { S3Service } from '../s3/index.ts';

export interface StepFunctionsDeps {
  clock: VirtualClock;
  trace: Trace;
  region: string;
  accountId: string;
  /**
   * Runs a function and waits for its result (LambdaService.invoke). A function error is a
   * result with `ok: false`; an unknown function throws AwsError ResourceNotFoundException.
   * The invoker takes its own clock holds while real work is in flight (LambdaService does),
   * so a handler that waits on virtual timers lets virtual time jump.
   */
  invokeLambda(
    arnOrName: string,
    payload: unknown,
    opts: { cause?: number; source?: string },
  ): Promise<LambdaInvokeResult>;
  /** EventBridge PutEvents; `cause` is the trace seq of the state that put them. */
  putEvents(entries: PutEventsEntry[], opts: { cause?: number }): Promise<PutEventsResult>;
  /** A DynamoDB API call (`PutItem`, `GetItem`...) with AttributeValue JSON; throws on error. */
  dynamodb(action: string, input: unknown): Promise<unknown>;
  /**
   * The local S3, for a Distributed Map's ItemReader (getObject, listObjectsV2) and
   * ResultWriter (putObject); its calls throw AwsError NoSuchBucket / NoSuchKey as S3 answers.
   */
  s3: Pick<S3Service, 'getObject' | 'list' | 'putObject'>;
}

export interface LambdaInvokeResult {
  requestId: string;
  ok: boolean;
  payload: unknown;
  error?: { errorType: string; errorMessage: string; trace?: string[] };
}

export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
}

export interface PutEventsResult {
  FailedEntryCount: number;
  Entries: Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }>;
}
