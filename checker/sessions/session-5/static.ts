/** Static checks for session 5, on the template `osls package` produced. */
import { matchesPattern, parseEventPattern, type Template } from '../../../emulator/index.ts';
import type { CheckResult } from '../../core/result.ts';
import { fail, pass, warn } from '../../core/result.ts';
import type { StaticContext } from '../../core/session-check.ts';
import {
  actionsOf,
  lambdaFor,
  referencedIds,
  resourcesOf,
  resourcesOfType,
  show,
  stateMachineDefinition,
  type Resource,
  type Statement,
} from '../../core/template.ts';

/** Events as a rule sees them. */
function busEvent(detailType: string, detail: object, source = 'dojo-serverless') {
  return {
    version: '0',
    id: '00000000-0000-0000-0000-000000000000',
    'detail-type': detailType,
    source,
    account: '123456789012',
    time: '2026-11-21T10:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail,
  };
}
export const SAMPLES = {
  start: busEvent('Schedule Start', { id: 'outbreak:every-5', cron: '*/5 * * * *' }),
  stop: busEvent('Schedule Stop', { id: 'outbreak:every-5' }),
  outbreakTick: busEvent('Schedule Tick', { id: 'outbreak:every-5' }),
  testTick: busEvent('Schedule Tick', { id: 'test:duration-5m' }),
  // "outbreak:" inside the id, not at its start: prefix matching must not take it.
  lookalikeTick: busEvent('Schedule Tick', { id: 'test:outbreak:late' }),
  // A tick of part 2's chain of one-time schedules: it carries its Start's token.
  chainTick: busEvent('Schedule Tick', {
    id: 'outbreak:every-5',
    token: 'a1b2c3d4-0000-4000-8000-000000000000',
    next: { at: '2026-11-21T10:05:00.000Z', n: 1 },
  }),
};

type Definition = { States: Record<string, any>; StartAt: string };

export function staticChecks({ template }: StaticContext): CheckResult[] {
  const results: CheckResult[] = [];
  const bus = resourcesOfType(template, 'AWS::Events::EventBus')[0];
  const tables = resourcesOfType(template, 'AWS::DynamoDB::Table');
  const table =
    tables.find((t) => t.logicalId === 'ScheduleTable') ??
    tables.find((t) => /schedule/i.test(`${t.logicalId} ${show(t.Properties?.TableName)}`));
  results.push(tableCheck(table));

  const start = lambdaFor(template, 'startSchedule');
  const stop = lambdaFor(template, 'stopSchedule');
  results.push(
    ruleCheck(
      template,
      's5.start-rule',
      'startSchedule runs on every Schedule Start event on the bus',
      start,
      'startSchedule',
      bus,
      SAMPLES.start,
      [SAMPLES.stop, SAMPLES.outbreakTick],
      "{ eventBridge: { eventBus: { Ref: 'DojoEventBus' }, pattern: { 'detail-type': ['Schedule Start'] } } }",
    ),
  );
  results.push(
    ruleCheck(
      template,
      's5.stop-rule',
      'stopSchedule runs on every Schedule Stop event on the bus',
      stop,
      'stopSchedule',
      bus,
      SAMPLES.stop,
      [SAMPLES.start, SAMPLES.outbreakTick],
      "{ eventBridge: { eventBus: { Ref: 'DojoEventBus' }, pattern: { 'detail-type': ['Schedule Stop'] } } }",
    ),
  );

  const machines = resourcesOfType(template, 'AWS::StepFunctions::StateMachine');
  const machine =
    machines.find((m) => m.logicalId === 'SchedulerStateMachine') ??
    machines.find((m) => /scheduler/i.test(`${m.logicalId} ${show(m.Properties?.StateMachineName)}`));
  results.push(envCheck(start, stop, table, machine, bus));
  results.push(permissionCheck(template, table, machine));
  const def = machine ? stateMachineDefinition(machine) : undefined;
  results.push(statesCheck(template, machine, def, table, bus));
  results.push(waitCheck(def));
  results.push(waveRuleCheck(template, bus));
  results.push(tickResourcesCheck(template, bus));
  results.push(tickWiringCheck(template, bus, table, start, stop));
  return results;
}

