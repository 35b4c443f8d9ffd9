/**
 * What every state handler shares: its outcome (an output and the next state), Retry with its
 * backoff on virtual time, and the ErrorEquals rule Retry and Catch match with.
 */
import type { AslState } from '../asl.ts';
import { Cancelled, type StateRun } from './context.ts';
import { isWildcardMatch, StateError } from './errors.ts';
import { virtualSleep } from './sleep.ts';

export interface StateOutcome {
  output: unknown;
  /** The next state; undefined when the block ends here. */
  next?: string;
}

/** Whether an ErrorEquals list matches the error. */
export function errorMatches(errorEquals: unknown, err: StateError): boolean {
  if (!err.isCatchable) return false;
  const names = Array.isArray(errorEquals) ? (errorEquals as string[]) : [];
  return names.some((n) => n === err.error || isWildcardMatch(err, n));
}

/**
 * Runs an attempt, and again as the state's Retry says: the first retrier whose ErrorEquals
 * matches counts its own attempts; the wait is IntervalSeconds × BackoffRate^n, capped at
 * MaxDelaySeconds, and a random part of it with JitterStrategy FULL.
 */
export async function withRetry<T>(run: StateRun, attempt: () => Promise<T>): Promise<T> {
  const retriers = Array.isArray(run.state.Retry) ? (run.state.Retry as Array<Record<string, unknown>>) : [];
  const counts = retriers.map(() => 0);
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof Cancelled || !(err instanceof StateError) || !err.isRetryable) throw err;
      const i = retriers.findIndex((r) => errorMatches(r.ErrorEquals, err));
      if (i < 0) throw err;
      const r = retriers[i];
      const maxAttempts = typeof r.MaxAttempts === 'number' ? r.MaxAttempts : 3;
      if (counts[i] >= maxAttempts) throw err;
      const interval = typeof r.IntervalSeconds === 'number' ? r.IntervalSeconds : 1;
      const backoff = typeof r.BackoffRate === 'number' ? r.BackoffRate : 2;
      let delay = interval * backoff ** counts[i];
      if (typeof r.MaxDelaySeconds === 'number') delay = Math.min(delay, r.MaxDelaySeconds);
      if (r.JitterStrategy === 'FULL') delay = Math.random() * delay;
      counts[i]++;
      await virtualSleep(run.engine.deps.clock, delay * 1000, run.frame.cancellation);
      run.retryCount++;
    }
  }
}

/** The state's Next, or undefined for End. */
export function nextOf(state: AslState): string | undefined {
  return state.End === true ? undefined : (state.Next as string | undefined);
}
