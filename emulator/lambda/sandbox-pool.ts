/**
 * Sandbox worker threads, started ahead of need or on demand.
 *
 * A sandbox worker boots the runtime (sandbox-runtime.ts) and waits to be told its function
 * (sandbox.ts sends it). A pool keeps some booted, so a cold start skips the thread's boot:
 *
 *   const pool = new SandboxPool();      // npm run dev, npm start, check --watch: one per process
 *   pool.fill();                         // while the learner reads: boot what the last run used
 *   const worker = await pool.take(1024); // a cold start: a booted worker, or a new one
 *
 * A booted worker holds the runtime and, loaded ahead, the runtime's own packages (the AWS
 * SDK) that sandboxes of its heap limit loaded before: no handler, no module of the
 * learner, no environment of a function, no seed; its handler loads as in a new one, with
 * its own module state. What it changes is when the thread's boot and the SDK's loading
 * happen, and so the init time a cold start spends against Lambda's 10-second init limit
 * (docs/reference/local-cloud.md says so). A handler whose project has an SDK of its own
 * loads that one, as before.
 */
import nodeModule from 'node:module';
import { Worker } from 'node:worker_threads';
import { sandboxRuntimeFile } from './sandbox-runtime-file.ts';
import { runtimeModulesDir } from './runtime-modules.ts';
import type { FromSandbox } from './sandbox-protocol.ts';
import { pathToFileURL } from 'node:url';
import { dirname } from 'node:path';

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

/**
 * What a sandbox's environment must hold from its first instant, the same for every
 * function: NODE_PATH (CommonJS reads it once, at boot: Lambda's own ends with the runtime's
 * node_modules, where the SDK is) and the time zone. The rest arrives with the function.
 */
export function sandboxBootEnv(): Record<string, string> {
  return { TZ: 'UTC', NODE_PATH: runtimeModulesDir() };
}

/** A sandbox's V8 heap limit for a function of `memorySize` MB: a handler that eats memory kills its sandbox, never the local cloud. */
export function sandboxHeapMb(memorySize: number): number {
  return Math.max(256, memorySize);
}

/**
 * The parent's flags the sandboxes start with: sandboxExecArgv(), less what a worker refused.
 * A process-wide flag (`node --max-old-space-size=4096 checker/bin/dojo.mjs dev`, `--expose-gc`,
 * `--stack-size`) makes `new Worker` throw ERR_WORKER_INVALID_EXEC_ARGV, and every function
 * failed to start; such a flag holds for the whole process, its sandboxes included, already.
 * Learned at the first sandbox's start: no worker is started only to ask.
 */
let workerFlags: string[] | undefined;

/**
 * A new sandbox worker, booting; it gets its function from sandbox.ts. `preload`: provided
 * packages (the AWS SDK) it loads before it says it has booted.
 */
export async function startSandboxWorker(heapMb: number, preload: string[] = []): Promise<Worker> {
  const runtimeUrl = pathToFileURL(await sandboxRuntimeFile()).href;
  const options = {
    // The process's code cache, if it has one (the CLI's: checker/bin/compile-cache.mjs): a
    // worker does not inherit it, and the SDK each sandbox loads is the same every time.
    workerData: { runtimeUrl, preload, compileCacheDir: compileCacheBase() },
    env: sandboxBootEnv(),
    stdout: false,
    stderr: false,
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  };
  workerFlags ??= sandboxExecArgv();
  try {
    return new Worker(BOOTSTRAP, { ...options, execArgv: workerFlags });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV' || !workerFlags.length)
      throw err;
    // Node names the flags it refused ("…invalid execArgv flags: --a, --b"); if it ever stops
    // saying so, the sandboxes start without the parent's flags.
    const refused = /flags: (.+)$/.exec((err as Error).message)?.[1].split(', ') ?? [];
    const kept = workerFlags.filter((flag) => !refused.includes(flag));
    workerFlags = kept.length < workerFlags.length ? kept : [];
    return startSandboxWorker(heapMb, preload);
  }
}