/** Part 2's TickSchedulerRole: Scheduler may assume it, and it may put events on the bus. */
function tickRole(template: Template): Resource | undefined {
  return resourcesOfType(template, 'AWS::IAM::Role').find((r) =>
    JSON.stringify(r.Properties?.AssumeRolePolicyDocument ?? {}).includes('scheduler.amazonaws.com'),
  );
}

function tickResourcesCheck(template: Template, bus: Resource | undefined): CheckResult {
  const id = 's5.scheduler-resources';
  const title = 'A schedule group for the ticks, and a role Scheduler takes to put them on the bus (part 2)';
  const todo = 17;
  const group = resourcesOfType(template, 'AWS::Scheduler::ScheduleGroup')[0];
  if (!group)
    return fail(id, title, {
      observed: 'no AWS::Scheduler::ScheduleGroup in the template',
      expected: "TickScheduleGroup, named '${self:service}-${sls:stage}-ticks'",
      hint: 'Declare TickScheduleGroup in resources/scheduler.ts: the tick schedules live there, and go with the stack.',
      todo,
    });
  const role = tickRole(template);
  if (!role)
    return fail(id, title, {
      observed: 'no role that scheduler.amazonaws.com may assume',
      expected:
        "TickSchedulerRole, with AssumeRolePolicyDocument Principal: { Service: 'scheduler.amazonaws.com' }",
      hint: 'Scheduler calls the target as a role of its own, not as your functions: declare TickSchedulerRole in resources/scheduler.ts.',
      todo,
    });
  const statements = (role.Properties?.Policies ?? []).flatMap(
    (p: { PolicyDocument?: { Statement?: Statement | Statement[] } }) =>
      [p.PolicyDocument?.Statement ?? []].flat(),
  ) as Statement[];
  const puts = statements.filter(
    (st) => st.Effect === 'Allow' && actionsOf(st).some((a) => /^events:(PutEvents|\*)$/i.test(a)),
  );
  const resources = puts.flatMap(resourcesOf);
  if (!bus || !resources.some((r) => referencedIds(r).includes(bus.logicalId))) {
    return fail(id, title, {
      observed: puts.length
        ? `${role.logicalId} allows events:PutEvents on ${show(resources)}, not on ${bus?.logicalId ?? 'the bus'}`
        : `${role.logicalId} allows no events:PutEvents`,
      expected: "events:PutEvents on { 'Fn::GetAtt': ['DojoEventBus', 'Arn'] }",
      hint: `${role.logicalId}'s policy: { Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': ['DojoEventBus', 'Arn'] } }: each tick goes to our bus, and nowhere else.`,
      todo,
    });
  }
  return pass(id, `${title}: ${group.logicalId}, ${role.logicalId}`);
}

