/**
 * What a check says: ✔, ✖ or ⚠, and for a ✖ what was observed, what was expected, a hint,
 * the TODO it belongs to and the guide's section to read.
 */
export type Status = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckResult {
  /** Stable id, e.g. `s4.static.bus`; fixtures assert on it. */
  id: string;
  title: string;
  status: Status;
  observed?: string;
  expected?: string;
  hint?: string;
  /** The starter's TODO number this check is about. */
  todo?: number;
  /** Guide page and anchor, e.g. `sessions/session-4#todo-3`. */
  docs?: string;
}

export const pass = (id: string, title: string, extra: Partial<CheckResult> = {}): CheckResult => ({
  id,
  title,
  status: 'pass',
  ...extra,
});
export const fail = (id: string, title: string, extra: Partial<CheckResult> = {}): CheckResult => ({
  id,
  title,
  status: 'fail',
  ...extra,
});
export const warn = (id: string, title: string, extra: Partial<CheckResult> = {}): CheckResult => ({
  id,
  title,
  status: 'warn',
  ...extra,
});
export const skip = (id: string, title: string, why: string): CheckResult => ({
  id,
  title,
  status: 'skip',
  observed: why,
});

export interface CheckReport {
  session: string;
  dir: string;
  target: 'local' | 'aws';
  seed: number;
  minutes: number;
  ok: boolean;
  results: CheckResult[];
  timings: Record<string, number>;
}

export function isOk(results: CheckResult[]): boolean {
  return results.every((r) => r.status !== 'fail');
}
