/**
 * Node's code cache for the kit's processes (checker/bin/compile-cache.mjs): on by default
 * for the CLI and what it starts, in .dojo/compile-cache unless NODE_COMPILE_CACHE says where,
 * off with NODE_DISABLE_COMPILE_CACHE=1; a Lambda sandbox compiles from its process's cache.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { getCompileCacheDir } from 'node:module';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { LocalCloud } from '../../emulator/index.ts';
import { MAX_ENTRIES } from '../../checker/bin/compile-cache.mjs';
import { functionsTemplate, tempService } from '../support/temp-service.ts';

const run = promisify(execFile);
const scratch = mkdtempSync(join(resolve('.dojo', 'tmp'), 'compile-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * What a process sees after enableCompileCache(): the folder it was enabled with (Node keeps a
 * folder per version inside), and what its children inherit.
 */
async function enabledIn(env: Record<string, string>) {
  const { NODE_COMPILE_CACHE: _, NODE_DISABLE_COMPILE_CACHE: __, ...rest } = process.env;
  const script = `import { getCompileCacheDir } from 'node:module';
import { dirname } from 'node:path';
import { enableCompileCache } from './checker/bin/compile-cache.mjs';
enableCompileCache();
const dir = getCompileCacheDir();
console.log(JSON.stringify({ dir: dir ? dirname(dir) : null, inherited: process.env.NODE_COMPILE_CACHE ?? null }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...rest, ...env },
  });
  return JSON.parse(stdout) as { dir: string | null; inherited: string | null };
}

describe("the kit's code cache", () => {
  it('is on by default, in .dojo/compile-cache, and the processes the CLI starts (osls) inherit it', async () => {
    const seen = await enabledIn({});
    expect(seen.dir).toBe(resolve('.dojo', 'compile-cache'));
    expect(seen.inherited).toBe(seen.dir);
  });

  it('goes where NODE_COMPILE_CACHE says, and is off with NODE_DISABLE_COMPILE_CACHE=1', async () => {
    const elsewhere = join(scratch, 'elsewhere');
    expect((await enabledIn({ NODE_COMPILE_CACHE: elsewhere })).dir).toBe(elsewhere);
    expect(readdirSync(elsewhere).length).toBeGreaterThan(0); // Node's folder per version
    expect(await enabledIn({ NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual({ dir: null, inherited: null });
  });

  it('starts afresh when a folder of it holds more than MAX_ENTRIES, so it cannot only grow', async () => {
    const full = join(scratch, 'full');
    const stale = join(full, 'v0-old-node');
    mkdirSync(stale, { recursive: true });
    for (let i = 0; i <= MAX_ENTRIES; i++) writeFileSync(join(stale, `entry-${i}`), '');
    const kept = join(full, 'v0-small');
    mkdirSync(kept);
    writeFileSync(join(kept, 'entry'), '');
    await enabledIn({ NODE_COMPILE_CACHE: full });
    expect(readdirSync(full)).not.toContain('v0-old-node');
    expect(readdirSync(kept)).toEqual(['entry']);
  });

  it("is the one a Lambda sandbox compiles from: the process's (this suite runs with it on)", async () => {
    // vitest.config.ts turns it on for the test processes, as the CLI does for itself.
    expect(getCompileCacheDir()).toBeTruthy();
    const service = tempService({
      'functions/where.mjs': `import { getCompileCacheDir } from 'node:module';
export const main = async () => ({ dir: getCompileCacheDir() ?? null });`,
    });
    const cloud = await LocalCloud.start();
    try {
      await cloud.deployTemplate(functionsTemplate({ where: { handler: 'functions/where.main' } }), {
        serviceDir: service.dir,
        stackName: 'test-local',
      });
      const result = await cloud.lambda.invoke('test-local-where', {});
      expect(result.payload).toEqual({ dir: getCompileCacheDir() });
    } finally {
      await cloud.stop();
      service.remove();
    }
  });
});
