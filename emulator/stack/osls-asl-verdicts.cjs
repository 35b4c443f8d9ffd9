// asl-validator's JSON-schema verdicts, kept on disk: loaded by the wrapper config that local
// packaging writes (package.ts), inside the osls process, as osls-validator-cache.cjs is.
//
// Why: serverless-step-functions validates each state machine's definition with asl-validator
// when the service sets `stepFunctions.validate` (sessions 4 to 6 do). Its schema check builds a
// new Ajv and compiles fifteen JSON schemas on every call: about 0.4 s of a 2.5 s packaging of
// session 5, spent again on every save of serverless.ts, for definitions that seldom change.
//
// What runs is unchanged but for that one function: asl-validator's own checks still run
// (its other checks, and its defaulting of each state's QueryLanguage, which ends up in the
// template), and `jsonSchemaErrors(definition, options)` gives what it gave before for the
// same definition, options and versions of asl-validator and the packages it validates with.
// That function only reads its input (ajv without coercion or defaults). A definition that
// JSON does not hold exactly (a Date, undefined, a function) is checked afresh. Off with
// DOJO_OSLS_ASL_VERDICTS=0; elsewhere with DOJO_OSLS_ASL_VERDICTS=<folder> (the tests).
'use strict';

const { createHash } = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

/** The module of asl-validator that holds the schema check. */
const SCHEMA_CHECK = /[\\/]asl-validator[\\/]dist[\\/]src[\\/]checks[\\/]json-schema-errors\.js$/;
/** What the schema check's verdict depends on besides its input. */
const PACKAGES = ['asl-validator', 'ajv', 'ajv-formats', 'asl-path-validator', 'jsonata'];
/** Verdicts kept (a few hundred bytes each): a room's day of definitions. */
const MAX_ENTRIES = 2000;

/** What the last call did in this process: 'used', 'made', 'computed' (not cacheable). */
const stats = { last: undefined };

/** Wraps asl-validator's schema check, once loaded, with verdicts kept in `defaultDir`. */
function install(defaultDir) {
  const setting = process.env.DOJO_OSLS_ASL_VERDICTS;
  if (setting === '0') return;
  const dir = setting || defaultDir;
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename) {
    const result = compile.call(this, content, filename);
    if (typeof filename === 'string' && SCHEMA_CHECK.test(filename)) wrap(this.exports, filename, dir);
    return result;
  };
}

function wrap(exports, filename, dir) {
  const check = exports.jsonSchemaErrors;
  if (typeof check !== 'function') return;
  let versions;
  exports.jsonSchemaErrors = function jsonSchemaErrors(definition, options) {
    if (!isJson(definition) || !isJson(options)) {
      stats.last = 'computed';
      return check(definition, options);
    }
    versions ??= versionsFrom(filename);
    const key = createHash('sha256')
      .update(versions)
      .update(JSON.stringify(options ?? null))
      .update(JSON.stringify(definition))
      .digest('hex')
      .slice(0, 32);
    const file = path.join(dir, `${key}.json`);
    try {
      const errors = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (Array.isArray(errors)) {
        stats.last = 'used';
        return errors;
      }
    } catch {
      // none yet, or unreadable: checked afresh
    }
    const errors = check(definition, options);
    stats.last = 'made';
    save(dir, file, errors);
    return errors;
  };
}

/** The versions of asl-validator and the packages its schema check uses, as resolved from it. */
function versionsFrom(filename) {
  const from = Module.createRequire(filename);
  return PACKAGES.map((name) => {
    try {
      return `${name}@${from(`${name}/package.json`).version}`;
    } catch {
      return `${name}@?`;
    }
  }).join(' ');
}

/** Only what JSON keeps as it is: null, booleans, finite numbers, strings, arrays and plain objects. */
function isJson(value) {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  if (typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && Object.values(value).every(isJson);
}

/** Written whole, then renamed (osls processes run side by side); a failure only costs time. */
function save(dir, file, errors) {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(errors));
    fs.renameSync(tmp, file);
    prune(dir);
  } catch {
    // a full disk or a removed folder: the next run checks again
  }
}

function prune(dir) {
  const names = fs.readdirSync(dir).filter((name) => name.endsWith('.json'));
  if (names.length <= MAX_ENTRIES) return;
  const entries = names
    .map((name) => ({
      name,
      mtime: fs.statSync(path.join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0,
    }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { name } of entries.slice(MAX_ENTRIES)) fs.rmSync(path.join(dir, name), { force: true });
}

module.exports = { install, stats, MAX_ENTRIES };
