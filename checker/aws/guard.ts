/**
 * Teardown on every way out of an --aws command: Ctrl-C (SIGINT), SIGTERM, an uncaught
 * exception, an unhandled rejection. `cleanup` runs once; then the process exits with 130,
 * 143 or 1. While it runs, a second Ctrl-C says what is happening and a third one leaves
 * (the marker file lets the next command finish the job). Removals already under way in
 * this process are waited for as well. SIGKILL cannot be caught: that is what the marker
 * file is for.
 *
 * The command's own flow may reach its end meanwhile (a stopped deploy is a failed deploy):
 * it must then wait for `stopping()` rather than exit first with its own code.
 */
import pc from 'picocolors';
import { removalsInFlight } from './remove.ts';

export interface GuardOptions {
  /** What is being protected, for the messages ("dojo-serverless-jane"); undefined while nothing is deployed. */
  what(): string | undefined;
  print(line: string): void;
  exit?(code: number): void;
}

export interface Guard {
  /** Takes the handlers away (the command ended normally). */
  dispose(): void;
  /** Set once a signal or a crash is being handled: it ends with the process exiting. */
  stopping(): Promise<unknown> | undefined;
}

export function guardExit(cleanup: () => Promise<unknown>, options: GuardOptions): Guard {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let cleaning: Promise<unknown> | undefined;
  let extraSignals = 0;
  let removing = '';

  const leave = (code: number, why: string) => {
    if (cleaning) {
      extraSignals++;
      if (extraSignals === 1)
        options.print(
          pc.yellow(
            `Still removing ${removing || 'the stack'}: one moment. Press Ctrl-C again to stop waiting (npm run teardown -- --aws removes it later).`,
          ),
        );
      else exit(code);
      return;
    }
    // Removals already under way (a leftover, a stack in the way) are waited for too.
    removing = [...new Set([options.what(), ...removalsInFlight().names].filter(Boolean))].join(', ');
    options.print(
      pc.yellow(
        removing ? `${why}: removing ${removing} before stopping.` : `${why}: nothing on AWS to remove.`,
      ),
    );
    cleaning = cleanup()
      .then(() => removalsInFlight().done)
      .catch((err: Error) => options.print(pc.red(`Teardown failed: ${err.message}`)))
      .finally(() => exit(code));
  };
  const onSigint = () => leave(130, 'Stopped (Ctrl-C)');
  const onSigterm = () => leave(143, 'Stopped (SIGTERM)');
  const onCrash = (err: unknown) => {
    options.print(
      pc.red(`The checker crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    );
    leave(1, 'After a crash');
  };

  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  return {
    dispose() {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    },
    stopping: () => cleaning,
  };
}

/** No handlers (tests that run a command in-process). */
export const NO_GUARD: Guard = { dispose: () => undefined, stopping: () => undefined };

/** Ends a guarded command: waits for a stop under way (which exits), else removes the handlers. */
export async function release(guard: Guard): Promise<void> {
  const stopping = guard.stopping();
  if (stopping) {
    await stopping;
    // exit() was called; when it is a test's stand-in, wait no longer.
    return;
  }
  guard.dispose();
}
