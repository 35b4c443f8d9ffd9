/**
 * Waiting on virtual time. JavaScript timers fire at once past 2^31-1 ms (about 24.8 days),
 * so a longer wait (a Wait of a year, AWS's default task timeout) is a chain of shorter ones.
 */
import type { VirtualClock } from '../../core/clock.ts';
import type { Cancellation } from './context.ts';

const MAX_TIMER_MS = 2 ** 31 - 1;

export function virtualSleep(clock: VirtualClock, ms: number, cancellation: Cancellation): Promise<void> {
  let handle: unknown;
  const wait = new Promise<void>((resolve) => {
    const end = clock.now() + Math.max(0, ms);
    const step = () => {
      const left = end - clock.now();
      if (left <= 0) resolve();
      else handle = clock.setTimeout(step, Math.min(left, MAX_TIMER_MS));
    };
    handle = clock.setTimeout(step, Math.min(Math.max(0, ms), MAX_TIMER_MS));
  });
  return cancellation.guard(wait).finally(() => clock.clearTimeout(handle));
}
