/**
 * Learners for room tests: each one a kit of its own (a .dojo/ under .dojo/tmp/) that joined
 * through the real `join` command, and check reports shaped as the pipeline makes them.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { join } from '../../checker/commands/join.ts';
import type { CheckReport, CheckResult } from '../../checker/core/result.ts';

export interface Learner {
  root: string;
  name: string;
  remove(): void;
}

export async function joinedLearner(joinUrl: string, name: string): Promise<Learner> {
  const root = resolve('.dojo', 'tmp', `learner-${randomBytes(4).toString('hex')}`);
  mkdirSync(root, { recursive: true });
  const code = await join({ url: joinUrl, name, root, print: () => undefined });
  if (code !== 0) throw new Error(`join exited ${code}`);
  return { root, name, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** What a check of a TODO says: its title, and its hint when it fails. */
export type Wording = Record<number, { title: string; hint: string }>;

/** A report of `session` whose checks for the given TODOs fail (the others pass). */
export function checkReport(
  session: string,
  failingTodos: number[],
  todos = 4,
  wording: Wording = {},
): CheckReport {
  const results: CheckResult[] = [];
  for (let t = 1; t <= todos; t++) {
    const failing = failingTodos.includes(t);
    results.push({
      id: `${session}.todo-${t}`,
      title: wording[t]?.title ?? `TODO ${t} of ${session} works`,
      status: failing ? 'fail' : 'pass',
      todo: t,
      observed: failing ? 'the function wrote nothing to /home/ana/dojo/backend/handler.ts' : undefined,
      hint: failing
        ? (wording[t]?.hint ?? `Write TODO ${t}: see /home/ana/dojo/backend/lib/virus.ts`)
        : undefined,
    });
  }
  const ok = failingTodos.length === 0;
  return {
    session,
    dir: 'backend',
    target: 'local',
    seed: 1,
    minutes: 5,
    ok,
    results,
    timings: { package: 812.4, deploy: 230.1, observe: 1500 },
  };
}
