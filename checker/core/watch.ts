/**
 * The one watcher of the learner's live loop (`npm start`, `npm run dev`, `check --watch`).
 *
 *   const w = watchService(dir, { onChange: async (c) => (c.kind === 'config' ? redeploy() : refresh()), onError: print });
 *   await w.ready;
 *   await w.close();
 *
 * chokidar runs in a worker thread (watch-worker.mjs: real timers, whatever the local
 * cloud's clock does here) and posts debounced batches of changed files. Here a batch is
 * classified and handed to `onChange`, one at a time: saves made while `onChange` runs are
 * gathered and handed over once it returns, so the last save always wins and none is lost.
 * Nothing in here throws at the caller: a failing `onChange`, a watcher error, even the
 * worker dying, goes to `onError` and the loop goes on.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface ServiceChange {
  /** `config`: serverless.ts, anything it imports, package.json (package and deploy again). `code`: only handler code (fresh sandboxes). */
  kind: 'config' | 'code';
  /** The changed paths, relative to the folder; folders end with `/`. */
  files: string[];
  /** False while the folder itself is gone (deleted, or half-way through `npm run begin`). */
  present: boolean;
}

export interface WatchOptions {
  onChange(change: ServiceChange): Promise<void> | void;
  onError(message: string): void;
  /** Quiet time after the last save before a batch is handed over (default 200 ms). */
  debounceMs?: number;
  /** A steady stream of saves is still handed over this often (default 1500 ms). */
  maxWaitMs?: number;
}

export interface ServiceWatcher {
  /** Resolves once the folder is being watched: saves from then on are seen. */
  ready: Promise<void>;
  /** Resolves when no `onChange` is running and none is due (for tests and benches). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const WORKER = new URL('./watch-worker.mjs', import.meta.url);
/** A worker that keeps dying would spin: after this many restarts, watching stops (and says so). */
const MAX_RESTARTS = 5;

export function watchService(serviceDir: string, options: WatchOptions): ServiceWatcher {
  const dir = resolve(serviceDir);
  let config = configFiles(dir);
  let pending = new Set<string>();
  let running: Promise<void> | undefined;
  let closed = false;
  let worker: Worker | undefined;
  let restarts = 0;
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  let idleWaiters: Array<() => void> = [];

  const drain = () => {
    if (running || closed || pending.size === 0) {
      if (!running && pending.size === 0) for (const w of idleWaiters.splice(0)) w();
      return;
    }
    const files = [...pending].sort();
    pending = new Set();
    const change = classify(dir, files, config);
    config = configFiles(dir);
    running = (async () => {
      try {
        await options.onChange(change);
      } catch (err) {
        options.onError((err as Error).message ?? String(err));
      }
    })().finally(() => {
      running = undefined;
      drain();
    });
  };

  const start = () => {
    const w = new Worker(WORKER, {
      workerData: { dir, debounceMs: options.debounceMs ?? 200, maxWaitMs: options.maxWaitMs ?? 1500 },
    });
    worker = w;
    w.on('message', (m: { type: string; files?: string[]; message?: string }) => {
      if (m.type === 'ready') markReady();
      else if (m.type === 'error') options.onError(`The file watcher: ${m.message}`);
      else if (m.type === 'batch' && !closed) {
        for (const f of m.files ?? []) pending.add(f);
        drain();
      }
    });
    w.on('error', (err) => options.onError(`The file watcher failed: ${err.message}`));
    w.on('exit', () => {
      if (closed || worker !== w) return;
      if (++restarts > MAX_RESTARTS) {
        options.onError(
          `The file watcher stopped ${MAX_RESTARTS} times: saves are no longer seen. Restart this command.`,
        );
        markReady();
        return;
      }
      start();
    });
  };
  start();

  return {
    ready,
    idle: () => (running || pending.size ? new Promise<void>((r) => idleWaiters.push(r)) : Promise.resolve()),
    async close() {
      closed = true;
      for (const w of idleWaiters.splice(0)) w();
      idleWaiters = [];
      await worker?.terminate();
    },
  };
}

/** What a batch of changed files means for the service: package again, or only reload handlers. */
export function classify(
  dir: string,
  files: string[],
  previousConfig: Set<string> = new Set(),
): ServiceChange {
  const present = existsSync(join(dir, 'serverless.ts')) || existsSync(join(dir, 'serverless.yml'));
  const current = configFiles(dir);
  // A folder appearing or vanishing (begin, a restore, rm -r) may carry any file: package again.
  const isConfig = (f: string) => f.endsWith('/') || current.has(f) || previousConfig.has(f);
  return { kind: files.some(isConfig) ? 'config' : 'code', files, present };
}

const SERVICE_FILES = [
  'serverless.ts',
  'serverless.mts',
  'serverless.js',
  'serverless.yml',
  'serverless.yaml',
  'serverless.json',
  'package.json',
];
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
const EXTENSIONS = ['', '.ts', '.mts', '.js', '.mjs', '.json', '/index.ts', '/index.js'];

/**
 * The files that make the service's configuration, relative to the folder: serverless.ts
 * (or .yml), package.json, and every local file serverless.ts imports, transitively.
 * Handler code is not among them (osls only names it), unless serverless.ts imports it.
 */
export function configFiles(dir: string): Set<string> {
  const found = new Set<string>();
  const visit = (file: string) => {
    const rel = relative(dir, file).split('\\').join('/');
    if (found.has(rel) || rel.startsWith('..')) return;
    found.add(rel);
    if (!/\.(ts|mts|js|mjs|cjs)$/.test(file)) return;
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      return; // gone between the save and now: the next batch sees what replaced it
    }
    for (const m of source.matchAll(IMPORT)) {
      const base = resolve(dirname(file), m[1]);
      const hit = EXTENSIONS.map((e) => base + e).find((p) =>
        statSync(p, { throwIfNoEntry: false })?.isFile(),
      );
      const target = hit ?? base.replace(/\.js$/, '.ts');
      visit(target);
    }
  };
  for (const name of SERVICE_FILES) {
    const file = join(dir, name);
    if (existsSync(file)) visit(file);
    else found.add(name);
  }
  return found;
}
