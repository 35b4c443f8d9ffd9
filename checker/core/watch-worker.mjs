/**
 * The watcher's thread (see watch.ts): chokidar on a service folder, its changes gathered
 * into batches and posted to the main thread.
 *
 * It runs in a worker because the main thread's timers and Date belong to the local cloud's
 * virtual clock (paused, or at 60x): chokidar's own throttles and the debounce need real
 * time, and a worker has globals of its own. The folder's parent is watched too, so that
 * the folder itself being replaced (`npm run begin`), deleted or re-created is seen.
 */
import { statSync, watch as fsWatch } from 'node:fs';
import { basename, dirname, relative, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { parentPort, workerData } from 'node:worker_threads';
import { watch } from 'chokidar';

const { dir, debounceMs, maxWaitMs } = workerData;
const parent = dirname(dir);

/** Build output, installed packages, the dojo's own state and locks: never a learner's save. */
const IGNORED_PARTS = new Set(['node_modules', '.serverless', '.esbuild', '.git']);
const ignoredPart = (part) => IGNORED_PARTS.has(part) || part.startsWith('.dojo') || part.endsWith('.lock');

function ignored(path) {
  const rel = relative(dir, path);
  return rel !== '' && rel.split(sep).some(ignoredPart);
}

let pending = new Set();
let timer;
let firstAt = 0;

function flush() {
  clearTimeout(timer);
  timer = undefined;
  const files = [...pending];
  pending = new Set();
  if (files.length) parentPort.postMessage({ type: 'batch', files });
}

function record(event, path) {
  const rel = relative(dir, path).split(sep).join('/');
  pending.add(event === 'addDir' || event === 'unlinkDir' ? `${rel || basename(dir)}/` : rel);
  if (!timer) firstAt = performance.now();
  clearTimeout(timer);
  // Trailing debounce, but a steady stream of saves still gets through every maxWaitMs.
  timer = setTimeout(flush, performance.now() - firstAt >= maxWaitMs ? 0 : debounceMs);
}

let watcher;
let identity = inode();

/** The folder's identity: a new folder under the same name is another (inode numbers get reused, birth times differ). */
function inode() {
  const st = statSync(dir, { throwIfNoEntry: false });
  return st ? `${st.ino}:${st.birthtimeMs}` : undefined;
}

/** chokidar on the folder as it is now; none while it is gone. */
function watchFolder() {
  void watcher?.close();
  watcher = undefined;
  if (identity === undefined) return Promise.resolve();
  const w = watch(dir, { ignored, ignoreInitial: true, followSymlinks: false });
  watcher = w;
  w.on('all', (event, path) => {
    if (watcher === w) record(event, path);
  });
  // A folder that vanishes while it is read, a permission problem: reported, never fatal.
  w.on('error', (err) => parentPort.postMessage({ type: 'error', message: String(err?.message ?? err) }));
  return new Promise((resolve) => w.on('ready', resolve));
}

// chokidar follows what happens inside the folder; the folder itself being swapped for
// another (begin renames a staged copy over it) or deleted and made again is only seen from
// its parent: then it is watched afresh, and the whole folder counts as changed.
const parentWatch = fsWatch(parent, (_event, name) => {
  if (name !== basename(dir)) return;
  const now = inode();
  if (now === identity) return;
  identity = now;
  record(now === undefined ? 'unlinkDir' : 'addDir', dir);
  void watchFolder();
});
parentWatch.on('error', (err) =>
  parentPort.postMessage({ type: 'error', message: String(err?.message ?? err) }),
);

void watchFolder().then(() => parentPort.postMessage({ type: 'ready' }));
