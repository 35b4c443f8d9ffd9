/**
 * The instructor guide's example of a failing check: the report `npm run check session-1`
 * prints for a copy of the session-1 solution with one mistake of its catalogue applied.
 * It is terminal output, so the guide shows it as text (readable, searchable) rather than
 * a screenshot, and regenerating it keeps it current with the checker's words.
 *
 *   npm run docs:failing-check   rewrites the block between <!-- failing-check --> markers
 *
 * Only what changes run to run is normalised: the durations (`1.6s` → `Ns`), times in
 * milliseconds since 1970 (`N`: the virtual clock runs with the real one, so its milliseconds
 * differ), the copy's temporary folder (shown as `backend`, the learner's folder) and the
 * guide's address (the default one, whatever port a running guide holds). The seed is fixed,
 * so the rest repeats.
 * test/checker/failing-check.test.ts fails when docs/instructor.md is behind.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { GUIDE_URL } from './defaults.ts';
import { localTarget } from './local-target.ts';
import { runCheck } from './pipeline.ts';
import { formatReport } from './print.ts';
import { REPO_ROOT } from './repo.ts';
import { INSTRUCTOR_PAGE } from './mistake-tables.ts';
import { loadSessionCheck } from '../sessions/index.ts';
import { mistakes } from '../sessions/session-1/mistakes.ts';
import { copyWithEdits } from './service-copy.ts';

/** The mistake shown: an edit of handler code only, so the check skips osls and takes seconds. */
export const SHOWN_MISTAKE = 'created-at-number';
const SEED = 7;
const BLOCK = /(<!-- failing-check -->)[\s\S]*?(<!-- \/failing-check -->)/;

/** What `npm run check session-1` prints (its report, on stdout) for the solution with the mistake. */
export async function failingCheckOutput(): Promise<string> {
  const mistake = mistakes.find((m) => m.id === SHOWN_MISTAKE);
  if (!mistake) throw new Error(`checker/sessions/session-1/mistakes.ts has no mistake ${SHOWN_MISTAKE}.`);
  const copy = copyWithEdits(resolve(REPO_ROOT, 'solutions', 'session-1'), mistake.edits);
  try {
    const report = await runCheck(await loadSessionCheck('session-1'), {
      dir: copy.dir,
      seed: SEED,
      targetKind: 'local',
      makeTarget: () => localTarget({ seed: SEED }),
    });
    return normalised(formatReport(report, GUIDE_URL), report.dir);
  } finally {
    copy.remove();
  }
}

/** The page with the block brought up to date; throws when the page lost its markers. */
export function renderFailingCheck(page: string, output: string): string {
  if (!BLOCK.test(page))
    throw new Error(
      'docs/instructor.md has no <!-- failing-check --> … <!-- /failing-check --> block: add one under "Typical mistakes", then run npm run docs:failing-check.',
    );
  return page.replace(
    BLOCK,
    (_m, open: string, close: string) => `${open}\n\`\`\`text\n${output}\n\`\`\`\n${close}`,
  );
}

function normalised(text: string, dir: string): string {
  return stripVTControlCharacters(text)
    .split(dir)
    .join('backend')
    .replace(/(\w+) \d+\.\d+s(?=[,)])/g, '$1 Ns')
    .replace(/\b\d{13}\b/g, 'N');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const page = readFileSync(INSTRUCTOR_PAGE, 'utf8');
  const next = renderFailingCheck(page, await failingCheckOutput());
  writeFileSync(INSTRUCTOR_PAGE, next);
  console.log(
    next === page
      ? 'docs/instructor.md: the failing check is up to date.'
      : 'docs/instructor.md: the failing check was brought up to date.',
  );
}
