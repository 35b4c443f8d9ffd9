/** Static checks for session 4, on the template `osls package` produced. */
import { matchesPattern, parseEventPattern } from '../../../emulator/index.ts';
import type { CheckResult } from '../../core/result.ts';
import { fail, pass, warn } from '../../core/result.ts';
import type { StaticContext } from '../../core/session-check.ts';
import {
  lambdaFor,
  referencedIds,
  resourcesOf,
  resourcesOfType,
  rulesTargeting,
  show,
  stateMachineDefinition,
  statementsAllowing,
} from '../../core/template.ts';

/** The event spreadVirus must send, as the rule will see it. */
export const SAMPLE_EVENT = {
  version: '0',
  id: '00000000-0000-0000-0000-000000000000',
  'detail-type': 'VIRUS_CREATION_REQUESTED',
  source: 'dojo-serverless',
  account: '123456789012',
  time: '2026-11-21T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: {},
};

export function staticChecks({ template }: StaticContext): CheckResult[] {
  const results: CheckResult[] = [];
  const buses = resourcesOfType(template, 'AWS::Events::EventBus');
  const bus = buses[0];
  results.push(
    bus
      ? pass('s4.bus', `A custom event bus: ${bus.logicalId} (${show(bus.Properties?.Name)})`)
      : fail('s4.bus', 'A custom event bus', {
          observed: 'no AWS::Events::EventBus in the template',
          expected: 'an AWS::Events::EventBus resource named DojoEventBus',
          hint: 'Declare the bus in resources/eventbridge.ts and spread it into resources.Resources.',
          todo: 1,
        }),
  );

  const spread = lambdaFor(template, 'spreadVirus');
  const spreadSchedules = spread
    ? rulesTargeting(template, spread.logicalId).filter((r) => r.Properties?.ScheduleExpression)
    : [];
  const everyMinute = spreadSchedules.find((r) =>
    /^rate\(1 minute\)$|^cron\(\* \* \* \* \? \*\)$|^cron\(0\/1 \* \* \* \? \*\)$/.test(
      String(r.Properties?.ScheduleExpression),
    ),
  );
  results.push(
    !spread
      ? fail('s4.schedule', 'spreadVirus runs every minute', {
          observed: 'no spreadVirus function in serverless.ts',
          hint: 'Keep the spreadVirus function from the starter: functions.spreadVirus with handler functions/spreadVirus/handler.main.',
          todo: 2,
        })
      : everyMinute
        ? pass('s4.schedule', `spreadVirus runs every minute (${everyMinute.Properties?.ScheduleExpression})`)
        : fail('s4.schedule', 'spreadVirus runs every minute', {
            observed: spreadSchedules.length
              ? `schedule ${show(spreadSchedules.map((r) => r.Properties?.ScheduleExpression))}`
              : 'spreadVirus has no schedule',
            expected: "events: [{ schedule: 'rate(1 minute)' }] on spreadVirus",
            hint: "Give spreadVirus events: [{ schedule: 'rate(1 minute)' }] in serverless.ts.",
            todo: 2,
          }),
  );

  if (spread && bus) {
    const env = spread.Properties?.Environment?.Variables?.EVENT_BUS_NAME;
    results.push(
      referencedIds(env).includes(bus.logicalId)
        ? pass('s4.bus-env', 'spreadVirus knows the bus (EVENT_BUS_NAME)')
        : fail('s4.bus-env', 'spreadVirus knows the bus (EVENT_BUS_NAME)', {
            observed:
              env === undefined
                ? 'no EVENT_BUS_NAME variable on spreadVirus'
                : `EVENT_BUS_NAME = ${show(env)}`,
            expected: `EVENT_BUS_NAME: { Ref: '${bus.logicalId}' }`,
            hint: `Give spreadVirus environment: { EVENT_BUS_NAME: { Ref: '${bus.logicalId}' } }.`,
            todo: 2,
          }),
    );
  }

  const allowing = statementsAllowing(template, 'events:PutEvents');
  const onBus =
    bus && allowing.find((s) => resourcesOf(s).some((r) => referencedIds(r).includes(bus.logicalId)));
  const onStar = allowing.find((s) => resourcesOf(s).some((r) => r === '*'));
  results.push(
    onBus
      ? pass('s4.permission', 'spreadVirus may put events on the bus (events:PutEvents)')
      : onStar
        ? warn('s4.permission', 'spreadVirus may put events on the bus (events:PutEvents)', {
            observed: 'events:PutEvents is allowed on "*", every bus of the account',
            hint: `Scope it to the bus: Resource: { 'Fn::GetAtt': ['${bus?.logicalId ?? 'DojoEventBus'}', 'Arn'] }.`,
            todo: 3,
          })
        : fail('s4.permission', 'spreadVirus may put events on the bus (events:PutEvents)', {
            observed: allowing.length
              ? `events:PutEvents is allowed on ${show(allowing.flatMap(resourcesOf))}, not on the bus`
              : 'no IAM statement allows events:PutEvents',
            expected: `an Allow statement for events:PutEvents on { 'Fn::GetAtt': ['${bus?.logicalId ?? 'DojoEventBus'}', 'Arn'] }`,
            hint: 'Without it, AWS (and the local cloud) answer AccessDeniedException to spreadVirus. Add the statement to provider.iam.role.statements.',
            todo: 3,
          }),
  );

  const machines = resourcesOfType(template, 'AWS::StepFunctions::StateMachine');
  const machine = machines[0];
  results.push(statesCheck(machine, template));

  // The rule: on the custom bus, matching what spreadVirus sends, starting the state machine.
  const rules = machine
    ? rulesTargeting(template, machine.logicalId).filter((r) => r.Properties?.EventPattern)
    : [];
  results.push(ruleCheck(rules, bus?.logicalId));

  const create = lambdaFor(template, 'createVirus');
  const oldSchedules = create
    ? rulesTargeting(template, create.logicalId).filter((r) => r.Properties?.ScheduleExpression)
    : [];
  results.push(
    oldSchedules.length === 0
      ? pass('s4.old-schedule', 'createVirus has no schedule of its own any more')
      : fail('s4.old-schedule', 'createVirus has no schedule of its own any more', {
          observed: `createVirus still runs on ${show(oldSchedules.map((r) => r.Properties?.ScheduleExpression))}`,
          expected: 'viruses come only from the state machine',
          hint: 'Remove the schedule event from createVirus in serverless.ts: the state machine calls it now.',
          todo: 8,
        }),
  );
  return results;
}

