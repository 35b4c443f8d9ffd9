/** Static checks for session 6: the lab's five state machines are declared, and HowStrong has a Default. The rest is behaviour. */
import type { CheckResult } from '../../core/result.ts';
import { fail, pass, skip } from '../../core/result.ts';
import type { StaticContext } from '../../core/session-check.ts';
import { resourcesOfType, show, stateMachineDefinition } from '../../core/template.ts';

export const MACHINES = {
  analysis: {
    logicalId: 'LabAnalysisStateMachine',
    name: 'labAnalysis',
    file: 'state-machines/lab/analysis.ts',
    todo: 1,
  },
  culture: {
    logicalId: 'LabCultureStateMachine',
    name: 'labCulture',
    file: 'state-machines/lab/culture.ts',
    todo: 3,
  },
  response: {
    logicalId: 'LabResponseStateMachine',
    name: 'labResponse',
    file: 'state-machines/lab/response.ts',
    todo: 5,
  },
  wave: { logicalId: 'LabWaveStateMachine', name: 'labWave', file: 'state-machines/lab/wave.ts', todo: 6 },
  alert: {
    logicalId: 'LabAlertStateMachine',
    name: 'labAlert',
    file: 'state-machines/lab/alert.ts',
    todo: 8,
  },
} as const;
export type MachineKey = keyof typeof MACHINES;

export function staticChecks({ template }: StaticContext): CheckResult[] {
  const id = 's6.machines';
  const title =
    'The lab has its five state machines: labAnalysis, labCulture, labResponse, labWave, labAlert';
  const declared = new Set(
    resourcesOfType(template, 'AWS::StepFunctions::StateMachine').map((r) => r.logicalId),
  );
  const missing = Object.values(MACHINES).filter((m) => !declared.has(m.logicalId));
  if (missing.length) {
    return [
      fail(id, title, {
        observed: `missing: ${missing.map((m) => m.name).join(', ')}`,
        hint: `Keep the starter's stepFunctions.stateMachines in serverless.ts, each with its id (${missing.map((m) => `${m.name}: ${m.logicalId}, in ${m.file}`).join('; ')}).`,
        todo: missing[0].todo,
      }),
    ];
  }
  return [pass(id, title), defaultCheck(template)];
}

/**
 * A Choice without Default fails the execution (States.NoChoiceMatched) on any input its rules
 * forgot. Rules that cover every number today may not cover tomorrow's input: the check asks
 * for the Default, whatever the rules.
 */
function defaultCheck(template: StaticContext['template']): CheckResult {
  const id = 's6.choice-default';
  const title = 'HowStrong has a Default: a virus no rule takes is released, not failed';
  const machine = resourcesOfType(template, 'AWS::StepFunctions::StateMachine').find(
    (r) => r.logicalId === MACHINES.analysis.logicalId,
  );
  const choice = machine ? stateMachineDefinition(machine)?.States?.HowStrong : undefined;
  // Not written yet: s6.branching says so, after s6.chaining (TODO 1 comes first).
  if (!choice) return skip(id, title, 'labAnalysis has no HowStrong state yet (TODO 2)');
  if (choice.Type !== 'Choice')
    return fail(id, title, {
      observed: `HowStrong is a ${show(choice.Type)}`,
      expected: 'a Choice',
      todo: 2,
    });
  if (choice.Default === undefined) {
    return fail(id, title, {
      observed: `HowStrong has no Default (its rules go to ${show(((choice.Choices ?? []) as Array<{ Next?: string }>).map((c) => c.Next))})`,
      expected: "Default: 'Release'",
      hint: 'Without a Default, an input that matches no rule fails the whole execution with States.NoChoiceMatched. Send what is left to Release with Default instead of a last rule.',
      todo: 2,
    });
  }
  return pass(id, title);
}
