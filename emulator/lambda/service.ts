/**
 * The Lambda service: functions, their warm sandboxes, invocations with Lambda's timeout
 * and error shapes, logs captured per request id, and a trace entry for each.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { armDeadline } from './deadline.ts';
import { watch, type FSWatcher } from 'node:fs';
import type { VirtualClock } from '../core/clock.ts';
import { AwsError } from '../core/errors.ts';
import { summarize, type Trace } from '../core/trace.ts';
import { Sandbox, type InvocationOutcome } from './sandbox.ts';
import { sandboxBootEnv, sandboxHeapMb, startSandboxWorker, type SandboxPool } from './sandbox-pool.ts';
import type { Worker } from 'node:worker_threads';
import type { LambdaError, ProbeAnswer } from './sandbox-protocol.ts';
import { unawaitedEntry } from './unawaited.ts';
import { isBuildOutput } from '../core/build-output.ts';
import { runtimeModulesDir } from './runtime-modules.ts';
import { bundleHandler, needsBundle, type HandlerBundle } from './handler-bundle.ts';

export interface FunctionConfig {
  name: string;
  logicalId?: string;
  /** As in the template, e.g. `functions/createVirus/handler.main`. */
  handler: string;
  /** The TypeScript (or JavaScript) file the handler maps back to. */
  sourceFile: string;
  exportName: string;
  /** Folder watched for changes: a change gets fresh sandboxes. */
  codeDir?: string;
  environment: Record<string, string>;
  timeout: number;
  memorySize: number;
  roleArn?: string;
}

export interface InvokeOptions {
  /** `Event` runs in the background, as an async invoke does. */
  invocationType?: 'RequestResponse' | 'Event';
  /** Trace seq of what caused this invocation (a rule, a state, an HTTP request). */
  cause?: number;
  /** Who invoked: shown in the trace and the live log. */
  source?: string;
}

export interface InvokeResult {
  requestId: string;
  functionName: string;
  ok: boolean;
  payload: unknown;
  error?: LambdaError;
  logs: string[];
  /** Virtual ms from start to end. */
  durationMs: number;
  traceSeq: number;
}

export interface Caller {
  functionName: string;
  functionArn: string;
  roleArn?: string;
  requestId?: string;
  invokeSeq?: number;
}

export interface LambdaServiceContext {
  clock: VirtualClock;
  trace: Trace;
  region: string;
  accountId: string;
  endpoint(): string;
  /** Seeds Math.random in sandboxes (each sandbox gets its own stream). */
  seed?: number;
  /** Where each sandbox's lines go, as Lambda sends them to CloudWatch Logs (one stream per sandbox). */
  writeLog?(group: string, stream: string, message: string): void;
  /** A new sandbox's log stream name. */
  logStreamName?(): string;
  /** How overloaded the machine is (runnable work per core); stretches the init limit. */
  machineLoad?: () => number;
  /** Booted sandbox workers to start from (sandbox-pool.ts); without it each cold start boots its own. */
  sandboxPool?: SandboxPool;
}

// Lambda would scale further; a laptop with 2 cores would not. Beyond this, invocations queue.
const MAX_SANDBOXES_PER_FUNCTION = 10;
// Lambda's init phase limit (stretched on an overloaded machine: see deadline.ts).
const INIT_TIMEOUT_MS = 10_000;
// Cold starts compete for the CPU: on a 2-core laptop, 16 at once take ~10 s each (past
// the init limit). A few at a time, each is quick, and the others wait their turn.
const CONCURRENT_INITS = 3;

/** A counting semaphore: at most `size` holders at once, the others wait in order. */
class Slots {
  private used = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly size: number) {}
  async take(): Promise<() => void> {
    if (this.used >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    else this.used++;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.used--;
    };
  }
}

export class LambdaService {
  private readonly functions = new Map<string, RegisteredFunction>();
  private readonly initSlots = new Slots(CONCURRENT_INITS);

  constructor(private readonly ctx: LambdaServiceContext) {}