/** The folder the process's code cache was enabled with (Node keeps one folder per version inside it). */
function compileCacheBase(): string | undefined {
  const dir = nodeModule.getCompileCacheDir?.(); // Node 22.1 and later
  return dir && dirname(dir);
}

/** The sandboxes a pool keeps booted for one heap limit, at most. */
const MAX_BOOTED = 12;

/** Booted sandbox workers, kept per heap limit, as many as the last run took. */
export class SandboxPool {
  /** Per heap limit, workers booted or booting, oldest first (undefined: it failed to boot). */
  private readonly waiting = new Map<number, Array<Promise<Worker | undefined>>>();
  /** Per heap limit, the provided packages its sandboxes loaded: what a booted one loads ahead. */
  private readonly packages = new Map<number, Set<string>>();
  /** How many each heap limit was asked for since the last fill: what the next fill boots. */
  private readonly demand = new Map<number, number>();
  /** Boots run one after another, so they yield the CPU to whatever runs next. */
  private booting: Promise<unknown> = Promise.resolve();
  private closed = false;

  /** A worker for this heap limit: one booted (or still booting: it is nearly there), else a new one. */
  async take(heapMb: number): Promise<Worker> {
    this.demand.set(heapMb, (this.demand.get(heapMb) ?? 0) + 1);
    for (let next = this.waiting.get(heapMb)?.shift(); next; next = this.waiting.get(heapMb)?.shift()) {
      const worker = await next;
      if (worker && !this.gone.has(worker)) return worker;
    }
    return startSandboxWorker(heapMb);
  }

  /**
   * Boots, for each heap limit taken since the last fill, as many workers as were taken (at
   * most MAX_BOOTED), counting those already waiting. Resolves when they have booted.
   */
  fill(): Promise<void> {
    const wanted = [...this.demand].map(([heapMb, n]) => [heapMb, Math.min(n, MAX_BOOTED)] as const);
    this.demand.clear();
    for (const [heapMb, n] of wanted) this.boot(heapMb, n - (this.waiting.get(heapMb)?.length ?? 0));
    return this.settled();
  }

  /** A sandbox of this heap limit loaded these provided packages (the AWS SDK) in its init. */
  learn(heapMb: number, packages: readonly string[]): void {
    const known = this.packages.get(heapMb) ?? new Set<string>();
    for (const name of packages) known.add(name);
    this.packages.set(heapMb, known);
  }

  /** How many workers for this heap limit wait, booted or booting. */
  waitingFor(heapMb: number): number {
    return this.waiting.get(heapMb)?.length ?? 0;
  }

  /** Ends the workers that wait (those taken belong to their sandboxes). */
  async close(): Promise<void> {
    this.closed = true;
    const waiting = [...this.waiting.values()].flat();
    this.waiting.clear();
    await Promise.all(waiting.map(async (w) => (await w)?.terminate()));
  }

  private readonly gone = new WeakSet<Worker>();

  private settled(): Promise<void> {
    return this.booting.then(() => undefined);
  }

  private boot(heapMb: number, n: number): void {
    for (let i = 0; i < n; i++) {
      const worker = this.booting.then(() => (this.closed ? undefined : this.bootOne(heapMb)));
      this.booting = worker;
      const list = this.waiting.get(heapMb) ?? [];
      list.push(worker);
      this.waiting.set(heapMb, list);
    }
  }

  /** One booted worker; one that fails to boot is dropped (a cold start then starts its own and says why). */
  private async bootOne(heapMb: number): Promise<Worker | undefined> {
    const preload = [...(this.packages.get(heapMb) ?? [])];
    const worker = await startSandboxWorker(heapMb, preload).catch(() => undefined);
    if (!worker) return undefined;
    const booted = await new Promise<boolean>((resolve) => {
      const onMessage = (m: FromSandbox) => {
        if (m.t !== 'booted') return;
        worker.off('message', onMessage);
        resolve(true);
      };
      worker.on('message', onMessage);
      worker.once('error', () => resolve(false));
      worker.once('exit', () => resolve(false));
    });
    // One that dies while it waits (it should not) is never handed out.
    worker.once('exit', () => this.gone.add(worker));
    if (booted && !this.closed) return worker;
    void worker.terminate();
    return undefined;
  }
}
