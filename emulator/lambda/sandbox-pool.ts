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
 * A booted worker holds the runtime and nothing else: no handler, no module of the learner,
 * no environment of a function, no seed; it is as fresh as a new one. What it changes is
 * when the thread's boot happens, and so the init time a cold start spends against
 * Lambda's 10-second init limit (docs/reference/local-cloud.md says so).
 */
import { Worker } from 'node:worker_threads';
import { sandboxRuntimeFile } from './sandbox-runtime-file.ts';
import { runtimeModulesDir } from './runtime-modules.ts';
import type { FromSandbox } from './sandbox-protocol.ts';
import { pathToFileURL } from 'node:url';

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

/** A new sandbox worker, booting; it gets its function from sandbox.ts. */
export async function startSandboxWorker(heapMb: number): Promise<Worker> {
  const runtimeUrl = pathToFileURL(await sandboxRuntimeFile()).href;
  return new Worker(BOOTSTRAP, {
    workerData: { runtimeUrl },
    env: sandboxBootEnv(),
    execArgv: sandboxExecArgv(),
    stdout: false,
    stderr: false,
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });
}

/** The sandboxes a pool keeps booted for one heap limit, at most. */
const MAX_BOOTED = 12;

/** Booted sandbox workers, kept per heap limit, as many as the last run took. */
export class SandboxPool {
  private readonly booted = new Map<number, Worker[]>();
  /** How many each heap limit was asked for since the last fill: what the next fill boots. */
  private readonly demand = new Map<number, number>();
  private filling: Promise<void> = Promise.resolve();
  private closed = false;

  /** A booted worker for this heap limit when one waits, else a new one. */
  async take(heapMb: number): Promise<Worker> {
    this.demand.set(heapMb, (this.demand.get(heapMb) ?? 0) + 1);
    const worker = this.booted.get(heapMb)?.shift();
    return worker ?? startSandboxWorker(heapMb);
  }

  /**
   * Boots, for each heap limit taken since the last fill, as many workers as were taken
   * (at most MAX_BOOTED), counting those still waiting; one after another, so the boots
   * yield the CPU to whatever runs next. Resolves when they have booted.
   */
  fill(): Promise<void> {
    const wanted = [...this.demand].map(([heapMb, n]) => [heapMb, Math.min(n, MAX_BOOTED)] as const);
    this.demand.clear();
    this.filling = this.filling.then(async () => {
      for (const [heapMb, n] of wanted) {
        const missing = n - (this.booted.get(heapMb)?.length ?? 0);
        for (let i = 0; i < missing && !this.closed; i++) await this.boot(heapMb);
      }
    });
    return this.filling;
  }

  /** Ends the workers that wait (those taken belong to their sandboxes). */
  async close(): Promise<void> {
    this.closed = true;
    const waiting = [...this.booted.values()].flat();
    this.booted.clear();
    await Promise.all(waiting.map((w) => w.terminate()));
  }

  /** One more booted worker; one that fails to boot is dropped (a cold start then starts its own and says why). */
  private async boot(heapMb: number): Promise<void> {
    const worker = await startSandboxWorker(heapMb).catch(() => undefined);
    if (!worker) return;
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
    if (!booted || this.closed) {
      void worker.terminate();
      return;
    }
    // One that dies while it waits (it should not) is never handed out.
    worker.once('exit', () => {
      const list = this.booted.get(heapMb);
      const at = list?.indexOf(worker) ?? -1;
      if (at >= 0) list!.splice(at, 1);
    });
    const list = this.booted.get(heapMb) ?? [];
    list.push(worker);
    this.booted.set(heapMb, list);
  }
}
