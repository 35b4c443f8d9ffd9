import { resolve, relative } from 'node:path';
import { PackageError, packageService } from '../../emulator/index.ts';
import { fail, isOk, skip, type CheckReport, type CheckResult } from './result.ts';
import type { SessionCheck } from './session-check.ts';
import type { Target } from './target.ts';

/**
 * The check pipeline: package → static checks → deploy → drive and observe → judge →
 * teardown. Teardown always runs: on success, on failure, and on Ctrl-C or SIGTERM.
 */
export interface CheckOptions {
  dir: string;
  seed: number;
  minutes?: number;
  makeTarget(): Promise<Target>;
  targetKind: 'local' | 'aws';
  /** Called at each stage, for progress display. */
  onStage?(stage: 'package' | 'static' | 'deploy' | 'observe' | 'teardown'): void;
}

export async function runCheck(session: SessionCheck, options: CheckOptions): Promise<CheckReport> {
  const dir = resolve(options.dir);
  const minutes = options.minutes ?? session.defaultMinutes[options.targetKind];
  const timings: Record<string, number> = {};
  const report: CheckReport = { session: session.id, dir: relative(process.cwd(), dir) || '.', target: options.targetKind, seed: options.seed, minutes, ok: false, results: [], timings };
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
    report.results.push(
      fail('package', known?.title ?? 'The service packages with osls', {
        observed: message,
        hint: known?.hint ?? 'Fix the error above in serverless.ts (or the file it names), then run the check again.',
        todo: known?.todo,
        docs: known?.docs ?? 'troubleshooting#osls-package-errors',
      }),
    );
    return report;
  }

  options.onStage?.('static');
  const staticResults = session.staticChecks({ template, dir });
  report.results.push(...staticResults);
  const blocked = staticResults.filter((r) => r.status === 'fail' && session.blocking?.includes(r.id));
  if (blocked.length > 0) {
    report.results.push(skip('behaviour', 'Behaviour checks', `fix ${blocked.map((b) => (b.todo ? `TODO ${b.todo}` : b.title)).join(', ')} first: without it there is nothing to observe.`));
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
    void teardown().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    options.onStage?.('deploy');
    let deployment;
    try {
      deployment = await timed('deploy', async () => {
        target = await options.makeTarget();
        return target.deploy(dir, template);
      });
    } catch (err) {
      report.results.push(fail('deploy', 'The service deploys', { observed: (err as Error).message, hint: 'The template was packaged but could not be deployed; the message above names the resource.' }));
      return report;
    }
    options.onStage?.('observe');
    const t = target!;
    const behaviour: CheckResult[] = await timed('observe', () => session.behaviourChecks({ target: t, deployment, template, dir, minutes, seed: options.seed }));
    report.results.push(...behaviour);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await teardown();
    report.ok = report.results.length > 0 && isOk(report.results);
  }
  return report;
}
