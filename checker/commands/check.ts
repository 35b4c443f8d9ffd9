import { relative, resolve } from 'node:path';
import pc from 'picocolors';
import { runCheck } from '../core/pipeline.ts';
import { formatReport } from '../core/print.ts';
import { recordProgress } from '../core/progress.ts';
import { backendDir, parseSessionId, REPO_ROOT, requireDir, UsageError } from '../core/repo.ts';
import type { CheckReport } from '../core/result.ts';
import { localTarget } from '../core/local-target.ts';
import { loadSessionCheck } from '../sessions/index.ts';
import { watchService } from '../core/watch.ts';

/**
 * `npm run check session-N [-- --dir DIR --minutes N --seed N --json --watch --aws]`
 */
export interface CheckArgs {
  session: string;
  dir?: string;
  minutes?: number;
  seed?: number;
  json?: boolean;
  watch?: boolean;
  aws?: boolean;
  /** --aws only: confirm the first deploy to an account without asking. */
  yes?: boolean;
  /** --aws only: the stage to deploy to (default: from your git identity). */
  stage?: string;
  /** --aws only: package and estimate, deploy nothing. */
  dryRun?: boolean;
}

export async function check(args: CheckArgs): Promise<number> {
  const id = parseSessionId(args.session);
  const dir = requireDir(resolve(args.dir ?? backendDir()), 'The service folder');
  const session = await loadSessionCheck(id);
  if (args.aws) {
    const { awsCheck } = await import('./aws.ts');
    return awsCheck(session, { ...args, dir });
  }
  if (args.minutes !== undefined && !(args.minutes > 0)) throw new UsageError(`--minutes must be a positive number of virtual minutes (got ${args.minutes}).`);
  const once = async (): Promise<CheckReport> => {
    const seed = args.seed ?? Math.floor(Math.random() * 1_000_000);
    const report = await runCheck(session, {
      dir,
      seed,
      minutes: args.minutes,
      targetKind: 'local',
      makeTarget: () => localTarget({ seed }),
      onStage: args.json ? undefined : (stage) => process.stderr.write(pc.dim(`… ${stage}\n`)),
    });
    recordProgress(REPO_ROOT, { session: id, dir: relative(REPO_ROOT, dir), ok: report.ok, at: new Date().toISOString(), failed: report.results.filter((r) => r.status === 'fail').map((r) => r.id) });
    console.log(args.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report;
  };
  if (!args.watch) return (await once()).ok ? 0 : 1;
  return watchAndCheck(dir, once);
}

/** Re-checks on every save, like Rustlings: the learner keeps editing, the checker keeps up. */
function watchAndCheck(dir: string, once: () => Promise<CheckReport>): Promise<number> {
  const shown = relative(process.cwd(), dir) || '.';
  const run = async () => {
    console.clear();
    try {
      const report = await once();
      console.log(pc.dim(`\nWatching ${shown} — save a file to check again, Ctrl-C to stop.`));
      if (report.ok) console.log(pc.green('All green: on to the next session with npm run begin session-N.'));
    } catch (err) {
      console.error(pc.red((err as Error).message));
      console.log(pc.dim(`\nWatching ${shown} — fix it and save to check again, Ctrl-C to stop.`));
    }
  };
  // Saves made during a check are gathered by the watcher and start one more check after it.
  const watcher = watchService(dir, {
    onChange: (change) => (change.present ? run() : void console.log(pc.yellow(`⚠ ${shown}/ has no serverless.ts now: waiting for it to come back.`))),
    onError: (m) => console.error(pc.red(`✖ ${m} (still watching)`)),
  });
  return new Promise(() => void watcher.ready.then(run));
}