  /**
   * Creates a function, or updates the one of that name in place (UpdateFunctionCode and
   * UpdateFunctionConfiguration): the next invocation gets a sandbox with the new code and
   * configuration, while an invocation in flight finishes on the old one, as on Lambda.
   */
  register(config: FunctionConfig): void {
    const existing = this.functions.get(config.name);
    if (existing) existing.reconfigure(config);
    else
      this.functions.set(
        config.name,
        new RegisteredFunction(config, this.arnOf(config.name), this.ctx, this.initSlots),
      );
  }

  /** DeleteFunction: new invocations fail at once; those in flight finish, then their sandboxes go. */
  remove(name: string): void {
    const fn = this.functions.get(name);
    if (!fn) return;
    this.functions.delete(name);
    fn.retire();
  }

  /** Fresh sandboxes for every function whose code lives in `codeDir` (a handler was saved). */
  refresh(codeDir: string): void {
    for (const f of this.functions.values()) if (f.config.codeDir === codeDir) f.renew();
  }

  arnOf(name: string): string {
    return `arn:aws:lambda:${this.ctx.region}:${this.ctx.accountId}:function:${name}`;
  }

  list(): Array<FunctionConfig & { arn: string }> {
    return [...this.functions.values()].map((f) => ({ ...f.config, arn: f.arn }));
  }

  get(nameOrArn: string): (FunctionConfig & { arn: string }) | undefined {
    const f = this.lookup(nameOrArn);
    return f && { ...f.config, arn: f.arn };
  }

  /**
   * Who signed a request: each sandbox has credentials of its own, so a call is traced back
   * to its function and to the invocation in flight there.
   */
  callerFor(accessKeyId: string): Caller | undefined {
    for (const f of this.functions.values()) {
      const sandbox = f.sandboxForKey(accessKeyId);
      if (sandbox)
        return {
          functionName: f.config.name,
          functionArn: f.arn,
          roleArn: f.config.roleArn,
          requestId: sandbox.requestId,
          invokeSeq: sandbox.invokeSeq,
        };
    }
    return undefined;
  }

  async invoke(nameOrArn: string, event: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    const fn = this.lookup(nameOrArn);
    if (!fn) {
      throw new AwsError(
        'ResourceNotFoundException',
        `Function not found: ${nameOrArn.startsWith('arn:') ? nameOrArn : this.arnOf(nameOrArn)}`,
        404,
        { Type: 'User' },
      );
    }
    const run = fn.invoke(event, options);
    if (options.invocationType === 'Event') {
      run.catch(() => undefined);
      const started = await fn.started;
      return {
        requestId: started,
        functionName: fn.config.name,
        ok: true,
        payload: null,
        logs: [],
        durationMs: 0,
        traceSeq: 0,
      };
    }
    return run;
  }

  /**
   * Runs a function's handler once per input with `Math.random` answering that input (see
   * ProbeRequest): how a local check measures a random draw exactly. Not an AWS API.
   */
  async probe(nameOrArn: string, event: unknown, inputs: Array<number | null>): Promise<ProbeAnswer[]> {
    const fn = this.lookup(nameOrArn);
    if (!fn)
      throw new AwsError('ResourceNotFoundException', `Function not found: ${nameOrArn}`, 404, {
        Type: 'User',
      });
    return fn.probe(event, inputs);
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.functions.values()].map((f) => f.dispose()));
    this.functions.clear();
  }

  private lookup(nameOrArn: string): RegisteredFunction | undefined {
    // Lambda accepts a name, a full ARN or a partial ARN (ACCOUNT:function:NAME), with an optional qualifier.
    const m = /^(?:arn:aws[a-z-]*:lambda:[^:]+:)?(?:\d{12}:)?(?:function:)?([^:]+)(?::[^:]+)?$/.exec(
      nameOrArn,
    );
    return m ? this.functions.get(m[1]) : undefined;
  }
}

