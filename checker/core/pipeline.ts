/**
 * The check pipeline: package → static checks → deploy → drive and observe → judge →
 * teardown. Teardown always runs: on success, on failure, and on Ctrl-C or SIGTERM.
 */
import { resolve, relative } from 'node:path';
import { PackageError, packageService } from '../../emulator/index.ts';
import { periodsFor, type CheckProfile } from './course.ts';
import { awsConfiguration } from './aws-configuration.ts';
import { fail, isOk, skip, type CheckReport, type CheckResult } from './result.ts';
import { todoDocs, type SessionCheck } from './session-check.ts';
import type { Target } from './target.ts';
import { unawaitedCallsResult } from './unawaited.ts';

export interface CheckOptions {
  dir: string;
  seed: number;
  minutes?: number;
  makeTarget(): Promise<Target>;
  targetKind: 'local' | 'aws';
  /**
   * The check's configuration: its periods and minutes (session.json's check.periods). The
   * target's own by default; 'aws' on the local cloud runs AWS's shorter check there, as the
   * dry run and the tests do.
   */
  profile?: CheckProfile;
  /** Called at each stage, for progress display. */
  onStage?(stage: 'package' | 'static' | 'deploy' | 'observe' | 'teardown'): void;
  /** Called when Ctrl-C or SIGTERM stopped the check, after the teardown, before the process exits. */
  onStopped?(signal: NodeJS.Signals): void;
}

