/**
 * The virtual clock: one clock drives `Date`, timers, schedules, Wait states, retries and
 * Lambda timeouts, in the main thread (through @sinonjs/fake-timers installed globally,
 * because dynalite and other libraries call the global timers) and in Lambda
 * sandboxes (through a SharedArrayBuffer they read, see `sandbox-time.ts`).
 *
 * How time moves:
 * - while real work is in flight (a `hold()` is taken: an HTTP request, a running Lambda),
 *   virtual time flows at real speed, so real work takes its real time and the timeout of
 *   a hung handler still fires;
 * - when nothing is in flight, it flows at the speed set: `paused`, a factor (1 = real
 *   time, 60 = a minute a second), or, during `advance()`, it jumps straight to the next
 *   timer (`max`), which is how a check runs 20 virtual minutes in a second.
 *
 * Only one clock can be installed in a process at a time.
 */
import * as FakeTimers from '@sinonjs/fake-timers';

type InstalledClock = ReturnType<typeof FakeTimers.install>;
// The pump itself runs on real time.
import { realClearTimeout, realNow, realSetImmediate, realSetTimeout } from './real-time.ts';

export type Speed = number | 'max' | 'paused';

export interface ClockOptions {
  /** Virtual epoch ms at start. Defaults to real now. */
  start?: number;
  /** How virtual time flows when idle. Default `paused`: tests move it with `advance()`. */
  speed?: Speed;
}

export interface ClockState {
  now: number;
  iso: string;
  speed: Speed;
  advancing: boolean;
  pendingTimers: number;
}

/** The longest delay one timer holds (a signed 32-bit count of ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface LongTimer {
  step: unknown;
}

function isLongTimer(handle: unknown): handle is LongTimer {
  return typeof handle === 'object' && handle !== null && 'step' in handle;
}

/** Layout of the shared buffer read by sandboxes: [virtual ms, real ms at that instant, rate]. */
export const SHARED_SLOTS = { virtual: 0, real: 1, rate: 2 } as const;

export class VirtualClock {
  readonly shared = new SharedArrayBuffer(8 * 3);
  private readonly view = new Float64Array(this.shared);
  private readonly fake: InstalledClock;
  private speed: Speed;
  private holds = 0;
  private lastReal = realNow();
  private pumping = false;
  /** The real timer the next pump waits on, when it waits on one (not an immediate). */
  private waitingPump: ReturnType<typeof realSetTimeout> | undefined;
  private stopped = false;
  private advanceTarget: number | undefined;
  private advanceWaiters: Array<() => void> = [];
  private readonly listeners = new Set<(state: ClockState) => void>();

  constructor(options: ClockOptions = {}) {
    this.speed = options.speed ?? 'paused';
    this.fake = FakeTimers.install({
      now: options.start ?? Date.now(),
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
      shouldClearNativeTimers: true,
      loopLimit: 1_000_000,
    });
    this.publish();
    this.schedulePump();
  }

  now(): number {
    return this.fake.now;
  }

  /**
   * Virtual timers for the emulator's own use (same as the global ones once installed). A
   * delay beyond what a timer holds (2^31 - 1 ms, about 24.8 days: longer ones would fire at
   * once) is waited out in steps, so a schedule months ahead fires when it is due.
   */
  setTimeout(fn: () => void, ms: number): unknown {
    if (ms <= MAX_TIMER_MS) return this.fake.setTimeout(fn, Math.max(0, ms));
    const due = this.now() + ms;
    const long: LongTimer = { step: undefined };
    const wait = () => {
      const left = due - this.now();
      long.step =
        left > MAX_TIMER_MS
          ? this.fake.setTimeout(wait, MAX_TIMER_MS)
          : this.fake.setTimeout(fn, Math.max(0, left));
    };
    wait();
    return long;
  }

  clearTimeout(handle: unknown): void {
    const step = isLongTimer(handle) ? handle.step : handle;
    this.fake.clearTimeout(step as never);
  }

  getSpeed(): Speed {
    return this.speed;
  }

  setSpeed(speed: Speed): void {
    if (typeof speed === 'number' && !(speed > 0))
      throw new Error(`Clock speed must be a positive number, 'max' or 'paused' (got ${speed}).`);
    this.sync();
    this.speed = speed;
    this.publish();
    this.emit();
  }

