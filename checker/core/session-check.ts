/**
 * A session's check: what its module in checker/sessions/session-N/ provides (how to judge),
 * joined with what session.json says about it (title, minutes, blocking checks, which check
 * belongs to which TODO). Static checks read the template osls would send to AWS; behaviour
 * checks drive the deployed service and observe it through AWS APIs.
 */
import type { Template } from '../../emulator/index.ts';
import type { CheckPeriod, CheckProfile } from './course.ts';
import type { CheckResult } from './result.ts';
import type { Deployment, Target } from './target.ts';

export interface StaticContext {
  template: Template;
  dir: string;
}

export interface BehaviourContext {
  target: Target;
  deployment: Deployment;
  template: Template;
  dir: string;
  /** Minutes to observe (virtual on local, real on AWS). */
  minutes: number;
  seed: number;
  /** Which of the check's configurations runs: the local one, or AWS's shorter periods. */
  profile: CheckProfile;
  /** session.json's check.periods for that profile, by name. */
  periods: Record<string, number | string>;
  /** The local values of the same periods: what the learner's code is written for. */
  localPeriods: Record<string, number | string>;
}

/** A known packaging (or deploy) failure of a session, told in the session's words. */
export interface PackageHint {
  match: RegExp;
  title: string;
  hint: string;
  todo?: number;
  /** A guide page other than the TODO's own section. */
  docs?: string;
  /** A sharper hint (and TODO) from the error itself or the service's own files, when they show what broke. */
  explain?(message: string, dir: string): { hint: string; todo?: number } | undefined;
}

/** What `checker/sessions/session-N/index.ts` exports: the judging, and nothing session.json already says. */
export interface SessionCheckModule {
  staticChecks(ctx: StaticContext): CheckResult[];
  packageHints?: PackageHint[];
  behaviourChecks(ctx: BehaviourContext): Promise<CheckResult[]>;
  /**
   * Resources the check adds to the learner's stack in its AWS configuration, by logical id
   * (what it needs to observe on AWS, such as a capture of the bus): see aws-configuration.ts.
   */
  checkResources?(template: Template): Template['Resources'];
}

/** A session's check as the pipeline runs it (see checker/sessions/index.ts). */
export interface SessionCheck extends SessionCheckModule {
  id: string;
  title: string;
  /** Minutes observed when --minutes is not given, per target (session.json's check.minutes). */
  defaultMinutes: { local: number; aws: number };
  /** session.json's check.periods: the local and the AWS value of each. */
  periods: CheckPeriod[];
  /** Static check ids without which the behaviour checks cannot say anything useful. */
  blocking: string[];
  /** The TODO whose work a check judges (session.json's todos[].checks), for results that name none. */
  todoOf(checkId: string): number | undefined;
  /** The TODOs' titles, by number: what a learner reads instead of a check id. */
  todoTitles: Record<number, string>;
}

/** The guide's section of a session's TODO: one rule instead of an anchor written in every check. */
export function todoDocs(sessionId: string, todo: number): string {
  return `sessions/${sessionId}#todo-${todo}`;
}

/**
 * A package hint for "State X is not reachable": the fix is in the state that should lead to
 * X, so `leadsTo` maps each state to the TODO where its predecessor is written.
 */
export function unreachableState(
  leadsTo: Record<string, { from: string; todo: number }>,
): NonNullable<PackageHint['explain']> {
  return (message) => {
    const state = /State (\w+) is not reachable/.exec(message)?.[1];
    const way = state ? leadsTo[state] : undefined;
    if (!state || !way) return undefined;
    return {
      hint: `Nothing leads to ${state}: ${way.from} must name it (in its Next, Choices, Default or Catch).`,
      todo: way.todo,
    };
  };
}