function tickWiringCheck(
  template: Template,
  bus: Resource | undefined,
  table: Resource | undefined,
  start: Resource | undefined,
  stop: Resource | undefined,
): CheckResult {
  const id = 's5.scheduler-wiring';
  const title =
    'scheduleNext runs on the ticks of part 2, and the functions may create and delete tick schedules (part 2)';
  const todo = 18;
  const next = lambdaFor(template, 'scheduleNext');
  if (!next)
    return fail(id, title, {
      observed: 'no scheduleNext function in serverless.ts',
      hint: 'Add functions.scheduleNext (handler functions/scheduleNext/handler.main), on the Schedule Tick events of the bus whose detail has a token: detail: { token: [{ exists: true }] }.',
      todo,
    });
  const rules = rulesFor(template, next).filter((r) => onBus(r, bus));
  const problems: string[] = [];
  if (!rules.some((r) => matches(r, SAMPLES.chainTick) === true))
    problems.push(
      rules.length
        ? `scheduleNext's rule ${show(rules[0].Properties?.EventPattern)} does not match a tick of part 2 (${show(SAMPLES.chainTick.detail)})`
        : 'nothing on DojoEventBus runs scheduleNext',
    );
  else if (rules.some((r) => matches(r, SAMPLES.outbreakTick) === true))
    problems.push(
      "scheduleNext's rule also matches the ticks of part 1 ({ id } alone): match only ticks with a token, detail: { token: [{ exists: true }] }",
    );
  const group = resourcesOfType(template, 'AWS::Scheduler::ScheduleGroup')[0];
  const role = tickRole(template);
  const env = (fn: Resource | undefined, name: string, variable: string, res: Resource | undefined) => {
    if (!fn || !res) return;
    if (!referencedIds(fn.Properties?.Environment?.Variables?.[variable]).includes(res.logicalId))
      problems.push(`${name} has no ${variable} naming ${res.logicalId}`);
  };
  for (const [fn, name] of [
    [start, 'startSchedule'],
    [next, 'scheduleNext'],
  ] as const) {
    env(fn, name, 'TICK_SCHEDULE_GROUP', group);
    env(fn, name, 'EVENT_BUS_ARN', bus);
    env(fn, name, 'TICK_ROLE_ARN', role);
  }
  env(stop, 'stopSchedule', 'TICK_SCHEDULE_GROUP', group);
  env(next, 'scheduleNext', 'SCHEDULE_TABLE_NAME', table);
  const allowed = (action: string) => lambdaStatementsAllowing(template, action).length > 0;
  const missing = [
    'dynamodb:GetItem',
    'scheduler:CreateSchedule',
    'scheduler:DeleteSchedule',
    'scheduler:ListSchedules',
    'iam:PassRole',
  ].filter((a) => !allowed(a));
  if (missing.length) problems.push(`the functions' role does not allow ${missing.join(', ')}`);
  if (problems.length)
    return fail(id, title, {
      observed: problems.join('; '),
      hint: "In serverless.ts: scheduleNext on { source: ['dojo-serverless'], 'detail-type': ['Schedule Tick'], detail: { token: [{ exists: true }] } }; TICK_SCHEDULE_GROUP, EVENT_BUS_ARN and TICK_ROLE_ARN in the environment; dynamodb:GetItem on ScheduleTable, scheduler:CreateSchedule and scheduler:DeleteSchedule on the group's schedules, scheduler:ListSchedules on \"*\", iam:PassRole on TickSchedulerRole.",
      todo,
    });
  return pass(id, title);
}

function tableCheck(table: Resource | undefined): CheckResult {
  const id = 's5.table';
  const title = 'A table for the running schedules, keyed by id';
  if (!table)
    return fail(id, title, {
      observed: 'no schedule table in the template',
      expected: 'an AWS::DynamoDB::Table ScheduleTable with the key id (S)',
      hint: 'Declare ScheduleTable in resources/dynamodb.ts, like VirusTable.',
      todo: 1,
    });
  const keys = (table.Properties?.KeySchema ?? []) as Array<{ AttributeName: string; KeyType: string }>;
  const hash = keys.find((k) => k.KeyType === 'HASH');
  if (hash?.AttributeName !== 'id' || keys.length !== 1) {
    return fail(id, title, {
      observed: `${table.logicalId} has the key ${show(keys)}`,
      expected: 'one HASH key, id',
      hint: 'A schedule is found by its id: KeySchema: [{ AttributeName: "id", KeyType: "HASH" }].',
      todo: 1,
    });
  }
  return pass(id, `${title}: ${table.logicalId}`);
}

/** The rules that invoke a function, with their pattern. */
function rulesFor(template: Template, fn: Resource): Resource[] {
  return resourcesOfType(template, 'AWS::Events::Rule').filter(
    (r) =>
      r.Properties?.EventPattern &&
      (r.Properties?.Targets ?? []).some((t: { Arn: unknown }) =>
        referencedIds(t.Arn).includes(fn.logicalId),
      ),
  );
}

function matches(rule: Resource, event: object): boolean | string {
  try {
    return matchesPattern(parseEventPattern(rule.Properties?.EventPattern), event);
  } catch (err) {
    return `the pattern is not valid: ${(err as Error).message}`;
  }
}

