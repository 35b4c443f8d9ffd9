/**
 * `npm run bench -- --only watch`: `check session-4 --watch` after a handler save, timed
 * from the save to the report, on a copy of the session-4 solution: each check's sandboxes
 * from booted threads (a SandboxPool filled while the learner reads, as check.ts does),
 * and, in the same rounds, alternating, the same re-check with every sandbox booting its own.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SandboxPool } from '../emulator/index.ts';
import { runCheck } from '../checker/core/pipeline.ts';
import { localTarget } from '../checker/core/local-target.ts';
import { watchService } from '../checker/core/watch.ts';
import type { SessionCheck } from '../checker/core/session-check.ts';

export interface WatchFigures {
  rounds: number;
  pooledMs: number;
  unpooledMs: number;
}

export async function benchWatch(session: SessionCheck, rounds = 5): Promise<WatchFigures> {
  const dir = resolve('.dojo', 'tmp', `bench-watch-${process.pid}`);
  cpSync(resolve('solutions/session-4'), dir, {
    recursive: true,
    filter: (src) => !/(^|\/)(\.serverless|\.esbuild|node_modules)$/.test(src),
  });
  const handler = join(dir, 'functions', 'createVirus', 'handler.ts');
  const handlerText = readFileSync(handler, 'utf8');
  const pool = new SandboxPool();
  let sandboxPool: SandboxPool | undefined;
  let checked: (() => void) | undefined;
  let failure: string | undefined;
  const check = async () => {
    const report = await runCheck(session, {
      dir,
      seed: 1,
      targetKind: 'local',
      makeTarget: () => localTarget({ seed: 1, sandboxPool }),
    });
    if (!report.ok) failure = JSON.stringify(report.results.filter((r) => r.status === 'fail'));
    checked?.();
  };
  const watcher = watchService(dir, { onChange: check, onError: (m) => (failure = m) });
  let saves = 0;
  const afterSave = async (pooled: boolean) => {
    sandboxPool = pooled ? pool : undefined;
    const done = new Promise<void>((r) => (checked = r));
    const t0 = performance.now();
    writeFileSync(handler, `${handlerText}\n// save ${++saves}\n`);
    await done;
    const ms = performance.now() - t0;
    if (failure) throw new Error(`the re-check failed: ${failure}`);
    // The learner reads the report: the pool boots what this check took, for the next one.
    if (pooled) await pool.fill();
    return ms;
  };
  const pooled: number[] = [];
  const unpooled: number[] = [];
  try {
    await watcher.ready;
    await check(); // packaged, the template cached: what a watching learner has
    await afterSave(true); // the pool learns how many sandboxes a check takes
    for (let round = 0; round < rounds; round++) {
      if (round % 2) {
        unpooled.push(await afterSave(false));
        pooled.push(await afterSave(true));
      } else {
        pooled.push(await afterSave(true));
        unpooled.push(await afterSave(false));
      }
    }
  } finally {
    await watcher.close();
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { rounds, pooledMs: median(pooled), unpooledMs: median(unpooled) };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