export async function runCheck(session: SessionCheck, options: CheckOptions): Promise<CheckReport> {
  const dir = resolve(options.dir);
  const profile = options.profile ?? options.targetKind;
  const minutes = options.minutes ?? session.defaultMinutes[profile];
  const periods = periodsFor(session, profile);
  const timings: Record<string, number> = {};
  const report: CheckReport = {
    session: session.id,
    dir: relative(process.cwd(), dir) || '.',
    target: options.targetKind,
    seed: options.seed,
    minutes,
    ok: false,
    results: [],
    timings,
  };
  const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      timings[name] = performance.now() - t0;
    }
  };

  options.onStage?.('package');
  let template;
  try {
    template = (await timed('package', () => packageService(dir, 'local'))).template;
  } catch (err) {
    const message = err instanceof PackageError ? err.message : `Packaging failed: ${(err as Error).message}`;
    const known = session.packageHints?.find((h) => h.match.test(message));
    const sharper = known?.explain?.(message, dir);
    const todo = sharper?.todo ?? known?.todo;
    report.results.push(
      fail('package', known?.title ?? 'The service packages with osls', {
        observed: message,
        hint:
          sharper?.hint ??
          known?.hint ??
          'Fix the error above in serverless.ts (or the file it names), then run the check again.',
        todo,
        docs: known?.docs ?? (todo ? todoDocs(session.id, todo) : 'troubleshooting#osls-package-errors'),
      }),
    );
    return report;
  }

  options.onStage?.('static');
  const staticResults = session.staticChecks({ template, dir }).map((r) => placed(session, r));
  report.results.push(...staticResults);
  const blocked = staticResults.filter((r) => r.status === 'fail' && session.blocking?.includes(r.id));
  if (blocked.length > 0) {
    report.results.push(
      skip(
        'behaviour',
        'Behaviour checks',
        `fix ${blocked.map((b) => (b.todo ? `TODO ${b.todo} (${session.todoTitles[b.todo] ?? b.title})` : b.title)).join(', ')} first: without it there is nothing to observe.`,
      ),
    );
    report.ok = false;
    return report;
  }

  let target: Target | undefined;
  const teardown = async () => {
    if (!target) return;
    options.onStage?.('teardown');
    const t = target;
    target = undefined;
    await timed('teardown', () => t.teardown());
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void teardown().finally(() => {
      options.onStopped?.(signal);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    options.onStage?.('deploy');
    let deployment;
    try {
      deployment = await timed('deploy', async () => {
        target = await options.makeTarget();
        // The AWS target deploys with osls, its wrapper config setting the same periods and adding the same resources.
        return target.deploy(dir, profile === 'aws' ? awsConfiguration(session, template) : template);
      });
    } catch (err) {
      const message = (err as Error).message;
      // CloudFormation refuses at deploy time what osls let through (an ASL rule, a property): told as the session knows it.
      const known = session.packageHints?.find((h) => h.match.test(message));
      const sharper = known?.explain?.(message, dir);
      const todo = sharper?.todo ?? known?.todo;
      report.results.push(
        fail('deploy', known?.title ?? 'The service deploys', {
          observed: message,
          hint:
            sharper?.hint ??
            known?.hint ??
            'The template was packaged but could not be deployed; the message above names the resource.',
          ...(todo ? { todo, docs: known?.docs ?? todoDocs(session.id, todo) } : {}),
        }),
      );
      return report;
    }
    options.onStage?.('observe');
    const t = target!;
    const behaviour: CheckResult[] = await timed('observe', () =>
      observed(() =>
        session.behaviourChecks({
          target: t,
          deployment,
          template,
          dir,
          minutes,
          seed: options.seed,
          profile,
          periods,
          localPeriods: periodsFor(session, 'local'),
        }),
      ),
    );
    // First among the behaviour results: a forgotten await causes what the others see.
    const unawaited = unawaitedCallsResult(t.trace, session.id);
    report.results.push(
      ...(unawaited ? [placed(session, unawaited)] : []),
      ...behaviour.map((r) => placed(session, r)),
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await teardown();
    report.results = told(session, report.results);
    report.ok = report.results.length > 0 && isOk(report.results);
  }
  return report;
}

/**
 * The behaviour checks' results, or one ✖ when a call stopped them: a cloud that failed on a
 * request (the local cloud's InternalFailure, AWS throttling or expired credentials), or the
 * checker itself. A verdict, after the teardown, instead of a stack trace: what failed, where,
 * and that the learner's code is not what it is about.
 */
async function observed(behaviourChecks: () => Promise<CheckResult[]>): Promise<CheckResult[]> {
  try {
    return await behaviourChecks();
  } catch (err) {
    return [stoppedObserving(err)];
  }
}

function stoppedObserving(err: unknown): CheckResult {
  const e = err as { name?: string; message?: string; stack?: string; $metadata?: unknown };
  const answered = e?.$metadata !== undefined;
  const what = e?.message ? `${answered && e.name ? `${e.name}: ` : ''}${e.message}` : String(err);
  const where = checkerFrame(e?.stack);
  return fail('observe', 'The check watched your service to the end', {
    observed: `The check stopped while watching your service: ${what}${where ? ` (at ${where})` : ''}`,
    hint: answered
      ? "The cloud answered one of the checker's own calls with an error, most likely not because of your code (the check tells your code's mistakes as ✖ under a TODO). Run the check again; if it happens again, run npm run doctor and show this message to your instructor."
      : 'The checker stopped on an error of its own or of its connection, most likely not because of your code. Run the check again; if it happens again, show this message to your instructor.',
    docs: 'troubleshooting#the-check-stopped-while-watching',
  });
}

/** The first frame of the stack in the kit's own files (checker/, emulator/), as path:line. */
function checkerFrame(stack: string | undefined): string | undefined {
  for (const line of stack?.split('\n') ?? []) {
    const m = /((?:checker|emulator)\/[^\s:()]+\.[cm]?[jt]s):(\d+)/.exec(line);
    if (m && !line.includes('node_modules')) return `${m[1]}:${m[2]}`;
  }
  return undefined;
}

const CHECK_ID = /\bs\d+\.[a-z][\w-]*\b/g;

/**
 * Results as a learner reads them: a check id a message mentions ("see s6.approval") becomes
 * the TODO and title it is about ("see TODO 8 (Wait for a person)"); ids are the checker's
 * words, not the learner's.
 */
export function told(session: SessionCheck, results: CheckResult[]): CheckResult[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  const say = (id: string) => {
    // Only the session's own check ids: "s3.amazonaws.com" in a message stays as it is.
    if (!byId.has(id) && !session.todoOf(id)) return id;
    const todo = byId.get(id)?.todo ?? session.todoOf(id);
    if (todo && session.todoTitles[todo]) return `TODO ${todo} (${session.todoTitles[todo]})`;
    const title = byId.get(id)?.title;
    return title ? `"${title}"` : id;
  };
  const tell = (text: string | undefined) => text?.replace(CHECK_ID, say);
  return results.map((r) => ({
    ...r,
    ...(r.observed ? { observed: tell(r.observed) } : {}),
    ...(r.hint ? { hint: tell(r.hint) } : {}),
  }));
}

/**
 * A result with its TODO, a hint and the guide section: a check that names no TODO is told
 * under the one session.json gives it, one without a hint points at that TODO's hints, and
 * a TODO's section is always `sessions/session-N#todo-k`.
 */
function placed(session: SessionCheck, result: CheckResult): CheckResult {
  if (result.status === 'pass' || result.status === 'skip') return result;
  const todo = result.todo ?? session.todoOf(result.id);
  if (!todo) return result;
  // Every ✖ says what to do next: at the least, where the TODO's hints are.
  const hint =
    result.hint ??
    `Read TODO ${todo} (${session.todoTitles[todo] ?? 'its section of the guide'}) again: npm run hint ${session.id} ${todo} shows its hints one by one.`;
  return { ...result, todo, hint, docs: result.docs ?? todoDocs(session.id, todo) };
}
