// Node's on-disk code cache for the kit's processes: what V8 compiled once (the CLI's
// chunks, osls and its framework, the AWS SDK in every Lambda sandbox, the learner's
// handler bundles) is read back on the next start instead of compiled again.
//
// Why: a check starts a CLI, often an osls child, and a sandbox thread per function, each
// compiling the same packages anew. The cache is keyed by each file's content and Node's
// version, and Node ignores an entry that does not match: a stale or broken cache costs a
// compile, never a wrong result. NODE_DISABLE_COMPILE_CACHE=1 turns it off;
// NODE_COMPILE_CACHE=<dir> puts it elsewhere (the default: .dojo/compile-cache).
import { readdirSync, rmSync } from 'node:fs';
import module from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_DIR = join(
  resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'),
  '.dojo',
  'compile-cache',
);
/**
 * Entries a folder of the cache may hold (one per compiled file; a whole run of the kit's
 * tests makes about 6,500, 55 MB) before it starts afresh: Node never removes one, and each
 * saved handler is a new bundle file, so a cache kept for months would only grow.
 */
export const MAX_ENTRIES = 10_000;

/**
 * Turns the cache on for this process and, through NODE_COMPILE_CACHE, for the Node
 * processes it starts (osls); the local cloud's sandbox threads follow the process
 * (sandbox-pool.ts). Quiet when Node cannot: the cache only ever saves time.
 */
export function enableCompileCache() {
  if (process.env.NODE_DISABLE_COMPILE_CACHE || typeof module.enableCompileCache !== 'function') return;
  const dir = process.env.NODE_COMPILE_CACHE || DEFAULT_DIR;
  keepBounded(dir);
  // `directory` is Node's folder for its version inside `dir`: the children are given `dir`.
  if (module.enableCompileCache(dir).directory) process.env.NODE_COMPILE_CACHE = dir;
}

/** Empties each of Node's folders (one per Node version) that holds more than MAX_ENTRIES. */
function keepBounded(dir) {
  let versions;
  try {
    versions = readdirSync(dir);
  } catch {
    return; // not made yet
  }
  for (const version of versions) {
    const folder = join(dir, version);
    try {
      if (readdirSync(folder).length > MAX_ENTRIES) rmSync(folder, { recursive: true, force: true });
    } catch {
      // another process emptied it first, or it is not a folder: the cache only saves time
    }
  }
}

/**
 * Writes what this process compiled so far. Node writes it at a normal exit; a long-lived
 * `npm start` or `npm run dev` is stopped with Ctrl-C, so it writes once it has started.
 */
export function flushCompileCacheSoon(ms = 5000) {
  if (typeof module.flushCompileCache !== 'function') return;
  setTimeout(() => module.flushCompileCache(), ms).unref();
}
