/**
 * Which sessions pass, remembered under .dojo/progress.json by each `npm run check` of
 * backend/: `npm run status` shows it, and `npm run hint` reads which TODOs the failing
 * checks named, so it serves the TODO that is really open.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CheckReport } from './result.ts';

/** A ✖ of the last check, as the learner read it. */
export interface FailedCheck {
  id: string;
  title: string;
  todo?: number;
}

export interface ProgressEntry {
  session: string;
  dir: string;
  ok: boolean;
  at: string;
  failed: FailedCheck[];
}

export function progressFile(root: string): string {
  return join(root, '.dojo', 'progress.json');
}

export function readProgress(root: string): Record<string, ProgressEntry> {
  const file = progressFile(root);
  if (!existsSync(file)) return {};
  try {
    const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, ProgressEntry>;
    // Files written before checks were remembered with their TODOs hold bare ids.
    for (const entry of Object.values(all))
      entry.failed = (entry.failed ?? []).map((f: FailedCheck | string) =>
        typeof f === 'string' ? { id: f, title: f } : f,
      );
    return all;
  } catch {
    return {};
  }
}

/** What a check of `dir` leaves in the progress file. */
export function progressEntry(report: CheckReport, dir: string, at = new Date()): ProgressEntry {
  const failed = report.results
    .filter((r) => r.status === 'fail')
    .map((r) => ({ id: r.id, title: r.title, ...(r.todo ? { todo: r.todo } : {}) }));
  return { session: report.session, dir, ok: report.ok, at: at.toISOString(), failed };
}

/** The TODOs the last check's failures named, in the order they were reported. */
export function openTodos(entry: ProgressEntry): number[] {
  return [...new Set(entry.failed.flatMap((f) => (f.todo ? [f.todo] : [])))];
}

export function recordProgress(root: string, entry: ProgressEntry): void {
  const all = readProgress(root);
  // A solution checked by an instructor is not the learner's progress.
  if (!entry.dir.replace(/\\/g, '/').startsWith('backend')) return;
  all[entry.session] = entry;
  const file = progressFile(root);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(all, null, 2));
}
