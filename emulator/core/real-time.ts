/**
 * Real time, for what must not follow the virtual clock: the clock's own pump, request
 * timeouts, lock polling, the room's saves, a child process's grace period, tests and
 * benchmarks waiting for real work.
 *
 * A local cloud replaces the global timers with virtual ones (see `clock.ts`), and every
 * module loaded after that would capture the fakes; `node:timers` cannot be trusted either,
 * since @sinonjs/fake-timers patches that module too. These are captured when this module is
 * first loaded, which is before any clock can be installed: `clock.ts` imports it.
 *
 *   import { realSleep } from './real-time.ts';
 *   await realSleep(100); // 100 real ms, whatever the virtual clock does
 */
import { performance } from 'node:perf_hooks';

export const realSetTimeout: typeof setTimeout = globalThis.setTimeout.bind(globalThis) as typeof setTimeout;
export const realClearTimeout: typeof clearTimeout = globalThis.clearTimeout.bind(globalThis);
export const realSetInterval: typeof setInterval = globalThis.setInterval.bind(
  globalThis,
) as typeof setInterval;
export const realClearInterval: typeof clearInterval = globalThis.clearInterval.bind(globalThis);
export const realSetImmediate: typeof setImmediate = globalThis.setImmediate.bind(
  globalThis,
) as typeof setImmediate;

/** Resolves after `ms` real milliseconds. */
export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}

/**
 * Waits for `work` to settle, `ms` real milliseconds at most; never rejects. True when it
 * settled in time. The timer is cleared once it did, so nothing is left pending.
 */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof realSetTimeout> | undefined;
  const settled = work.then(
    () => true,
    () => true,
  );
  const late = new Promise<boolean>((resolve) => (timer = realSetTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([settled, late]);
  } finally {
    realClearTimeout(timer);
  }
}

/** Absolute real time in ms, comparable across worker threads. */
export function realNow(): number {
  return performance.timeOrigin + performance.now();
}
