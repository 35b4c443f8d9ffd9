/**
 * The checker's report as text: what `npm run check` prints to the learner.
 */
import pc from 'picocolors';
import { GUIDE_URL } from './defaults.ts';
import type { CheckReport, CheckResult } from './result.ts';

/** Prints a report the way a learner reads it: one line per check, details under a ✖. */
export function formatReport(report: CheckReport, docsBase = GUIDE_URL): string {
  const lines: string[] = [];
  lines.push(
    pc.bold(`Checking ${report.session} in ${report.dir}`) +
      pc.dim(
        ` (${report.target}, seed ${report.seed}${report.target === 'local' ? `, ${report.minutes} virtual minute${report.minutes === 1 ? '' : 's'}` : ''})`,
      ),
  );
  for (const r of report.results) lines.push(...formatResult(r, docsBase));
  const failed = report.results.filter((r) => r.status === 'fail');
  const passed = report.results.filter((r) => r.status === 'pass').length;
  lines.push('');
  if (report.ok) {
    lines.push(
      pc.green(pc.bold(`✔ ${report.session} passes: ${passed} checks.`)) +
        pc.dim(` (${fmtTimings(report.timings)})`),
    );
  } else {
    const first = failed[0];
    lines.push(
      pc.red(pc.bold(`✖ ${failed.length || 1} of ${report.results.length || 1} checks failed.`)) +
        pc.dim(` (${fmtTimings(report.timings)})`),
    );
    if (first)
      lines.push(`Next step: ${first.todo ? `TODO ${first.todo} — ` : ''}${first.hint ?? first.title}`);
  }
  return lines.join('\n');
}

function formatResult(r: CheckResult, docsBase: string): string[] {
  const mark =
    r.status === 'pass'
      ? pc.green('✔')
      : r.status === 'fail'
        ? pc.red('✖')
        : r.status === 'warn'
          ? pc.yellow('⚠')
          : pc.dim('○');
  const todo = r.todo ? pc.dim(` [TODO ${r.todo}]`) : '';
  const out = [`${mark} ${r.title}${todo}`];
  if (r.status === 'pass' || r.status === 'skip') {
    if (r.status === 'skip' && r.observed) out.push(pc.dim(`    skipped: ${r.observed}`));
    return out;
  }
  if (r.observed) out.push(`    ${pc.dim('observed:')} ${r.observed}`);
  if (r.expected) out.push(`    ${pc.dim('expected:')} ${r.expected}`);
  if (r.hint) out.push(`    ${pc.dim('hint:')}     ${r.hint}`);
  if (r.docs) out.push(`    ${pc.dim('read:')}     ${docsBase}/${r.docs}`);
  return out;
}

function fmtTimings(t: Record<string, number>): string {
  return Object.entries(t)
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`)
    .join(', ');
}
