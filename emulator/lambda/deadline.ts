/**
 * Lambda's 10 s limit on the init phase, kept on a machine that is busier than AWS's. The
 * limit counts virtual time, which flows at real speed while a sandbox loads its handler
 * (init always holds the clock); on an overloaded laptop (more runnable work than cores: a guide
 * build, twenty tabs, a test suite) loading the AWS SDK can take several times longer than
 * on AWS, and a check would fail for the laptop's sake. So when a limit comes due while the
 * machine is overloaded, it is stretched by the overload (load average over cores, at most
 * MAX_STRETCH times); on a quiet machine it is AWS's limit to the millisecond.
 *
 * Not the function timeout: an invocation that only waits on virtual timers lets the clock
 * jump, and stretching then would let a handler that sleeps past its timeout pass.
 *
 *   const cancel = armDeadline(clock, 10_000, () => sandbox.kill(initTimeout));
 *   await sandbox.ready;
 *   cancel();
 */
import { availableParallelism, loadavg } from 'node:os';
import type { VirtualClock } from '../core/clock.ts';

/** How far a limit may stretch: 10 s of init becomes at most a minute. */
export const MAX_STRETCH = 6;

/** Runnable work per core over the last minute (0 where the OS does not say: Windows). */
export function machineLoad(): number {
  return loadavg()[0] / availableParallelism();
}

/**
 * Calls `expire` once `ms` of virtual time has passed, or more when `load()` says the machine
 * is overloaded at that moment (then the limit is `ms × load`, capped). Returns a cancel.
 */
export function armDeadline(
  clock: Pick<VirtualClock, 'now' | 'setTimeout' | 'clearTimeout'>,
  ms: number,
  expire: () => void,
  load: () => number = machineLoad,
): () => void {
  const start = clock.now();
  let handle: unknown;
  const check = () => {
    const allowed = ms * Math.min(MAX_STRETCH, Math.max(1, load()));
    const left = start + allowed - clock.now();
    if (left <= 0) expire();
    else handle = clock.setTimeout(check, left);
  };
  handle = clock.setTimeout(check, ms);
  return () => clock.clearTimeout(handle);
}
