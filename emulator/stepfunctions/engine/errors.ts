/**
 * The errors a state fails with inside an execution, one class per AWS error name, each
 * carrying the Cause in AWS's words. Retry and Catch match on `error`; `matchedByAll` says
 * whether the States.ALL (and States.TaskFailed) wildcards may catch it, and `terminal`
 * whether nothing can (States.Runtime: no Retry or Catch handles it on AWS).
 */
import { StateError } from '../errors.ts';

export { StateError };

/** AWS's prefix for a failure inside a state: "An error occurred while executing the state 'X' (entered at the event id #N). ". */
export function inState(state: string, enteredEventId: number): string {
  return `An error occurred while executing the state '${state}' (entered at the event id #${enteredEventId}). `;
}

/** A failure of the language itself (a path that selects nothing, a wrong type): never caught. */
export class StatesRuntime extends StateError {
  constructor(cause: string) {
    super('States.Runtime', cause, { retryable: false, catchable: false });
  }
}

/** A state's input, result or output over 256 KiB; only a Catch naming it explicitly matches. */
export class StatesDataLimitExceeded extends StateError {
  readonly matchedByAll = false;
  constructor(cause: string) {
    super('States.DataLimitExceeded', cause);
  }
}

/** An intrinsic function called with arguments it cannot work on. */
export class StatesIntrinsicFailure extends StateError {
  constructor(cause: string) {
    super('States.IntrinsicFailure', cause);
  }
}

/** A JSONata expression that failed, or gave a value of the wrong type. */
export class StatesQueryEvaluationError extends StateError {
  constructor(cause: string) {
    super('States.QueryEvaluationError', cause);
  }
}

/** ResultPath cannot be applied to the input (it is not an object where the path needs one). */
export class StatesResultPathMatchFailure extends StateError {
  constructor(cause: string) {
    super('States.ResultPathMatchFailure', cause);
  }
}

/** A Parameters / ItemSelector path that selects nothing. */
export class StatesParameterPathFailure extends StatesRuntime {}

/** A Choice state in which no rule matched and which has no Default. */
export class StatesNoChoiceMatched extends StateError {
  constructor(cause: string) {
    super('States.NoChoiceMatched', cause);
  }
}

/** Task TimeoutSeconds or HeartbeatSeconds ran out, or the execution's TimeoutSeconds. */
export class StatesTimeout extends StateError {
  constructor(cause = '') {
    super('States.Timeout', cause);
  }
}

/** A Map run whose failed items exceeded its tolerated failures. */
export class StatesExceedToleratedFailureThreshold extends StateError {
  constructor(cause: string) {
    super('States.ExceedToleratedFailureThreshold', cause);
  }
}

/** A Distributed Map could not read its items from the ItemReader's source (S3). */
export class StatesItemReaderFailed extends StateError {
  constructor(cause: string) {
    super('States.ItemReaderFailed', cause);
  }
}

/** A Distributed Map could not write its results where its ResultWriter says (S3). */
export class StatesResultWriterFailed extends StateError {
  constructor(cause: string) {
    super('States.ResultWriterFailed', cause);
  }
}

/** Whether a Retry or Catch wildcard (States.ALL, States.TaskFailed) matches the error. */
export function isWildcardMatch(err: StateError, wildcard: string): boolean {
  if (!err.isCatchable) return false;
  if ((err as { matchedByAll?: boolean }).matchedByAll === false) return false;
  if (wildcard === 'States.ALL') return true;
  // States.TaskFailed matches every error but States.Timeout (AWS's documented rule).
  if (wildcard === 'States.TaskFailed') return err.error !== 'States.Timeout';
  return false;
}