function onBus(rule: Resource, bus: Resource | undefined): boolean {
  return bus !== undefined && referencedIds(rule.Properties?.EventBusName).includes(bus.logicalId);
}

function ruleCheck(
  template: Template,
  id: string,
  title: string,
  fn: Resource | undefined,
  name: string,
  bus: Resource | undefined,
  wanted: object,
  unwanted: object[],
  example: string,
): CheckResult {
  const todo = 10;
  if (!fn)
    return fail(id, title, {
      observed: `no ${name} function in serverless.ts`,
      hint: `Keep the ${name} function of the starter: functions.${name} with handler functions/${name}/handler.main.`,
      todo,
    });
  const rules = rulesFor(template, fn);
  if (rules.length === 0)
    return fail(id, title, {
      observed: `nothing runs ${name}`,
      expected: `events: [${example}] on ${name}`,
      hint: `Give ${name} an eventBridge event on the bus: ${example}.`,
      todo,
    });
  const notes: string[] = [];
  for (const rule of rules) {
    const m = matches(rule, wanted);
    if (typeof m === 'string') {
      notes.push(m);
      continue;
    }
    if (!m) {
      notes.push(
        `the rule's pattern ${show(rule.Properties?.EventPattern)} does not match ${show({ source: (wanted as { source: string }).source, 'detail-type': (wanted as { 'detail-type': string })['detail-type'] })}`,
      );
      continue;
    }
    if (!onBus(rule, bus)) {
      notes.push(
        rule.Properties?.EventBusName === undefined
          ? 'the rule listens on the default bus, but the scheduler events travel on DojoEventBus'
          : `the rule listens on ${show(rule.Properties?.EventBusName)}, not on DojoEventBus`,
      );
      continue;
    }
    const also = unwanted
      .filter((e) => matches(rule, e) === true)
      .map((e) => (e as { 'detail-type': string })['detail-type']);
    if (also.length) {
      notes.push(
        `the rule also matches ${also.map((t) => `"${t}"`).join(' and ')} events: give its pattern a detail-type`,
      );
      continue;
    }
    return pass(id, title);
  }
  return fail(id, title, {
    observed: notes.join('; '),
    expected: example,
    hint: notes.some((n) => n.includes('default bus'))
      ? "Set eventBus: { Ref: 'DojoEventBus' } on the eventBridge event."
      : `The pattern must say exactly: 'detail-type': ['${(wanted as { 'detail-type': string })['detail-type']}'].`,
    todo,
  });
}

function envCheck(
  start: Resource | undefined,
  stop: Resource | undefined,
  table: Resource | undefined,
  machine: Resource | undefined,
  bus: Resource | undefined,
): CheckResult {
  const id = 's5.env';
  const title = 'startSchedule and stopSchedule know the table, the state machine and the bus (environment)';
  const problems: string[] = [];
  const want = (
    fn: Resource | undefined,
    name: string,
    variable: string,
    res: Resource | undefined,
    example: string,
  ) => {
    if (!fn || !res) return;
    const value = fn.Properties?.Environment?.Variables?.[variable];
    if (!referencedIds(value).includes(res.logicalId))
      problems.push(
        `${name} has ${value === undefined ? `no ${variable}` : `${variable} = ${show(value)}`}, expected ${variable}: ${example}`,
      );
  };
  want(start, 'startSchedule', 'SCHEDULE_TABLE_NAME', table, `{ Ref: '${table?.logicalId}' }`);
  want(
    start,
    'startSchedule',
    'SCHEDULER_STATE_MACHINE_ARN',
    machine,
    `{ Ref: '${machine?.logicalId}' } (Ref on a state machine gives its ARN)`,
  );
  want(start, 'startSchedule', 'EVENT_BUS_NAME', bus, `{ Ref: '${bus?.logicalId}' }`);
  want(stop, 'stopSchedule', 'SCHEDULE_TABLE_NAME', table, `{ Ref: '${table?.logicalId}' }`);
  return problems.length
    ? fail(id, title, {
        observed: problems.join('; '),
        hint: "Add the missing variables to the functions' environment in serverless.ts.",
        todo: 10,
      })
    : pass(id, title);
}

