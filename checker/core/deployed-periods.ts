/**
 * The periods a check sets in the learner's state machines for its AWS configuration
 * (session.json's check.periods with `deploys`): AskForApproval's TimeoutSeconds of 3600 is
 * deployed as 300 so that an `--aws` check sees the timeout within its slot. Only a state
 * whose field holds the local value changes: a learner who wrote another value (or none) is
 * deployed as written, so the check still sees the mistake.
 *
 * Two forms of one rule: on a packaged template (the local cloud runs the AWS configuration:
 * the dry run, the tests) and on the serverless config the AWS wrapper loads (osls deploys
 * it: checker/aws/snapshot.ts).
 */
import type { Template } from '../../emulator/index.ts';
import type { CheckPeriod } from './course.ts';

export interface DeployedPeriod {
  state: string;
  field: string;
  from: number | string;
  to: number | string;
}

/** The periods to deploy with their AWS value. */
export function deployedPeriods(periods: CheckPeriod[]): DeployedPeriod[] {
  return periods
    .filter((p) => p.deploys && p.local !== p.aws)
    .map((p) => ({ state: p.deploys!.state, field: p.deploys!.field, from: p.local, to: p.aws }));
}

/** Sets the periods in one state machine definition (its top-level States); true when one changed. */
export function setPeriods(
  definition: { States?: Record<string, any> } | undefined,
  periods: DeployedPeriod[],
): boolean {
  let changed = false;
  for (const p of periods) {
    const state = definition?.States?.[p.state];
    if (state && state[p.field] === p.from) {
      state[p.field] = p.to;
      changed = true;
    }
  }
  return changed;
}

/** A copy of the template with the periods set in its state machines' definitions. */
export function withDeployedPeriods(template: Template, periods: CheckPeriod[]): Template {
  const deployed = deployedPeriods(periods);
  if (deployed.length === 0) return template;
  const copy = structuredClone(template);
  for (const resource of Object.values(copy.Resources)) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const props = resource.Properties ?? {};
    const def = props.DefinitionString;
    // serverless-step-functions writes the definition as JSON text, in an Fn::Sub when it refers to resources.
    const sub =
      def && typeof def === 'object' && 'Fn::Sub' in def
        ? (def as { 'Fn::Sub': unknown })['Fn::Sub']
        : undefined;
    const text =
      typeof def === 'string' ? def : Array.isArray(sub) ? sub[0] : typeof sub === 'string' ? sub : undefined;
    if (typeof text !== 'string') continue;
    let parsed: { States?: Record<string, any> };
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    if (!setPeriods(parsed, deployed)) continue;
    const out = JSON.stringify(parsed, null, 2);
    props.DefinitionString =
      typeof def === 'string' ? out : { 'Fn::Sub': Array.isArray(sub) ? [out, ...sub.slice(1)] : out };
  }
  return copy;
}

/**
 * The same rule as JavaScript for the wrapper config osls loads on AWS: `config` is the
 * learner's serverless config, its machines in `stepFunctions.stateMachines`.
 */
export function deployedPeriodsSource(periods: DeployedPeriod[]): string {
  if (periods.length === 0) return '';
  return `// The check's AWS configuration (session.json's check.periods): shorter periods, for the check only.
for (const machine of Object.values((config.stepFunctions && config.stepFunctions.stateMachines) || {})) {
  const states = (machine && machine.definition && machine.definition.States) || {};
  for (const p of ${JSON.stringify(periods)}) if (states[p.state] && states[p.state][p.field] === p.from) states[p.state][p.field] = p.to;
}
`;
}
