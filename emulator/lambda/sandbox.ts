/**
 * One Lambda execution environment, seen from the main thread: a worker thread running
 * `sandbox-runtime.ts`. It serves one invocation at a time. While an invocation runs it
 * holds the virtual clock, except while the handler only waits for virtual timers.
 */
import { Worker } from 'node:worker_threads';
import type { VirtualClock } from '../core/clock.ts';
import type {
  FromSandbox,
  InvokeRequest,
  LambdaError,
  ProbeRequest,
  SandboxInit,
  UnawaitedCall,
} from './sandbox-protocol.ts';

export interface SandboxOptions {
  init: SandboxInit;
  env: Record<string, string>;
  clock: VirtualClock;
  onLog(requestId: string | undefined, level: string, message: string): void;
}

export type InvocationOutcome =
  | { ok: true; value: unknown; unawaited?: UnawaitedCall[]; memoryUsedMb?: number }
  | { ok: false; error: LambdaError; fatal: boolean; unawaited?: UnawaitedCall[]; memoryUsedMb?: number };

const BOOTSTRAP = new URL('./sandbox-bootstrap.mjs', import.meta.url);

/** Flags that preload a loader (`--import tsx`, `-r ...`): workers would inherit them. */
const PRELOAD_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * The parent's Node flags minus its preloads: a local cloud started through `node --import
 * tsx` would otherwise load tsx again in every sandbox (most of a cold start), while the
 * sandbox needs no loader (sandbox-bootstrap.mjs). Other flags (--cpu-prof...) still apply.
 */
export function sandboxExecArgv(parent: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const flag = parent[i];
    if (PRELOAD_FLAGS.has(flag)) i++;
    else if (![...PRELOAD_FLAGS].some((p) => flag.startsWith(`${p}=`))) kept.push(flag);
  }
  return kept;
}

export class Sandbox {
  readonly createdAt = Date.now();
  /** The CloudWatch Logs stream its lines go to. */
  readonly logStream: string;
  busy = false;
  dead = false;
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
    this.worker = new Worker(BOOTSTRAP, {
      workerData: options.init,
      env: options.env,
      execArgv: sandboxExecArgv(),
      stdout: false,
      stderr: false,
      // A handler that eats memory kills its sandbox, never the local cloud.
      resourceLimits: { maxOldGenerationSizeMb: Math.max(256, options.init.memorySize) },
    });
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
        this.markReady();
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
