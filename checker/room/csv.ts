/**
 * The end-of-day export: one row per learner and session checked, for a spreadsheet. Cells
 * that a spreadsheet would run as a formula (=, +, -, @) are quoted as text: a learner's
 * name is theirs to choose.
 */
import type { RoomView } from './protocol.ts';

const HEADER = [
  'learner',
  'session',
  'result',
  'checked_at',
  'passed',
  'checks',
  'failing',
  'target',
  'kit',
  'checks_run',
  'stuck_on',
];

export function roomCsv(view: RoomView): string {
  const rows: string[][] = [HEADER];
  for (const l of view.learners) {
    for (const session of view.sessions) {
      const c = l.cells[session];
      if (!c) continue;
      const stuck =
        l.stuck?.session === session
          ? l.stuck.todo !== undefined
            ? `TODO ${l.stuck.todo}`
            : l.stuck.title
          : '';
      rows.push([
        l.name,
        session,
        c.ok ? 'pass' : 'fail',
        new Date(c.at).toISOString(),
        String(c.passed),
        String(c.total),
        c.failing.map((f) => (f.todo !== undefined ? `TODO ${f.todo}: ${f.title}` : f.title)).join('; '),
        c.target,
        c.kit,
        String(c.checks),
        stuck,
      ]);
    }
  }
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