function statesCheck(
  machine: ReturnType<typeof resourcesOfType>[number] | undefined,
  template: StaticContext['template'],
): CheckResult {
  const id = 's4.states';
  const title = 'The state machine: ChooseWaitTime → WaitXSeconds (SecondsPath) → CreateVirus';
  const todo = 6;
  if (!machine)
    return fail(id, title, {
      observed: 'no state machine in the template',
      hint: 'Declare stepFunctions.stateMachines.virusCreation in serverless.ts (state-machines/virusCreation.ts).',
      todo,
    });
  const def = stateMachineDefinition(machine);
  if (!def) return fail(id, title, { observed: 'the definition could not be read', todo });
  const names = Object.keys(def.States ?? {});
  const expected = ['ChooseWaitTime', 'WaitXSeconds', 'CreateVirus'];
  const missing = expected.filter((n) => !names.includes(n));
  if (missing.length || names.length !== 3) {
    return fail(id, title, {
      observed: `states ${show(names)}, starting at ${def.StartAt}`,
      expected: `exactly ${show(expected)}`,
      hint: missing.length
        ? `Add ${missing.join(', ')} (names matter: the check and the board look for them).`
        : 'Keep exactly these three states.',
      todo,
    });
  }
  const s = def.States;
  const problems: string[] = [];
  if (def.StartAt !== 'ChooseWaitTime')
    problems.push(`StartAt is ${show(def.StartAt)}, expected "ChooseWaitTime"`);
  if (s.ChooseWaitTime.Type !== 'Task' || s.ChooseWaitTime.Next !== 'WaitXSeconds')
    problems.push('ChooseWaitTime must be a Task with Next: "WaitXSeconds"');
  if (s.CreateVirus.Type !== 'Task' || s.CreateVirus.End !== true)
    problems.push('CreateVirus must be a Task with End: true');
  const wait = s.WaitXSeconds;
  if (wait.Type !== 'Wait') problems.push(`WaitXSeconds is a ${wait.Type}, expected a Wait`);
  else if (wait.Seconds !== undefined) {
    return fail(id, title, {
      observed: `WaitXSeconds waits a fixed Seconds: ${wait.Seconds}`,
      expected: 'SecondsPath: "$.numberOfSeconds", the wait ChooseWaitTime chose',
      hint: 'A fixed wait makes every virus arrive together. Replace Seconds with SecondsPath: "$.numberOfSeconds".',
      todo,
    });
  } else if (wait.SecondsPath !== '$.numberOfSeconds')
    problems.push(`WaitXSeconds has SecondsPath ${show(wait.SecondsPath)}, expected "$.numberOfSeconds"`);
  if (wait.Next !== 'CreateVirus') problems.push('WaitXSeconds must have Next: "CreateVirus"');
  const lambdaRef = (state: string, fn: string) => {
    const target = lambdaFor(template, fn);
    const resources = machine.Properties?.DefinitionString;
    const text = JSON.stringify(resources ?? '');
    return target && text.includes(target.logicalId) && String(s[state].Resource ?? '').startsWith('${')
      ? undefined
      : `${state} should call the ${fn} Lambda (Resource: { 'Fn::GetAtt': ['${fn}', 'Arn'] })`;
  };
  for (const p of [lambdaRef('ChooseWaitTime', 'chooseWaitTime'), lambdaRef('CreateVirus', 'createVirus')])
    if (p) problems.push(p);
  return problems.length
    ? fail(id, title, {
        observed: problems.join('; '),
        todo,
        hint: 'Compare state-machines/virusCreation.ts with the three states described in TODO 6.',
      })
    : pass(id, title);
}