class RegisteredFunction {
  private readonly idle: Sandbox[] = [];
  private readonly all = new Set<Sandbox>();
  private readonly queue: Array<() => void> = [];
  private generation = 0;
  private spawned = 0;
  private readonly generations = new WeakMap<Sandbox, number>();
  private watcher: FSWatcher | undefined;
  /** Deleted: sandboxes are thrown away as they come back. */
  private retired = false;
  private readonly logsByRequest = new Map<string, string[]>();
  private readonly keys = new Map<string, Sandbox>();
  /** Resolves with the request id once the last invocation has started (for async invokes). */
  started: Promise<string> = Promise.resolve('');

  /** The code of one generation of sandboxes, bundled once (handler-bundle.ts). */
  private bundled: { generation: number; sourceFile: string; bundle: Promise<HandlerBundle> } | undefined;

  constructor(
    public config: FunctionConfig,
    readonly arn: string,
    private readonly ctx: LambdaServiceContext,
    private readonly initSlots: Slots,
  ) {
    this.watch();
    // Bundled while the deploy goes on, so the first cold start finds it made.
    this.prefetch();
  }

  /** New code or configuration: warm sandboxes go now, busy ones when their invocation ends. */
  reconfigure(config: FunctionConfig): void {
    const codeDirChanged = config.codeDir !== this.config.codeDir;
    this.config = config;
    this.renew();
    this.prefetch();
    if (codeDirChanged) {
      this.watcher?.close();
      this.watch();
    }
  }

  retire(): void {
    this.retired = true;
    this.watcher?.close();
    this.renew();
  }

  private watch(): void {
    this.watcher = undefined;
    if (!this.config.codeDir) return;
    try {
      this.watcher = watch(this.config.codeDir, { recursive: true }, (_event, file) => {
        if (file && isBuildOutput(file)) return;
        // A changed file gets fresh sandboxes: warm ones are dropped when they come back.
        this.renew();
      });
      // Node's recursive watcher reads folders as they appear: one gone by then (build
      // output) is an 'error' event, which would kill the process if nobody listened.
      // Missing a change here is fine: npm run dev's own watcher calls refresh() too.
      this.watcher.on('error', () => undefined);
      this.watcher.unref();
    } catch {
      this.watcher = undefined;
    }
  }

  /** Starts a new generation of sandboxes (the code on disk changed): idle ones are dropped now, busy ones on release. */
  renew(): void {
    this.generation++;
    for (const s of this.idle.splice(0)) this.drop(s);
  }

  private drop(sandbox: Sandbox): void {
    this.all.delete(sandbox);
    for (const [k, s] of this.keys) if (s === sandbox) this.keys.delete(k);
    void sandbox.terminate();
  }

