/**
 * Virtual time inside a sandbox. `Date` reads the clock the main thread publishes in a
 * SharedArrayBuffer; `setTimeout`/`setInterval` become virtual timers owned by the main
 * thread's clock, so `await sleep(30_000)` in a handler takes 30 virtual seconds.
 *
 * While an invocation runs, the main thread keeps the clock from jumping. When the
 * handler only waits for virtual timers (no socket, file or real timer active for two
 * looks in a row), the sandbox says `idle` so the clock may jump to its timer.
 *
 * A long timer set during an invocation is told to the main thread late (see LATE_TIMER_MS):
 * the SDK sets and clears two 3-second timers around every request it sends, and telling
 * each one (a `timer` message, then a `clear`) woke the main thread four times per call.
 */
import { performance } from 'node:perf_hooks';
import type { FromSandbox } from './sandbox-protocol.ts';

export interface SandboxTime {
  fire(id: number): void;
  beginInvocation(): void;
  endInvocation(): void;
}

const BUSY_RESOURCES = new Set([
  'TCPSocketWrap',
  'TCPWRAP',
  'TLSWrap',
  'TLSWRAP',
  'ConnectWrap',
  'WriteWrap',
  'ShutdownWrap',
  'FSReqCallback',
  'FSReqPromise',
  'FileHandle',
  'GetAddrInfoReqWrap',
  'QueryReqWrap',
  'Immediate',
  'Timeout',
  'ZlibWrap',
  'PipeConnectWrap',
  'ProcessWrap',
]);

/**
 * Timers at least this long (virtual ms), set while an invocation holds the clock (virtual
 * time flows at real speed then), are posted once they have waited TELL_AFTER_MS of real time,
 * or before the sandbox says idle, or when the invocation ends, whichever comes first:
 * still far ahead of their due time, and most are cleared before that and never posted.
 */
const LATE_TIMER_MS = 1000;
const TELL_AFTER_MS = 20;

export function installVirtualTime(shared: SharedArrayBuffer, post: (m: FromSandbox) => void): SandboxTime {
  const view = new Float64Array(shared);
  const RealDate = Date;
  const realSetTimeout = globalThis.setTimeout;
  const realClearTimeout = globalThis.clearTimeout;
  const realSetInterval = globalThis.setInterval;
  const realClearInterval = globalThis.clearInterval;
  let last = 0;

  const virtualNow = (): number => {
    const real = performance.timeOrigin + performance.now();
    const v = view[0] + Math.max(0, real - view[1]) * view[2];
    last = Math.max(last, Math.floor(v));
    return last;
  };

  class VirtualDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(virtualNow());
      else super(...(args as [string]));
    }
    static now(): number {
      return virtualNow();
    }
  }
  globalThis.Date = VirtualDate as DateConstructor;

  interface Pending {
    fn: (...a: unknown[]) => void;
    args: unknown[];
    interval?: number;
    ref: boolean;
  }
  const timers = new Map<number, Pending>();
  /** Timers not yet told to the main thread: their message, and the real ms they were set at. */
  const untold = new Map<number, { message: FromSandbox; setAt: number }>();
  let nextId = 1;
  let active = false;
  let quietLooks = 0;
  let saidIdle = false;

  const markActive = () => {
    quietLooks = 0;
    saidIdle = false;
  };

  class VirtualTimeout {
    readonly id: number;
    constructor(id: number) {
      this.id = id;
    }
    ref() {
      const t = timers.get(this.id);
      if (t) t.ref = true;
      return this;
    }
    unref() {
      const t = timers.get(this.id);
      if (t) t.ref = false;
      return this;
    }
    hasRef() {
      return timers.get(this.id)?.ref ?? false;
    }
    refresh() {
      const t = timers.get(this.id);
      if (t) {
        const ms = t.interval ?? 1;
        if (!untold.delete(this.id)) post({ t: 'clear', id: this.id });
        post({ t: 'timer', id: this.id, ms, due: virtualNow() + ms });
      }
      return this;
    }
    close() {
      clear(this);
      return this;
    }
    [Symbol.toPrimitive]() {
      return this.id;
    }
    [Symbol.dispose]() {
      clear(this);
    }
  }

  const schedule = (fn: unknown, ms: unknown, args: unknown[], repeat: boolean) => {
    if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function.');
    const delay = Math.max(0, Number(ms) || 0);
    // Zero-delay timers mean "soon", not "at a time": a real timer keeps them cheap.
    if (delay < 1 && !repeat) return realSetTimeout(fn as () => void, 0, ...args);
    const id = nextId++;
    timers.set(id, {
      fn: fn as Pending['fn'],
      args,
      interval: repeat ? Math.max(1, delay) : undefined,
      ref: true,
    });
    markActive();
    const wait = Math.max(1, delay);
    const message: FromSandbox = { t: 'timer', id, ms: wait, due: virtualNow() + wait };
    if (active && !repeat && wait >= LATE_TIMER_MS) untold.set(id, { message, setAt: performance.now() });
    else post(message);
    return new VirtualTimeout(id);
  };

  /** Posts the untold timers (all, or those set TELL_AFTER_MS or more ago). */
  const tell = (all: boolean) => {
    const before = performance.now() - TELL_AFTER_MS;
    for (const [id, { message, setAt }] of untold)
      if (all || setAt <= before) {
        untold.delete(id);
        post(message);
      }
  };

  const clear = (handle: unknown) => {
    if (handle instanceof VirtualTimeout) {
      if (timers.delete(handle.id) && !untold.delete(handle.id)) post({ t: 'clear', id: handle.id });
    } else if (handle !== undefined && handle !== null) {
      realClearTimeout(handle as NodeJS.Timeout);
    }
  };

  globalThis.setTimeout = ((fn: unknown, ms?: unknown, ...args: unknown[]) =>
    schedule(fn, ms, args, false)) as typeof setTimeout;
  globalThis.setInterval = ((fn: unknown, ms?: unknown, ...args: unknown[]) =>
    schedule(fn, ms, args, true)) as typeof setInterval;
  globalThis.clearTimeout = clear as typeof clearTimeout;
  globalThis.clearInterval = clear as typeof clearInterval;

  // Looks at the event loop now and then (real time, never keeping the worker alive), only
  // while an invocation runs: a warm sandbox waiting for its next event wakes no thread (a
  // check holds a dozen of them on two cores).
  let monitor: ReturnType<typeof realSetInterval> | undefined;
  const look = () => {
    if (!active || saidIdle) return;
    tell(false);
    const waitingOnTimers = [...timers.values()].some((t) => t.ref);
    const busy = process.getActiveResourcesInfo().some((r) => BUSY_RESOURCES.has(r));
    if (waitingOnTimers && !busy) {
      quietLooks++;
      if (quietLooks >= 2) {
        saidIdle = true;
        // The clock may jump now: it must know every timer it would jump past.
        tell(true);
        post({ t: 'idle' });
      }
    } else quietLooks = 0;
  };

  return {
    fire(id) {
      const t = timers.get(id);
      if (!t) return;
      markActive();
      if (t.interval !== undefined) post({ t: 'timer', id, ms: t.interval, due: virtualNow() + t.interval });
      else timers.delete(id);
      t.fn(...t.args);
    },
    beginInvocation() {
      active = true;
      markActive();
      if (!monitor) {
        monitor = realSetInterval(look, 4);
        monitor.unref();
      }
    },
    endInvocation() {
      // A timer left running fires later, on the main thread's clock: tell it now.
      tell(true);
      active = false;
      realClearInterval(monitor);
      monitor = undefined;
    },
  };
}
