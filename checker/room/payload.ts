/**
 * What a check sends to the room, built from its report: the session, each check's outcome,
 * TODO and (for a ✖) the checker's hint, the stages' durations and the kit's version. Not
 * the report's folder, not what was observed (it quotes the learner's code and answers);
 * paths, access keys and account ids are scrubbed from the texts that are sent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../core/repo.ts';
import type { CheckReport } from '../core/result.ts';
import { LIMITS, type RoomReport } from './protocol.ts';

/** The sentence a learner reads once, at join: one source for what the room is sent. */
export const WHAT_IS_SENT =
  "the session, each check's ✔/✖ with its title and TODO number, the checker's hint for a ✖, how long each stage took and the kit's version. Never your code, your credentials or your file paths.";

let kitVersion: string | undefined;

export function kit(): string {
  if (kitVersion === undefined) {
    try {
      kitVersion = String(
        (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ??
          'unknown',
      );
    } catch {
      kitVersion = 'unknown';
    }
  }
  return kitVersion;
}

export function toRoomReport(report: CheckReport): RoomReport {
  return {
    session: report.session,
    ok: report.ok,
    target: report.target,
    kit: kit().slice(0, LIMITS.kitChars),
    durations: Object.fromEntries(
      Object.entries(report.timings)
        .slice(0, LIMITS.durations)
        .map(([stage, ms]) => [stage, Math.round(ms)]),
    ),
    checks: report.results.slice(0, LIMITS.checks).map((r) => ({
      id: r.id.slice(0, LIMITS.idChars),
      title: scrub(r.title, LIMITS.titleChars),
      status: r.status,
      ...(r.todo !== undefined && Number.isInteger(r.todo) && r.todo >= 1 && r.todo <= 99
        ? { todo: r.todo }
        : {}),
      ...(r.status === 'fail' && r.hint ? { hint: scrub(r.hint, LIMITS.hintChars) } : {}),
    })),
  };
}

/** Absolute paths (they name the learner's account), AWS access keys and account ids, out. */
export function scrub(text: string, max: number): string {
  const clean = text
    // Two folders deep at least: `/viruses/{id}` is a route, `/home/ana/dojo/…` a path.
    .replace(
      /(?<![\w.])(?:[A-Za-z]:\\|~[\\/]|\/)(?:[^\s'"`:;,()[\]{}\\/]+[\\/]){2,}[^\s'"`:;,()[\]{}]*/g,
      '…',
    )
    .replace(/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, '…')
    .replace(/\b\d{12}\b/g, '…');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