  /**
   * Marks real work in flight; virtual time will not jump while any hold is taken.
   * Returns the release function (idempotent).
   */
  hold(): () => void {
    this.sync();
    this.holds++;
    this.publish();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.sync();
      this.holds--;
      this.publish();
      this.schedulePump();
    };
  }

  /**
   * Runs virtual time forward by `ms` as fast as the work allows, firing every timer on the
   * way in order. Resolves when the clock has reached the target.
   */
  advance(ms: number): Promise<void> {
    return this.advanceTo(this.now() + ms);
  }

  advanceTo(target: number): Promise<void> {
    if (target <= this.now()) return Promise.resolve();
    this.advanceTarget = Math.max(this.advanceTarget ?? target, target);
    const done = new Promise<void>((resolve) => {
      const check = () => {
        if (this.now() >= target) resolve();
        else this.advanceWaiters.push(check);
      };
      this.advanceWaiters.push(check);
    });
    this.emit();
    this.schedulePump();
    return done;
  }

  /** Waits (virtually) until `predicate` holds, advancing at most `maxMs`. */
  async advanceUntil(predicate: () => boolean, maxMs: number, stepMs = 1000): Promise<boolean> {
    const end = this.now() + maxMs;
    while (!predicate()) {
      if (this.now() >= end) return false;
      await this.advance(Math.min(stepMs, end - this.now()));
    }
    return true;
  }

  state(): ClockState {
    return {
      now: this.now(),
      iso: new Date(this.now()).toISOString(),
      speed: this.speed,
      advancing: this.advanceTarget !== undefined,
      pendingTimers: this.fake.countTimers(),
    };
  }

  onChange(listener: (state: ClockState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  uninstall(): void {
    this.stopped = true;
    this.fake.uninstall();
  }

  /** Moves virtual time by the real time elapsed since the last sync, at the current rate. */
  private sync(): void {
    const now = realNow();
    const elapsed = now - this.lastReal;
    this.lastReal = now;
    const rate = this.rate();
    if (elapsed > 0 && rate > 0) this.tickBy(elapsed * rate);
  }

  private rate(): number {
    // Real work takes real time at every speed: a 600 ms cold start is 600 virtual ms, not
    // 36 virtual seconds at 60x (which would time the function out). The speed applies to
    // idle time; `max` jumps over it (see pump), `paused` stands still.
    if (this.holds > 0) return 1;
    return typeof this.speed === 'number' ? this.speed : 0;
  }

  private tickBy(ms: number): void {
    let step = ms;
    if (this.advanceTarget !== undefined) step = Math.min(step, this.advanceTarget - this.now());
    if (step > 0) this.fake.tick(step);
  }

  private jumping(): boolean {
    return this.holds === 0 && (this.advanceTarget !== undefined || this.speed === 'max');
  }

  /** The pump runs on real timers; it is what makes virtual time move. */
  private schedulePump(): void {
    if (this.stopped) return;
    if (this.pumping) {
      // A pump waiting on a real timer while work was held: the last hold is released and
      // time may jump now, not when that timer comes (up to 5 ms, after every invocation).
      if (this.waitingPump === undefined || !this.jumping()) return;
      realClearTimeout(this.waitingPump);
    }
    this.pumping = true;
    this.waitingPump = undefined;
    if (this.jumping()) realSetImmediate(() => this.pump());
    else this.waitingPump = realSetTimeout(() => this.pump(), this.realMsToNextTimer());
  }

  /** Wakes the pump when the next timer is due (sandboxes wait on short timers), at most 5 ms apart. */
  private realMsToNextTimer(): number {
    const rate = this.rate();
    const next = this.nextTimerAt();
    if (rate <= 0 || next === undefined) return 5;
    return Math.min(5, Math.max(0, (next - this.now()) / rate));
  }

  private pump(): void {
    this.pumping = false;
    this.waitingPump = undefined;
    if (this.stopped) return;
    this.sync();
    if (this.jumping()) {
      // Fire the next timer (or reach the target), then yield so that the work it started
      // can take a hold before time moves again.
      const target = this.advanceTarget ?? Infinity;
      const next = this.nextTimerAt();
      if (next !== undefined && next <= target) {
        if (next > this.now()) this.fake.tick(next - this.now());
        else this.fake.next();
      } else if (target !== Infinity) {
        this.fake.tick(target - this.now());
      }
    }
    this.settleAdvance();
    this.publish();
    if (this.holds > 0 || this.advanceTarget !== undefined || this.speed !== 'paused') this.schedulePump();
    // Idle and paused: look again now and then, without keeping the process alive for it.
    else realSetTimeout(() => this.schedulePump(), 50).unref();
  }

  private settleAdvance(): void {
    if (this.advanceTarget !== undefined && this.now() >= this.advanceTarget) {
      this.advanceTarget = undefined;
      this.emit();
    }
    if (this.advanceWaiters.length > 0) {
      const waiters = this.advanceWaiters;
      this.advanceWaiters = [];
      for (const check of waiters) check();
    }
  }

  private nextTimerAt(): number | undefined {
    // fake-timers has no public "peek"; v15 keeps a min-heap (timerHeap), older ones a record.
    const internals = this.fake as unknown as {
      timerHeap?: { peek(): { callAt: number } | undefined };
      timers?: Map<number, { callAt: number }> | Record<string, { callAt: number }>;
    };
    if (internals.timerHeap) return internals.timerHeap.peek()?.callAt;
    const timers = internals.timers;
    if (!timers) return undefined;
    let first: number | undefined;
    for (const t of timers instanceof Map ? timers.values() : Object.values(timers)) {
      if (first === undefined || t.callAt < first) first = t.callAt;
    }
    return first;
  }

  /** Writes the current virtual time to the shared buffer (sandboxes read it). */
  publish(): void {
    this.view[SHARED_SLOTS.virtual] = this.fake.now;
    this.view[SHARED_SLOTS.real] = realNow();
    this.view[SHARED_SLOTS.rate] = this.rate();
  }

  private emit(): void {
    const state = this.state();
    for (const l of this.listeners) l(state);
  }
}

/** Parses `90s`, `5m`, `1h`, `250ms` or a number of ms. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
  if (!m) throw new Error(`"${value}" is not a duration: write it like 30s, 5m, 1h or 250ms.`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    m[2] as 'ms' | 's' | 'm' | 'h' | 'd'
  ];
  return Number(m[1]) * unit;
}
