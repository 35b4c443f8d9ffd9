/**
 * osls's configuration validator compiled through a code cache taken after it ran
 * (osls-validator-cache.cjs), seen from real Node processes loading a module named as osls
 * names its generated validator: the first run makes the cache, the next ones use it, and a
 * changed, broken or switched-off cache only costs a compile.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { GENERATED, MAX_ENTRIES } from './osls-validator-cache.cjs';

const run = promisify(execFile);
const scratch = mkdtempSync(join(resolve('.dojo', 'tmp'), 'osls-validator-'));
// CommonJS, as osls's own folder is (the kit's package.json says "type": "module").
writeFileSync(join(scratch, 'package.json'), '{ "type": "commonjs" }');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const CACHE_MODULE = resolve('emulator/stack/osls-validator-cache.cjs');

/** A validator-shaped module: its inner function is compiled lazily, on the first call. */
function validatorSource(limit: number): string {
  return `'use strict';
module.exports = function validate(data) { validate.errors = check(data) ? null : [{ message: 'too big' }]; return !validate.errors; };
function check(data) { return typeof data.memorySize === 'number' && data.memorySize <= ${limit} && require('node:path').sep === '/'; }
`;
}

/** Loads `file` as osls does (require of a generated module) with the cache installed, then validates. */
async function load(file: string, cacheDir: string, env: Record<string, string> = {}) {
  const script = `const cache = require(${JSON.stringify(CACHE_MODULE)});
cache.install(${JSON.stringify(cacheDir)});
const validate = require(${JSON.stringify(file)});
const ok = validate({ memorySize: 512 });
console.log(JSON.stringify({ ok, errors: validate.errors, cache: cache.stats.last ?? null }));`;
  const { NODE_DISABLE_COMPILE_CACHE: _, DOJO_OSLS_VALIDATOR_CACHE: __, ...rest } = process.env;
  const { stdout } = await run(process.execPath, ['-e', script], { env: { ...rest, ...env } });
  return JSON.parse(stdout) as { ok: boolean; errors: unknown; cache: string | null };
}

function generated(dir: string, name: string, limit: number): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${GENERATED}${name}.js`);
  writeFileSync(file, validatorSource(limit));
  return file;
}

const bins = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.bin'));

describe("osls's validator, compiled from a cache taken after it ran", () => {
  it('is made by the first run and used by the next, which validates the same', async () => {
    const cacheDir = join(scratch, 'made-used');
    const file = generated(join(scratch, 'osls-a'), 'a', 1024);
    expect(await load(file, cacheDir)).toEqual({ ok: true, errors: null, cache: 'made' });
    expect(bins(cacheDir)).toHaveLength(1);
    expect(await load(file, cacheDir)).toEqual({ ok: true, errors: null, cache: 'used' });
  });

  it('compiles afresh for a changed source, and replaces a broken entry', async () => {
    const cacheDir = join(scratch, 'changed');
    const file = generated(join(scratch, 'osls-b'), 'b', 1024);
    await load(file, cacheDir);
    // Another schema (a plugin added): another validator, another entry; its own answers.
    generated(join(scratch, 'osls-b'), 'b', 256);
    expect(await load(file, cacheDir)).toEqual({
      ok: false,
      errors: [{ message: 'too big' }],
      cache: 'made',
    });
    expect(bins(cacheDir)).toHaveLength(2);
    // An entry V8 cannot read is rejected, the validator compiled from source, the entry rewritten.
    for (const name of bins(cacheDir)) writeFileSync(join(cacheDir, name), 'not a code cache');
    expect(await load(file, cacheDir)).toMatchObject({ ok: false, cache: 'rejected' });
    expect(await load(file, cacheDir)).toMatchObject({ ok: false, cache: 'used' });
  });

  it('leaves other modules alone, and is off with NODE_DISABLE_COMPILE_CACHE=1 or DOJO_OSLS_VALIDATOR_CACHE=0', async () => {
    const cacheDir = join(scratch, 'off');
    const other = join(scratch, 'osls-c', 'validate.js');
    mkdirSync(join(scratch, 'osls-c'), { recursive: true });
    writeFileSync(other, validatorSource(1024));
    expect(await load(other, cacheDir)).toEqual({ ok: true, errors: null, cache: null });
    const file = generated(join(scratch, 'osls-c'), 'c', 1024);
    expect(await load(file, cacheDir, { NODE_DISABLE_COMPILE_CACHE: '1' })).toMatchObject({
      ok: true,
      cache: null,
    });
    expect(await load(file, cacheDir, { DOJO_OSLS_VALIDATOR_CACHE: '0' })).toMatchObject({
      ok: true,
      cache: null,
    });
    expect(readdirSync(scratch)).not.toContain('off');
    // DOJO_OSLS_VALIDATOR_CACHE=<folder> puts it elsewhere.
    const elsewhere = join(scratch, 'elsewhere');
    expect(await load(file, cacheDir, { DOJO_OSLS_VALIDATOR_CACHE: elsewhere })).toMatchObject({
      cache: 'made',
    });
    expect(bins(elsewhere)).toHaveLength(1);
  });

  it(`keeps the ${MAX_ENTRIES} entries used last`, async () => {
    const cacheDir = join(scratch, 'pruned');
    mkdirSync(cacheDir, { recursive: true });
    const old = new Date(Date.now() - 3_600_000);
    for (let i = 0; i < MAX_ENTRIES; i++) {
      writeFileSync(join(cacheDir, `old-${i}.bin`), 'x');
      utimesSync(join(cacheDir, `old-${i}.bin`), old, old);
    }
    await load(generated(join(scratch, 'osls-d'), 'd', 1024), cacheDir);
    const kept = bins(cacheDir);
    expect(kept).toHaveLength(MAX_ENTRIES);
    expect(kept.filter((n) => !n.startsWith('old-'))).toHaveLength(1);
  });
});