/** Allow statements of the roles Lambda functions assume (not those of EventBridge or Step Functions) granting `action`. */
export function lambdaStatementsAllowing(template: Template, action: string): Statement[] {
  const wanted = action.toLowerCase();
  const grants = (pattern: string) =>
    new RegExp(
      `^${pattern
        .toLowerCase()
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    ).test(wanted);
  return resourcesOfType(template, 'AWS::IAM::Role')
    .filter((role) =>
      JSON.stringify(role.Properties?.AssumeRolePolicyDocument ?? {}).includes('lambda.amazonaws.com'),
    )
    .flatMap((role) =>
      (role.Properties?.Policies ?? []).flatMap(
        (p: { PolicyDocument?: { Statement?: Statement | Statement[] } }) => {
          const st = p.PolicyDocument?.Statement ?? [];
          return Array.isArray(st) ? st : [st];
        },
      ),
    )
    .filter((st: Statement) => st.Effect === 'Allow' && actionsOf(st).some(grants));
}

function permissionCheck(
  template: Template,
  table: Resource | undefined,
  machine: Resource | undefined,
): CheckResult {
  const id = 's5.permissions';
  const title = 'The functions may store and delete schedules, and start the scheduler (IAM)';
  const problems: string[] = [];
  const star: string[] = [];
  const onResource = (action: string, logicalId: string | undefined, name: string | undefined) => {
    const allowing = lambdaStatementsAllowing(template, action);
    const resources = allowing.flatMap(resourcesOf);
    if (resources.some((r) => r === '*')) star.push(action);
    else if (
      !resources.some(
        (r) =>
          (logicalId && referencedIds(r).includes(logicalId)) ||
          (name && JSON.stringify(r).includes(name)) ||
          /stateMachine:\*/.test(JSON.stringify(r)),
      )
    ) {
      problems.push(
        allowing.length
          ? `${action} is allowed on ${show(resources)}, not on ${logicalId}`
          : `no statement allows ${action}`,
      );
    }
  };
  if (table) {
    onResource('dynamodb:PutItem', table.logicalId, undefined);
    onResource('dynamodb:DeleteItem', table.logicalId, undefined);
  }
  if (machine)
    onResource(
      'states:StartExecution',
      machine.logicalId,
      typeof machine.Properties?.StateMachineName === 'string'
        ? machine.Properties.StateMachineName
        : undefined,
    );
  if (problems.length) {
    return fail(id, title, {
      observed: problems.join('; '),
      hint: "Add statements to provider.iam.role.statements: dynamodb:PutItem and dynamodb:DeleteItem on { 'Fn::GetAtt': ['ScheduleTable', 'Arn'] }, states:StartExecution on the scheduler's ARN.",
      todo: 10,
    });
  }
  if (star.length)
    return warn(id, title, {
      observed: `${star.join(', ')} allowed on "*"`,
      hint: 'Allow each action on its own resource only.',
      todo: 10,
    });
  return pass(id, title);
}

/** State names reachable from `from`, following Next, Default and every Choice. */
function reachable(def: Definition, from: string): Set<string> {
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length) {
    const name = todo.pop()!;
    const state = def.States[name];
    if (!state) continue;
    for (const next of [
      state.Next,
      state.Default,
      ...((state.Choices ?? []) as Array<{ Next?: string }>).map((c) => c.Next),
    ]) {
      if (typeof next === 'string' && !seen.has(next)) {
        seen.add(next);
        todo.push(next);
      }
    }
  }
  return seen;
}

/** Logical ids a Task's Resource placeholder (`${...}`) stands for, read from the Fn::Sub map. */
function taskTargets(machine: Resource, resource: unknown): string[] {
  const m = typeof resource === 'string' ? /^\$\{([^}]+)\}$/.exec(resource) : null;
  if (!m) return [];
  const sub = machine.Properties?.DefinitionString?.['Fn::Sub'];
  const map = Array.isArray(sub) ? (sub[1] as Record<string, unknown>) : undefined;
  return map?.[m[1]] === undefined ? [m[1]] : referencedIds(map[m[1]]);
}

function statesCheck(
  template: Template,
  machine: Resource | undefined,
  def: Definition | undefined,
  table: Resource | undefined,
  bus: Resource | undefined,
): CheckResult {
  const id = 's5.states';
  const title =
    'The scheduler loops: NextTime → Wait → GetSchedule (getItem) → Choice → SendTick (putEvents) → NextTime';
  if (!machine)
    return fail(id, title, {
      observed: 'no scheduler state machine in the template',
      hint: 'Keep stepFunctions.stateMachines.scheduler in serverless.ts (state-machines/scheduler.ts).',
      todo: 7,
    });
  if (!def) return fail(id, title, { observed: 'the definition could not be read', todo: 7 });
  const states = Object.entries(def.States ?? {});
  const nextTime = lambdaFor(template, 'nextTime');
  const task = states.find(
    ([, s]) => s.Type === 'Task' && nextTime && taskTargets(machine, s.Resource).includes(nextTime.logicalId),
  );
  if (!task)
    return fail(id, title, {
      observed: 'no Task runs the nextTime Lambda',
      hint: "Keep the NextTime state: Resource { 'Fn::GetAtt': ['nextTime', 'Arn'] }, ResultPath '$.next'.",
      todo: 7,
    });
  const wait = states.find(([, s]) => s.Type === 'Wait');
  if (!wait)
    return fail(id, title, {
      observed: `no Wait state: the states are ${show(states.map(([n, s]) => `${n} (${s.Type})`))}`,
      expected: 'a Wait state WaitUntilNext with TimestampPath: "$.next.at"',
      hint: 'Add IsOver and WaitUntilNext after NextTime (TODO 7).',
      todo: 7,
    });
  const getItem = states.find(
    ([, s]) => s.Type === 'Task' && s.Resource === 'arn:aws:states:::dynamodb:getItem',
  );
  if (!getItem) {
    const viaLambda = states.some(
      ([, s]) => s.Type === 'Task' && /aws-sdk:dynamodb/.test(String(s.Resource)),
    );
    return fail(id, title, {
      observed: viaLambda
        ? 'the schedule is read with an aws-sdk integration'
        : 'no state reads the schedule from the table',
      expected: 'a Task with Resource "arn:aws:states:::dynamodb:getItem" (GetSchedule)',
      hint: 'After the Wait, read the schedule straight from DynamoDB: GetSchedule, then IsStillActive (TODO 8).',
      todo: 8,
    });
  }
  if (table && !JSON.stringify(machine.Properties?.DefinitionString ?? '').includes(table.logicalId)) {
    return fail(id, title, {
      observed: `${getItem[0]} does not read ${table.logicalId}`,
      hint: `Parameters.TableName: { Ref: '${table.logicalId}' }.`,
      todo: 8,
    });
  }
  const choice = states.find(([name, s]) => s.Type === 'Choice' && reachable(def, getItem[0]).has(name));
  if (!choice)
    return fail(id, title, {
      observed: `nothing decides after ${getItem[0]} whether the schedule is still on`,
      expected: "a Choice IsStillActive: no Item → Stopped; the Start's token → SendTick; else Stopped",
      todo: 8,
    });
  const put = states.find(
    ([, s]) => s.Type === 'Task' && /^arn:aws:states:::events:putEvents$/.test(String(s.Resource)),
  );
  if (!put)
    return fail(id, title, {
      observed: 'no state sends the Schedule Tick',
      expected: 'a Task SendTick with Resource "arn:aws:states:::events:putEvents"',
      hint: 'Send the tick straight from the state machine, no Lambda in between (TODO 9).',
      todo: 9,
    });
  if (bus && !JSON.stringify(machine.Properties?.DefinitionString ?? '').includes(bus.logicalId)) {
    return fail(id, title, {
      observed: `${put[0]} does not put its event on ${bus.logicalId}`,
      hint: `EventBusName: { Ref: '${bus.logicalId}' } in the entry.`,
      todo: 9,
    });
  }
  if (!reachable(def, put[0]).has(wait[0])) {
    return fail(id, title, {
      observed: `after ${put[0]} the execution never waits again`,
      expected: `${put[0]} → ${task[0]}, so that the loop goes on`,
      hint: `Give ${put[0]} Next: '${task[0]}'.`,
      todo: 9,
    });
  }
  if (!reachable(def, wait[0]).has(getItem[0]) || !reachable(def, getItem[0]).has(put[0])) {
    return fail(id, title, {
      observed: `${put[0]} can be reached without going ${wait[0]} → ${getItem[0]} first`,
      hint: 'Every tick goes out after the wait and after the check.',
      todo: 8,
    });
  }
  return pass(id, title);
}

function waitCheck(def: Definition | undefined): CheckResult {
  const id = 's5.wait';
  const title = 'The scheduler waits until the time of the next tick (Wait with TimestampPath)';
  const wait = def && Object.entries(def.States ?? {}).find(([, s]) => s.Type === 'Wait');
  if (!wait) return fail(id, title, { observed: 'no Wait state', todo: 7 });
  const [name, s] = wait;
  if (s.TimestampPath !== undefined) return pass(id, `${title}: ${name} waits until ${s.TimestampPath}`);
  const how =
    s.Seconds !== undefined
      ? `a fixed Seconds: ${s.Seconds}`
      : s.SecondsPath !== undefined
        ? `SecondsPath ${show(s.SecondsPath)}`
        : s.Timestamp !== undefined
          ? `a fixed Timestamp ${show(s.Timestamp)}`
          : 'nothing it can read';
  return fail(id, title, {
    observed: `${name} waits ${how}`,
    expected: 'TimestampPath: "$.next.at", the time NextTime computed',
    hint: 'A number of seconds counts from whenever the Wait starts, so the ticks drift later and later. Wait until the moment itself: TimestampPath.',
    todo: 7,
  });
}

function waveRuleCheck(template: Template, bus: Resource | undefined): CheckResult {
  const id = 's5.wave-rule';
  const title = 'spawnWave runs on the ticks of outbreaks only (prefix "outbreak:")';
  const todo = 11;
  const fn = lambdaFor(template, 'spawnWave');
  if (!fn)
    return fail(id, title, {
      observed: 'no spawnWave function in serverless.ts',
      hint: 'Keep the spawnWave function of the starter.',
      todo,
    });
  const rules = rulesFor(template, fn);
  const example =
    "pattern: { source: ['dojo-serverless'], 'detail-type': ['Schedule Tick'], detail: { id: [{ prefix: 'outbreak:' }] } }";
  if (rules.length === 0)
    return fail(id, title, {
      observed: 'nothing runs spawnWave',
      expected: `an eventBridge event on the bus with ${example}`,
      todo,
    });
  const notes: string[] = [];
  for (const rule of rules) {
    const ok = matches(rule, SAMPLES.outbreakTick);
    if (typeof ok === 'string') {
      notes.push(ok);
      continue;
    }
    if (!ok) {
      notes.push(
        `the pattern ${show(rule.Properties?.EventPattern)} does not match a tick of "outbreak:every-5"`,
      );
      continue;
    }
    if (!onBus(rule, bus)) {
      notes.push('the rule listens on the default bus, but the ticks travel on DojoEventBus');
      continue;
    }
    if (matches(rule, SAMPLES.testTick) === true) {
      notes.push('the rule also matches the ticks of "test:duration-5m": every schedule would bring a wave');
      continue;
    }
    if (matches(rule, SAMPLES.lookalikeTick) === true) {
      notes.push('the rule matches "test:outbreak:late", where "outbreak:" is not at the start');
      continue;
    }
    if (matches(rule, SAMPLES.start) === true) {
      notes.push('the rule also matches Schedule Start events');
      continue;
    }
    return pass(id, title);
  }
  return fail(id, title, {
    observed: notes.join('; '),
    expected: example,
    hint: "Prefix matching: detail: { id: [{ prefix: 'outbreak:' }] } matches the ids that start with outbreak:.",
    todo,
  });
}