function ruleCheck(rules: ReturnType<typeof resourcesOfType>, busId: string | undefined): CheckResult {
  const id = 's4.rule';
  const title = 'A rule on the bus starts the state machine for each VIRUS_CREATION_REQUESTED event';
  const todo = 7;
  if (rules.length === 0) {
    return fail(id, title, {
      observed: 'nothing starts the state machine',
      expected:
        'an eventBridge event on the state machine, on the bus, for source dojo-serverless and detail-type VIRUS_CREATION_REQUESTED',
      hint: "Add events: [{ eventBridge: { eventBusName: { Ref: 'DojoEventBus' }, event: { source: ['dojo-serverless'], 'detail-type': ['VIRUS_CREATION_REQUESTED'] } } }] to the state machine.",
      todo,
    });
  }
  const notes: string[] = [];
  for (const rule of rules) {
    const p = rule.Properties ?? {};
    let matches = false;
    try {
      matches = matchesPattern(parseEventPattern(p.EventPattern), SAMPLE_EVENT);
    } catch (err) {
      notes.push(`the pattern is not valid: ${(err as Error).message}`);
      continue;
    }
    const onBus = busId !== undefined && referencedIds(p.EventBusName).includes(busId);
    if (matches && onBus) return pass(id, title);
    if (!matches) {
      const dt = p.EventPattern?.['detail-type'];
      const src = p.EventPattern?.source;
      const typo =
        Array.isArray(dt) && !dt.includes('VIRUS_CREATION_REQUESTED')
          ? `detail-type ${show(dt)}`
          : Array.isArray(src) && !src.includes('dojo-serverless')
            ? `source ${show(src)}`
            : `pattern ${show(p.EventPattern)}`;
      notes.push(
        `the rule listens for ${typo}, but spreadVirus sends detail-type "VIRUS_CREATION_REQUESTED" from source "dojo-serverless": the event would never match`,
      );
    } else if (!onBus) {
      notes.push(
        p.EventBusName === undefined
          ? 'the rule listens on the default bus, but spreadVirus puts its events on the custom bus'
          : `the rule listens on ${show(p.EventBusName)}, not on the custom bus`,
      );
    }
  }
  return fail(id, title, {
    observed: notes.join('; '),
    hint: notes.some((n) => n.includes('default bus'))
      ? "Give the eventBridge event eventBusName: { Ref: 'DojoEventBus' }."
      : 'Check the spelling: the pattern must say exactly what spreadVirus sends.',
    todo,
  });
}
