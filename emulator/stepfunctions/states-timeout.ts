import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { StateError } from './errors.ts';

/**
 * A `States.Timeout` error that aws-local-stepfunctions treats as its own. The engine keeps
 * `States.Timeout` out of the `States.TaskFailed` wildcard by an `instanceof` test on a class
 * it does not export; a heartbeat timeout we raise must pass that test too, or a Catch on
 * States.TaskFailed would wrongly catch it. So we let the engine time out one tiny task of
 * its own, once, and keep the class of the error it raises.
 */
export function statesTimeoutError(): Error {
  const Class = captured;
  if (Class) return new Class();
  return new StateError('States.Timeout', 'States.Timeout');
}

let captured: (new () => Error) | undefined;

/**
 * Starts a probe unless the class is known. Under a virtual clock it completes at the clock's
 * next move; a probe left on a clock that was uninstalled never does, so each new service
 * starts its own.
 */
export function probeStatesTimeout(): void {
  if (captured) return;
  const machine = new StateMachine(
    { StartAt: 'Probe', States: { Probe: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:probe', TimeoutSeconds: 0.000001, End: true } } },
    { validationOptions: { noValidate: true } },
  );
  const run = machine.run(null, { overrides: { taskResourceLocalHandlers: { Probe: () => new Promise<never>(() => undefined) } } });
  run.result.then(
    () => undefined,
    (err: unknown) => {
      const cause = err instanceof ExecutionError ? err.cause : undefined;
      if (cause instanceof Error && cause.name === 'States.Timeout') captured ??= cause.constructor as new () => Error;
    },
  );
}
