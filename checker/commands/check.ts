/**
 * `npm run check session-N [-- --dir DIR --minutes N --seed N --json --watch --aws]`
 */
import { join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { runCheck } from '../core/pipeline.ts';
import { guideUrl } from '../core/guides.ts';
import { formatReport } from '../core/print.ts';
import { progressEntry, recordProgress } from '../core/progress.ts';
import { parseSessionId, REPO_ROOT, requireDir, SESSION_IDS, UsageError } from '../core/repo.ts';
import { sessionOrCurrent } from '../core/session-files.ts';
import type { CheckReport } from '../core/result.ts';
import { localTarget } from '../core/local-target.ts';
import { loadSessionCheck } from '../sessions/index.ts';
import { reportToRoom } from '../room/report.ts';
import { watchService } from '../core/watch.ts';
import { SandboxPool } from '../../emulator/index.ts';

export interface CheckArgs {
  /** Default: the session `npm run begin` started. */
  session?: string;
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
  /** Repository root (tests point it at a temporary one). */
  root?: string;
}

export async function check(args: CheckArgs): Promise<number> {
  const root = args.root ?? REPO_ROOT;
  const id = parseSessionId(sessionOrCurrent(root, args.session, 'check'));
  const dir = requireDir(resolve(args.dir ?? join(root, 'backend')), 'The service folder');
  const session = await loadSessionCheck(id);
  if (args.aws) {
    const { awsCheck } = await import('./aws.ts');
    return awsCheck(session, { ...args, dir });
  }
  if (args.minutes !== undefined && !(args.minutes > 0))
    throw new UsageError(`--minutes must be a positive number of virtual minutes (got ${args.minutes}).`);
  // Watching, each check's Lambda sandboxes start from threads booted while the learner
  // read the last report (sandbox-pool.ts): a re-check skips their boot.
  const sandboxPool = args.watch ? new SandboxPool() : undefined;
  const once = async (): Promise<CheckReport> => {
    const seed = args.seed ?? Math.floor(Math.random() * 1_000_000);
    const report = await runCheck(session, {
      dir,
      seed,
      minutes: args.minutes,
      targetKind: 'local',
      makeTarget: () => localTarget({ seed, sandboxPool }),
      onStage: args.json ? undefined : (stage) => process.stderr.write(pc.dim(`… ${stage}\n`)),
      onStopped: (signal) =>
        process.stderr.write(
          pc.yellow(
            `■ Check stopped (${signal === 'SIGINT' ? 'Ctrl-C' : signal}) before judging; its local cloud is gone. Run npm run check ${id} again when you are ready.\n`,
          ),
        ),
    });
    // As many as this check started, booting now, one after another, for the next one.
    void sandboxPool?.fill();
    recordProgress(root, progressEntry(report, relative(root, dir)));
    console.log(args.json ? JSON.stringify(report, null, 2) : formatReport(report, guideUrl(root)));
    await reportToRoom(report);
    return report;
  };
  if (!args.watch) return (await once()).ok ? 0 : 1;
  return watchAndCheck(dir, once);
}

/** What a passing watch says next: the real next session, or the end of the course. */
export function nextSessionLine(id: string, sessions: readonly string[] = SESSION_IDS): string {
  const next = sessions[sessions.indexOf(id) + 1];
  return next
    ? `All green: on to the next session with npm run begin ${next}.`
    : `All green: ${id} was the last session. Well done!`;
}

/** Re-checks on every save, like Rustlings: the learner keeps editing, the checker keeps up. */
function watchAndCheck(dir: string, once: () => Promise<CheckReport>): Promise<number> {
  const shown = relative(process.cwd(), dir) || '.';
  const run = async () => {
    console.clear();
    try {
      const report = await once();
      console.log(pc.dim(`\nWatching ${shown} — save a file to check again, Ctrl-C to stop.`));
      if (report.ok) console.log(pc.green(nextSessionLine(report.session)));
    } catch (err) {
      console.error(pc.red((err as Error).message));
      console.log(pc.dim(`\nWatching ${shown} — fix it and save to check again, Ctrl-C to stop.`));
    }
  };
  // Saves made during a check are gathered by the watcher and start one more check after it.
  const watcher = watchService(dir, {
    onChange: (change) =>
      change.present
        ? run()
        : void console.log(pc.yellow(`⚠ ${shown}/ has no serverless.ts now: waiting for it to come back.`)),
    onError: (m) => console.error(pc.red(`✖ ${m} (still watching)`)),
  });
  return new Promise(() => void watcher.ready.then(run));
}
