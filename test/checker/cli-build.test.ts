/**
 * The npm scripts run the CLI built once into plain JavaScript (checker/bin/dojo.mjs,
 * cli-build.mjs): it must say what the sources say, be rebuilt when a source changes, and a
 * source that does not build must be named with its line.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { cliEntry } from '../../checker/bin/cli-build.mjs';

const run = promisify(execFile);
// Inside the kit: the built chunks find the packages in its node_modules, as .dojo/cli does.
mkdirSync(resolve('.dojo', 'tmp'), { recursive: true });
const scratch = mkdtempSync(join(resolve('.dojo', 'tmp'), 'cli-build-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Manifest {
  entry: string;
  inputs: Record<string, [number, number]>;
}
const manifestOf = (cache: string) =>
  JSON.parse(readFileSync(join(cache, 'manifest.json'), 'utf8')) as Manifest;

describe('the built CLI', () => {
  const cache = join(scratch, 'cache');
  const env = { ...process.env, DOJO_CLI_CACHE: cache, FORCE_COLOR: '0' };

  it('prints what the sources print, run through tsx', async () => {
    const built = await run(process.execPath, ['checker/bin/dojo.mjs', 'check', '--help'], { env });
    const sources = await run(
      process.execPath,
      ['--import', 'tsx', 'checker/bin/dojo.ts', 'check', '--help'],
      {
        env,
      },
    );
    expect(built.stdout).toContain('--watch');
    expect(built.stdout).toBe(sources.stdout);
    // Built from the kit's own files, each one noted with its folder.
    const inputs = Object.keys(manifestOf(cache).inputs);
    expect(inputs).toContain('checker/bin/dojo.ts');
    expect(inputs).toContain('checker/sessions/session-4/index.ts');
    expect(inputs).toContain('checker/sessions');
  }, 60_000);

  it('says a session name is wrong, as a usage error with exit code 2', async () => {
    const failed = await run(process.execPath, ['checker/bin/dojo.mjs', 'check', 'session-99'], {
      env,
    }).catch((err: { code: number; stderr: string }) => err);
    expect('code' in failed && failed.code).toBe(2);
    expect((failed as { stderr: string }).stderr).toContain('"session-99" is not a session');
  }, 60_000);

  it('is reused while no source changed, rebuilt when one did', async () => {
    const before = manifestOf(cache);
    const built = statSync(join(cache, 'manifest.json')).mtimeMs;
    await run(process.execPath, ['checker/bin/dojo.mjs', '--help'], { env });
    expect(statSync(join(cache, 'manifest.json')).mtimeMs).toBe(built);
    // As if dojo.ts had been saved since the build: the manifest remembers another mtime.
    const stale = structuredClone(before);
    stale.inputs['checker/bin/dojo.ts'][1] -= 1000;
    writeFileSync(join(cache, 'manifest.json'), JSON.stringify(stale));
    await run(process.execPath, ['checker/bin/dojo.mjs', '--help'], { env });
    expect(manifestOf(cache).inputs['checker/bin/dojo.ts']).toEqual(before.inputs['checker/bin/dojo.ts']);
  }, 60_000);
});

describe('a build of code that does not compile', () => {
  it('names the file and line, and what to do', async () => {
    const dir = mkdtempSync(join(scratch, 'broken-'));
    try {
      const entry = join(dir, 'broken.ts');
      writeFileSync(entry, "import { a } from './a.ts';\nexport const main = () => a;\n");
      writeFileSync(join(dir, 'a.ts'), 'export const a = {;\n');
      await expect(cliEntry({ entry, cache: join(dir, 'cache') })).rejects.toThrow(
        /does not build: .*a\.ts:1:\d+: .*git checkout/,
      );
      // Fixed, it builds, and the fix is what runs.
      writeFileSync(join(dir, 'a.ts'), 'export const a = 42;\n');
      const built = await cliEntry({ entry, cache: join(dir, 'cache') });
      const mod = (await import(pathToFileURL(built).href)) as { main(): number };
      expect(mod.main()).toBe(42);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
