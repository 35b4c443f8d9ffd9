// A V8 code cache for osls's configuration validator, taken after it ran: loaded by the
// wrapper config that local packaging writes (package.ts), inside the osls process.
//
// Why: osls validates every configuration with an ajv validator it generates from its JSON
// schema (8 MB of JavaScript, kept as source in ~/.serverless/artifacts) and compiles again
// on each run. Node's own code cache holds only what V8 compiled before the code ran, so the
// validator's functions were still compiled lazily, on its first call: about 0.9 s of a
// 2–3 s local packaging. A cache made after the validation holds them compiled.
//
// What runs is unchanged: the same source, the same validation, the same type coercions
// (osls's ajv coerces, so the template depends on it); V8 checks the cache against the
// source, its version and its flags, and compiles afresh when it does not match. Off with
// NODE_DISABLE_COMPILE_CACHE=1 (the kit's code caches go together) or
// DOJO_OSLS_VALIDATOR_CACHE=0 (this one alone, the bench's baseline); elsewhere with
// DOJO_OSLS_VALIDATOR_CACHE=<folder> (the tests).
'use strict';

const { createHash } = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

/** How osls names the module it compiles the validator as (resolve-ajv-validate.js). */
const GENERATED = '[generated-ajv-validate]';
/** Entries kept (about 12 MB each): one per plugin set, and sessions have a few. */
const MAX_ENTRIES = 6;

/** What the last validator compiled in this process did with the cache: 'used', 'made', 'rejected'. */
const stats = { last: undefined };

/** Compiles osls's generated validator through a cache in `defaultDir`; other modules as before. */
function install(defaultDir) {
  const setting = process.env.DOJO_OSLS_VALIDATOR_CACHE;
  if (process.env.NODE_DISABLE_COMPILE_CACHE || setting === '0') return;
  const dir = setting || defaultDir;
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename) {
    if (typeof filename !== 'string' || !path.basename(filename).startsWith(GENERATED))
      return compile.call(this, content, filename);
    return compileCached(this, content, filename, dir);
  };
}

function compileCached(module, content, filename, dir) {
  const key = createHash('sha256').update(process.version).update(content).digest('hex').slice(0, 32);
  const file = path.join(dir, `${key}.bin`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(file);
  } catch {
    // none yet
  }
  const script = new vm.Script(Module.wrap(content), { filename, cachedData });
  const used = cachedData !== undefined && !script.cachedDataRejected;
  stats.last = used ? 'used' : cachedData ? 'rejected' : 'made';
  if (used) touch(file);
  // At exit the validation has run: what it compiled lazily is in the cache from now on.
  if (!used) process.once('exit', () => save(script, dir, file));
  const wrapper = script.runInThisContext();
  const require = Module.createRequire(filename);
  return wrapper.call(module.exports, module.exports, require, module, filename, path.dirname(filename));
}

/** Written once, atomically (osls processes run side by side); a failure only costs time. */
function save(script, dir, file) {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, file);
    prune(dir);
  } catch {
    // a full disk or a removed folder: the next run compiles again
  }
}

/** Recently used entries survive pruning. */
function touch(file) {
  try {
    const now = new Date();
    fs.utimesSync(file, now, now);
  } catch {
    // removed meanwhile
  }
}

function prune(dir) {
  const entries = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.bin'))
    .map((name) => ({ name, mtime: fs.statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { name } of entries.slice(MAX_ENTRIES)) fs.rmSync(path.join(dir, name), { force: true });
}

module.exports = { install, stats, GENERATED, MAX_ENTRIES };
