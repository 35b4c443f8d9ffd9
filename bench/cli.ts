/**
 * `npm run bench -- --only cli`: `npm run check session-4` as a learner runs it, a whole CLI
 * process timed from start to exit, on a copy of the session-4 solution: warm (nothing
 * changed since the last check) and cold (serverless.ts changed: packaged again), next to
 * `osls package` alone of the same folder, to the same warm check started the old way
 * (the sources through tsx) and to both checks without Node's code cache
 * (NODE_DISABLE_COMPILE_CACHE=1: checker/bin/compile-cache.mjs), all measured in the same
 * rounds, alternating.
 */
import { execFile } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { runOsls } from '../emulator/index.ts';

const run = promisify(execFile);

export interface CliFigures {
  rounds: number;
  oslsMs: number;
  warmMs: number;
  warmTsxMs: number;
  warmUncachedMs: number;
  coldMs: number;
  coldUncachedMs: number;
}

/** The check's processes (the CLI, osls, the sandboxes) without Node's code cache. */
const UNCACHED = { NODE_DISABLE_COMPILE_CACHE: '1' };

export async function benchCli(rounds = 3): Promise<CliFigures> {
  const dir = resolve('.dojo', 'tmp', `bench-cli-${process.pid}`);
  cpSync(resolve('solutions/session-4'), dir, {
    recursive: true,
    filter: (src) => !/(^|\/)(\.serverless|\.esbuild|node_modules)$/.test(src),
  });
  const config = join(dir, 'serverless.ts');
  const configText = readFileSync(config, 'utf8');
  const check = (start: string[], env: Record<string, string> = {}) =>
    timed(() => cli([...start, 'check', 'session-4', '--dir', dir, '--seed', '1'], env));
  const built = ['checker/bin/dojo.mjs'];
  const tsx = ['--import', 'tsx', 'checker/bin/dojo.ts'];
  const figures = {
    osls: [] as number[],
    warm: [] as number[],
    warmTsx: [] as number[],
    warmUncached: [] as number[],
    cold: [] as number[],
    coldUncached: [] as number[],
  };
  try {
    await check(built); // the CLI built, the template packaged: what "warm" means
    for (let round = 0; round < rounds; round++) {
      figures.osls.push(
        await timed(() =>
          // As a learner runs it: no code cache (the bench's own process has one).
          runOsls(dir, ['package', '--stage', 'local', '--package', join(dir, '.bench-out')], UNCACHED),
        ),
      );
      // A changed serverless.ts (a comment is enough): packaged again, with and without the cache.
      const colds = round % 2 ? [UNCACHED, {}] : [{}, UNCACHED];
      for (const [i, env] of colds.entries()) {
        writeFileSync(config, `${configText}\n// bench round ${round}.${i} ${process.pid}\n`);
        (env === UNCACHED ? figures.coldUncached : figures.cold).push(await check(built, env));
      }
      const warms: Array<[number[], string[], Record<string, string>]> = [
        [figures.warm, built, {}],
        [figures.warmTsx, tsx, {}],
        [figures.warmUncached, built, UNCACHED],
      ];
      for (let i = 0; i < warms.length; i++) {
        const [into, start, env] = warms[(i + round) % warms.length];
        into.push(await check(start, env));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    rounds,
    oslsMs: median(figures.osls),
    warmMs: median(figures.warm),
    warmTsxMs: median(figures.warmTsx),
    warmUncachedMs: median(figures.warmUncached),
    coldMs: median(figures.cold),
    coldUncachedMs: median(figures.coldUncached),
  };
}

async function cli(args: string[], env: Record<string, string>): Promise<void> {
  const { stdout } = await run(process.execPath, args, {
    env: { ...process.env, FORCE_COLOR: '0', ...env },
  });
  if (!stdout.includes('session-4 passes')) throw new Error(`the check did not pass:\n${stdout}`);
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
