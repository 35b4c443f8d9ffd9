/**
 * Errors of two kinds: the API errors Step Functions answers a call with (in AWS's codes and
 * words), and `StateError`, the error a state fails with inside an execution (Error + Cause,
 * as Retry, Catch and the history see them).
 */
import { AwsError } from '../core/errors.ts';

export const apiErrors = {
  executionDoesNotExist: (arn: string) =>
    new AwsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`),
  stateMachineDoesNotExist: (arn: string) =>
    new AwsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`),
  executionAlreadyExists: (arn: string) =>
    new AwsError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`),
  stateMachineAlreadyExists: (arn: string) =>
    new AwsError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`),
  invalidArn: (detail: string) => new AwsError('InvalidArn', `Invalid Arn: '${detail}'`),
  invalidName: (name: string) => new AwsError('InvalidName', `Invalid Name: '${name}'`),
  invalidDefinition: (detail: string) =>
    new AwsError('InvalidDefinition', `Invalid State Machine Definition: '${detail}'`),
  invalidExecutionInput: (detail: string) =>
    new AwsError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${detail}'`),
  invalidOutput: (detail: string) => new AwsError('InvalidOutput', `Invalid Output: '${detail}'`),
  invalidToken: (detail = 'Invalid token') => new AwsError('InvalidToken', `Invalid Token: '${detail}'`),
  taskTimedOut: () => new AwsError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'"),
  validation: (message: string) => new AwsError('ValidationException', message),
  mapRunDoesNotExist: (arn: string) => new AwsError('ResourceNotFound', `Map Run Does Not Exist: '${arn}'`),
  unknownOperation: (action: string) =>
    new AwsError(
      'UnknownOperationException',
      `The local cloud's Step Functions does not support the action ${action}.`,
    ),
};

export interface StateErrorOptions {
  /** Whether Retry may match it (default true). */
  retryable?: boolean;
  /** Whether Catch may match it (default true). */
  catchable?: boolean;
}

/**
 * The error a state fails with: `error` is what Retry and Catch match (AWS's Error), and
 * `errorCause` the Cause exactly as AWS would show it (often a JSON string). The AWS error
 * names of the language itself have a class each in engine/errors.ts.
 */
export class StateError extends Error {
  readonly isRetryable: boolean;
  readonly isCatchable: boolean;

  constructor(
    readonly error: string,
    readonly errorCause: string,
    options: StateErrorOptions = {},
  ) {
    super(errorCause);
    this.name = error;
    this.isRetryable = options.retryable ?? true;
    this.isCatchable = options.catchable ?? true;
  }
}

/** A failure no Retry or Catch can handle (AWS's States.Runtime). */
export function runtimeError(message: string): StateError {
  return new StateError('States.Runtime', message, { retryable: false, catchable: false });
}

/** The `(Service: ...; Status Code: ...)` tail AWS's Java SDK appends to an integration's Cause. */
export function javaSdkCause(
  message: string,
  service: string,
  status: number,
  code: string,
  requestId: string,
): string {
  return `${message} (Service: ${service}; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`;
}