  invoke(event: unknown, options: InvokeOptions): Promise<InvokeResult> {
    const requestId = randomUUID();
    let markStarted!: (id: string) => void;
    this.started = new Promise((r) => (markStarted = r));
    return this.acquire().then(async (sandbox) => {
      const { trace, clock } = this.ctx;
      await this.initialized(sandbox);
      const name = this.config.name;
      const start = trace.record({
        kind: 'invoke.start',
        function: name,
        requestId,
        cause: options.cause,
        source: options.source,
        event: summarize(event),
      });
      markStarted(requestId);
      sandbox.requestId = requestId;
      sandbox.invokeSeq = start.seq;
      const logs: string[] = [];
      this.logsByRequest.set(requestId, logs);
      const emit = (line: string) => {
        logs.push(line);
        this.toCloudWatch(sandbox, line);
      };
      emit(`START RequestId: ${requestId} Version: $LATEST`);
      const t0 = clock.now();
      const deadline = t0 + this.config.timeout * 1000;
      const timer = clock.setTimeout(() => {
        sandbox.kill({
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${requestId} Error: Task timed out after ${this.config.timeout.toFixed(2)} seconds`,
        });
      }, this.config.timeout * 1000);
      let outcome: InvocationOutcome;
      try {
        outcome = await sandbox.invoke({ requestId, event, deadline });
      } finally {
        clock.clearTimeout(timer);
      }
      const durationMs = clock.now() - t0;
      for (const call of outcome.unawaited ?? []) {
        const entry = unawaitedEntry(this.config, call, { requestId, ok: outcome.ok, startSeq: start.seq });
        emit(`${new Date().toISOString()}\t${requestId}\tWARN\t${entry.message}`);
        trace.record(entry);
      }
      if (!outcome.ok) {
        const e = outcome.error;
        emit(`${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(e)}`);
      }
      emit(`END RequestId: ${requestId}`);
      emit(
        `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(durationMs))} ms\tMemory Size: ${this.config.memorySize} MB\tMax Memory Used: ${outcome.memoryUsedMb ?? 0} MB`,
      );
      this.logsByRequest.delete(requestId);
      this.release(sandbox);
      const end = trace.record({
        kind: 'invoke.end',
        function: name,
        requestId,
        cause: start.seq,
        ok: outcome.ok,
        durationMs,
        result: outcome.ok ? summarize(outcome.value) : undefined,
        error: outcome.ok ? undefined : outcome.error,
      });
      return {
        requestId,
        functionName: name,
        ok: outcome.ok,
        payload: outcome.ok ? outcome.value : outcome.error,
        error: outcome.ok ? undefined : outcome.error,
        logs,
        durationMs,
        traceSeq: end.seq,
      };
    });
  }

  async probe(event: unknown, inputs: Array<number | null>): Promise<ProbeAnswer[]> {
    const sandbox = await this.acquire();
    try {
      await this.initialized(sandbox);
      const outcome = await sandbox.probe({ requestId: randomUUID(), event, inputs });
      if (!outcome.ok) throw new Error(`${outcome.error.errorType}: ${outcome.error.errorMessage}`);
      return outcome.value as ProbeAnswer[];
    } finally {
      this.release(sandbox);
    }
  }

  /** Each line as its own event, ending in a newline as the Node.js runtime writes them. */
  private toCloudWatch(sandbox: Sandbox, line: string): void {
    this.ctx.writeLog?.(`/aws/lambda/${this.config.name}`, sandbox.logStream, `${line}\n`);
  }

  sandboxForKey(accessKeyId: string): Sandbox | undefined {
    return this.keys.get(accessKeyId);
  }

  async dispose(): Promise<void> {
    this.watcher?.close();
    await Promise.all([...this.all].map((s) => s.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }

  private acquire(): Promise<Sandbox> {
    let warm = this.idle.pop();
    // A sandbox can die while idle (a timer it left behind threw): Lambda starts a new one.
    while (warm?.dead) {
      this.drop(warm);
      warm = this.idle.pop();
    }
    if (warm) return Promise.resolve(warm);
    if (this.all.size + this.starting < MAX_SANDBOXES_PER_FUNCTION) return this.coldStart();
    return new Promise((resolve) => this.queue.push(() => resolve(this.acquire())));
  }

  private starting = 0;

  /** A new sandbox, once its code is bundled and an init slot is free; waiting holds the clock (work is queued). */
  private async coldStart(): Promise<Sandbox> {
    this.starting++;
    const release = this.ctx.clock.hold();
    // The generation whose code the sandbox runs: a save while bundling makes it stale at once.
    const generation = this.generation;
    let bundle: HandlerBundle | undefined;
    let done: (() => void) | undefined;
    let worker: Worker;
    try {
      bundle = await this.bundle();
      done = await this.initSlots.take();
      const heapMb = sandboxHeapMb(this.config.memorySize);
      worker = await (this.ctx.sandboxPool?.take(heapMb) ?? startSandboxWorker(heapMb));
    } catch (err) {
      done?.();
      throw err;
    } finally {
      this.starting--;
      release();
    }
    const sandbox = this.spawn(worker, bundle, generation);
    void sandbox.ready.finally(done);
    void sandbox.ready.then(() =>
      this.ctx.sandboxPool?.learn(sandboxHeapMb(this.config.memorySize), sandbox.providedPackages),
    );
    return sandbox;
  }

  /** Starts bundling now; a failure to bundle is reported by the cold start that needs it. */
  private prefetch(): void {
    this.bundle()?.catch(() => undefined);
  }

  /** This generation's bundle of a TypeScript handler (undefined for plain JavaScript). */
  private bundle(): Promise<HandlerBundle> | undefined {
    const { sourceFile } = this.config;
    if (!needsBundle(sourceFile)) return undefined;
    if (this.bundled?.generation !== this.generation || this.bundled.sourceFile !== sourceFile)
      this.bundled = { generation: this.generation, sourceFile, bundle: bundleHandler(sourceFile) };
    return this.bundled.bundle;
  }

  /** Waits for the init phase, which has its own limit, apart from the function timeout. */
  private async initialized(sandbox: Sandbox): Promise<void> {
    const cancel = armDeadline(
      this.ctx.clock,
      INIT_TIMEOUT_MS,
      () =>
        sandbox.kill({
          errorType: 'Runtime.InitError',
          errorMessage: `INIT_REPORT Init Duration: ${INIT_TIMEOUT_MS.toFixed(2)} ms Phase: init Status: timeout. Loading ${this.config.handler} took longer than ${INIT_TIMEOUT_MS / 1000} s: is there a long-running call at the top of the module?`,
        }),
      this.ctx.machineLoad,
    );
    try {
      await sandbox.ready;
    } finally {
      cancel();
    }
  }

  private release(sandbox: Sandbox): void {
    if (sandbox.dead || this.retired || this.generations.get(sandbox) !== this.generation) {
      this.drop(sandbox);
    } else {
      this.idle.push(sandbox);
    }
    this.queue.shift()?.();
  }

  private spawn(worker: Worker, bundle: HandlerBundle | undefined, generation: number): Sandbox {
    const { region } = this.ctx;
    const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    const runtimeModules = runtimeModulesDir();
    const env: Record<string, string> = {
      ...this.config.environment,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ENDPOINT_URL: this.ctx.endpoint(),
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'local-cloud-secret',
      AWS_SESSION_TOKEN: 'local-cloud-session',
      AWS_LAMBDA_FUNCTION_NAME: this.config.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.config.memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${this.config.name}`,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      NODE_ENV: process.env.NODE_ENV ?? 'production',
      PATH: process.env.PATH ?? '',
      ...sandboxBootEnv(),
    };
    const sandbox = new Sandbox({
      worker,
      init: {
        shared: this.ctx.clock.shared,
        sourceFile: this.config.sourceFile,
        ...(bundle && 'file' in bundle ? { bundleFile: bundle.file } : {}),
        ...(bundle && 'error' in bundle ? { bundleError: bundle.error } : {}),
        exportName: this.config.exportName,
        handler: this.config.handler,
        functionName: this.config.name,
        functionArn: this.arn,
        memorySize: this.config.memorySize,
        region,
        runtimeModules,
        endpoint: this.ctx.endpoint(),
        logStreamName: this.ctx.logStreamName?.() ?? `local/[$LATEST]${randomBytes(16).toString('hex')}`,
        seed:
          this.ctx.seed === undefined ? undefined : seedFor(this.ctx.seed, this.config.name, this.spawned++),
      },
      env,
      clock: this.ctx.clock,
      onLog: (requestId, level, message) => this.log(sandbox, requestId, level, message),
    });
    this.generations.set(sandbox, generation);
    this.keys.set(accessKeyId, sandbox);
    this.all.add(sandbox);
    return sandbox;
  }

  private log(sandbox: Sandbox, requestId: string | undefined, level: string, message: string): void {
    const line = `${new Date().toISOString()}\t${requestId ?? 'undefined'}\t${level}\t${message}`;
    if (requestId) this.logsByRequest.get(requestId)?.push(line);
    this.toCloudWatch(sandbox, line);
    this.ctx.trace.record({ kind: 'log', function: this.config.name, requestId, level, message });
  }
}

/** Derives a sandbox's seed from the run's seed, the function and the sandbox's number. */
function seedFor(seed: number, name: string, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const c of `${name}#${index}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}
