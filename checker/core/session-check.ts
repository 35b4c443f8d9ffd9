import type { Template } from '../../emulator/index.ts';
import type { CheckResult } from './result.ts';
import type { Deployment, Target } from './target.ts';

/**
 * What a session's check module provides. Static checks read the template osls would
 * send to AWS; behaviour checks drive the deployed service and observe it through AWS APIs.
 */
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
}

export interface SessionCheck {
  id: string;
  title: string;
  /** Minutes observed when --minutes is not given, per target. */
  defaultMinutes: { local: number; aws: number };
  staticChecks(ctx: StaticContext): CheckResult[];
  /** Known packaging failures of this session, told in the session's words. */
  packageHints?: Array<{ match: RegExp; title: string; hint: string; todo?: number; docs?: string }>;
  /** Static check ids without which the behaviour checks cannot say anything useful. */
  blocking?: string[];
  behaviourChecks(ctx: BehaviourContext): Promise<CheckResult[]>;
}
