/**
 * One Lambda execution environment, seen from the main thread: a worker thread running
 * `sandbox-runtime.ts` (started by sandbox-pool.ts, booted or booting), told here which
 * function it is for. It serves one invocation at a time. While an invocation runs it
 * holds the virtual clock, except while the handler only waits for virtual timers.
 */
import type { Worker } from 'node:worker_threads';
import type { VirtualClock } from '../core/clock.ts';
import type {
  FromSandbox,
  InvokeRequest,
  LambdaError,
  ProbeRequest,
  SandboxInit,
  ToSandbox,
  UnawaitedCall,
} from './sandbox-protocol.ts';

export interface SandboxOptions {
  /** A sandbox worker that has not been told its function yet (sandbox-pool.ts). */
  worker: Worker;
  init: SandboxInit;
  /** The function's whole environment (the worker booted with sandboxBootEnv() only). */
  env: Record<string, string>;
  clock: VirtualClock;
  onLog(requestId: string | undefined, level: string, message: string): void;
}

export type InvocationOutcome =
  | { ok: true; value: unknown; unawaited?: UnawaitedCall[]; memoryUsedMb?: number }
  | { ok: false; error: LambdaError; fatal: boolean; unawaited?: UnawaitedCall[]; memoryUsedMb?: number };

export class Sandbox {
  readonly createdAt = Date.now();
  /** The CloudWatch Logs stream its lines go to. */
  readonly logStream: string;
  busy = false;
  dead = false;
  /** The runtime's packages (the AWS SDK) its init loaded: what a pool may load ahead next time. */
  providedPackages: string[] = [];
  /** The invocation in flight (or the last one): calls signed by this sandbox belong to it. */
  requestId: string | undefined;
  invokeSeq: number | undefined;
  private readonly worker: Worker;
  private readonly timers = new Map<number, unknown>();
  private pending:
    { requestId: string; resolve(o: InvocationOutcome): void; release?: () => void } | undefined;
  /** Resolves when the init phase (loading the handler) is over, successful or not. */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private deathError: LambdaError | undefined;

  constructor(private readonly options: SandboxOptions) {
    this.logStream = options.init.logStreamName;
    // Init is real work: the clock moves at real speed until the handler is loaded.
    const releaseInit = options.clock.hold();
    this.ready = new Promise<void>((resolve) => (this.markReady = resolve)).finally(releaseInit);
    this.worker = options.worker;
    this.worker.on('message', (m: FromSandbox) => this.onMessage(m));
    this.worker.on('error', (err) =>
      this.die({
        errorType: 'Runtime.UnhandledError',
        errorMessage: `${err.name}: ${err.message}`,
        trace: err.stack?.split('\n'),
      }),
    );
    this.worker.on('exit', (code) =>
      this.die({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${this.pending?.requestId ?? '-'} Error: Runtime exited with error: exit status ${code}`,
      }),
    );
    this.worker.postMessage({ t: 'init', init: options.init, env: options.env } satisfies ToSandbox);
  }

  invoke(req: Omit<InvokeRequest, 't'>): Promise<InvocationOutcome> {
    return this.run({ t: 'invoke', ...req });
  }

  /** Runs a randomness probe (see ProbeRequest); its answers come back as the outcome's value. */
  probe(req: Omit<ProbeRequest, 't'>): Promise<InvocationOutcome> {
    return this.run({ t: 'probe', ...req });
  }

  private run(msg: InvokeRequest | ProbeRequest): Promise<InvocationOutcome> {
    if (this.dead)
      return Promise.resolve({
        ok: false,
        error: this.deathError ?? { errorType: 'Runtime.ExitError', errorMessage: 'The sandbox is gone.' },
        fatal: true,
      });
    this.busy = true;
    return new Promise((resolve) => {
      this.pending = { requestId: msg.requestId, resolve, release: this.options.clock.hold() };
      this.worker.postMessage(msg);
    });
  }

  /** Ends the invocation in flight with `error` and throws the sandbox away (timeouts). */
  kill(error: LambdaError): void {
    this.die(error);
  }

  async terminate(): Promise<void> {
    this.dead = true;
    for (const handle of this.timers.values()) this.options.clock.clearTimeout(handle);
    this.timers.clear();
    await this.worker.terminate();
  }

  private onMessage(m: FromSandbox): void {
    switch (m.t) {
      case 'log':
        this.options.onLog(m.requestId, m.level, m.message);
        return;
      case 'timer': {
        this.rehold();
        const handle = this.options.clock.setTimeout(
          () => {
            this.timers.delete(m.id);
            if (this.dead) return;
            this.rehold();
            // The sandbox reads the time from the shared buffer: make it current first.
            this.options.clock.publish();
            this.worker.postMessage({ t: 'fire', id: m.id });
          },
          Math.max(0, m.due - this.options.clock.now()),
        );
        this.timers.set(m.id, handle);
        return;
      }
      case 'clear': {
        const handle = this.timers.get(m.id);
        if (handle !== undefined) this.options.clock.clearTimeout(handle);
        this.timers.delete(m.id);
        return;
      }
      case 'ready':
        this.providedPackages = m.packages;
        this.markReady();
        return;
      case 'booted':
        return;
      case 'idle':
        // The handler only waits for virtual timers: let the clock jump to them.
        this.pending?.release?.();
        if (this.pending) this.pending.release = undefined;
        return;
      case 'result': {
        const p = this.pending;
        if (!p || p.requestId !== m.requestId) return;
        this.finish(
          m.ok
            ? { ok: true, value: m.value, unawaited: m.unawaited, memoryUsedMb: m.memoryUsedMb }
            : {
                ok: false,
                error: m.error,
                fatal: false,
                unawaited: m.unawaited,
                memoryUsedMb: m.memoryUsedMb,
              },
        );
        return;
      }
      case 'probed': {
        if (this.pending?.requestId === m.requestId) this.finish({ ok: true, value: m.answers });
        return;
      }
    }
  }

  private rehold(): void {
    if (this.pending && !this.pending.release) this.pending.release = this.options.clock.hold();
  }

  private finish(outcome: InvocationOutcome): void {
    const p = this.pending;
    this.pending = undefined;
    this.busy = false;
    p?.release?.();
    p?.resolve(outcome);
  }

  private die(error: LambdaError): void {
    this.markReady();
    if (this.dead && !this.pending) return;
    this.dead = true;
    this.deathError ??= error;
    this.finish({ ok: false, error, fatal: true });
    void this.terminate();
  }
}
