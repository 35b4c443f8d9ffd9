/**
 * `npm run bench -- --only cli`: `npm run check session-4` as a learner runs it, a whole CLI
 * process timed from start to exit, on a copy of the session-4 solution: warm (nothing
 * changed since the last check) and cold (serverless.ts changed: packaged again), next to
 * `osls package` alone of the same folder and to the same warm check started the old way
 * (the sources through tsx), all measured in the same rounds, alternating.
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
  coldMs: number;
}

export async function benchCli(rounds = 3): Promise<CliFigures> {
  const dir = resolve('.dojo', 'tmp', `bench-cli-${process.pid}`);
  cpSync(resolve('solutions/session-4'), dir, {
    recursive: true,
    filter: (src) => !/(^|\/)(\.serverless|\.esbuild|node_modules)$/.test(src),
  });
  const config = join(dir, 'serverless.ts');
  const configText = readFileSync(config, 'utf8');
  const check = (start: string[]) =>
    timed(() => cli([...start, 'check', 'session-4', '--dir', dir, '--seed', '1']));
  const built = ['checker/bin/dojo.mjs'];
  const tsx = ['--import', 'tsx', 'checker/bin/dojo.ts'];
  const figures = {
    osls: [] as number[],
    warm: [] as number[],
    warmTsx: [] as number[],
    cold: [] as number[],
  };
  try {
    await check(built); // the CLI built, the template packaged: what "warm" means
    for (let round = 0; round < rounds; round++) {
      figures.osls.push(
        await timed(() =>
          runOsls(dir, ['package', '--stage', 'local', '--package', join(dir, '.bench-out')]),
        ),
      );
      // A changed serverless.ts (a comment is enough): packaged again.
      writeFileSync(config, `${configText}\n// bench round ${round} ${process.pid}\n`);
      figures.cold.push(await check(built));
      const [first, second] = round % 2 ? [tsx, built] : [built, tsx];
      const a = await check(first);
      const b = await check(second);
      figures.warm.push(first === built ? a : b);
      figures.warmTsx.push(first === built ? b : a);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    rounds,
    oslsMs: median(figures.osls),
    warmMs: median(figures.warm),
    warmTsxMs: median(figures.warmTsx),
    coldMs: median(figures.cold),
  };
}

async function cli(args: string[]): Promise<void> {
  const { stdout } = await run(process.execPath, args, { env: { ...process.env, FORCE_COLOR: '0' } });
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
