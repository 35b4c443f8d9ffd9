/**
 * Drives the session-5 scenario (scenario.ts) on a deployed service and records what
 * happened, through AWS API calls and the bus watch (bus-watch.ts).
 */
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DisableRuleCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetScheduleCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  StopExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import type { BehaviourContext } from '../../core/session-check.ts';
import type { DeployedResource, Target } from '../../core/target.ts';
import { failedInvocations, watchBus, type BusEventSeen } from './bus-watch.ts';
import {
  CLEANUP_AFTER,
  DESIGNS,
  RUNAWAY_BURST,
  STAGGER_MS,
  INVALID,
  OUTBREAK,
  REJECTED,
  RUNAWAY_TICKS,
  SOURCE,
  START,
  STOP,
  TICK,
  scenarioFor,
  type Scenario,
} from './scenario.ts';
import { executionHistory } from '../../core/observe.ts';

export interface ExecutionSeen {
  name: string;
  status: string;
  /** The schedule id of its input, if any. */
  id?: string;
  start: number;
  stop?: number;
  error?: string;
  cause?: string;
  /** The states it went through, in order. */
  states: string[];
}

export interface Observation {
  /** The schedules and moments of this check's configuration (local or AWS). */
  scenario: Scenario;
  /** S: when the first Start was put (epoch ms). */
  start: number;
  /** When the first Start of each schedule id was put ('' for the Start without an id). */
  startedAt: Map<string, number>;
  restartAt: number;
  stopAt: number;
  end: number;
  /** Ticks by schedule id: their times. */
  ticks: Map<string, number[]>;
  /** Ticks without an id in their detail. */
  ticksWithoutId: number;
  /** Ticks from a source other than dojo-serverless. */
  foreignTicks: BusEventSeen[];
  rejections: Array<{ time: number; id?: string; reason: string }>;
  executions: ExecutionSeen[];
  /** Whether each stopped schedule is still in the schedule table at the end; undefined without a table. */
  stillStored: Map<string, boolean> | undefined;
  /** Failed startSchedule / stopSchedule invocations (local trace; undefined on AWS). */
  startFailures?: string[];
  stopFailures?: string[];
  viruses: Array<{ id: string; createdAt: number }>;
  /** Set when the ticks ran away (a loop that does not wait) and the checker stopped the executions. */
  runaway?: { count: number; at: number };
  /** A Start or Stop the checker could not put (the bus refused it). */
  putErrors: string[];
  /** Part 2's tick schedules (their Input names a schedule of the scenario): pending once the Starts are in, left at the end. */
  tickSchedules: { afterStarts: TickScheduleSeen[]; atEnd: TickScheduleSeen[]; readError?: string };
  /** When the Starts were all in and the pending tick schedules were read. */
  startsInAt: number;
  /** Deliveries EventBridge Scheduler could not make (local trace; undefined on AWS). */
  schedulerErrors?: Array<{ time: number; schedule: string; error: string }>;
  /** Failed scheduleNext invocations (local trace; undefined on AWS or without the function). */
  nextFailures?: string[];
  /** nextTime asked directly for the tick after one long past: does it count from it, or from now? */
  nextTimeProbes: NextTimeProbe[];
  /** When they were asked (epoch ms, virtual on the local cloud). */
  probedAt: number;
}

/** A one-time tick schedule of part 2, as GetSchedule describes it. */
export interface TickScheduleSeen {
  name: string;
  group: string;
  /** The schedule id its Input names. */
  id: string;
  expression: string;
  timezone?: string;
  actionAfterCompletion?: string;
  /** The number of the tick it puts (the Input's next.n; 1 without one). */
  n: number;
}

/** One direct question to the nextTime Lambda, with the answer counting from the tick before gives. */
export interface NextTimeProbe {
  about: string;
  state: Record<string, unknown>;
  expected: { at: string | null; n: number };
  answer?: unknown;
  error?: string;
}

/**
 * On the virtual clock a loop's ticks go out right on time, so a NextTime that counts from
 * now gives the same times as one that counts from the tick before. Asked about a tick two
 * hours ago, the two differ by two hours: the probe the scenario cannot be.
 */
export function nextTimeProbes(now: number): Array<Omit<NextTimeProbe, 'answer' | 'error'>> {
  const FIVE = 5 * 60_000;
  const before = Math.floor((now - 2 * 3_600_000) / FIVE) * FIVE;
  const iso = (t: number) => new Date(t).toISOString();
  const schedule = { token: 'probe-token', startedAt: iso(before - 3 * FIVE) };
  return [
    {
      about: 'the tick after one at ' + iso(before),
      state: { id: 'probe:cron', cron: '*/5 * * * *', ...schedule, next: { at: iso(before), n: 3 } },
      expected: { at: iso(before + FIVE), n: 4 },
    },
    {
      about: `the first tick of a 5m duration started at ${schedule.startedAt}`,
      state: { id: 'probe:duration', duration: '5m', ...schedule },
      expected: { at: iso(before - 2 * FIVE), n: 1 },
    },
  ];
}

async function askNextTime(target: Target, name: string | undefined): Promise<NextTimeProbe[]> {
  const probes = nextTimeProbes(target.now());
  if (!name) return [];
  const lambda = target.clients().lambda;
  const out: NextTimeProbe[] = [];
  for (const probe of probes) {
    try {
      const res = await lambda.send(
        new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(probe.state)) }),
      );
      const text = Buffer.from(res.Payload ?? []).toString();
      const payload = text ? (JSON.parse(text) as { errorType?: string; errorMessage?: string }) : undefined;
      out.push(
        res.FunctionError
          ? { ...probe, error: `${payload?.errorType}: ${payload?.errorMessage}` }
          : { ...probe, answer: payload },
      );
    } catch (err) {
      out.push({ ...probe, error: (err as Error).message });
    }
  }
  return out;
}

export async function observe(ctx: BehaviourContext): Promise<Observation> {
  const { target, deployment } = ctx;
  const scenario = scenarioFor(ctx.periods, ctx.minutes);
  const c = target.clients();
  const ofType = (type: string) => [...deployment.resources.values()].filter((r) => r.type === type);
  const bus = deployment.resources.get('DojoEventBus') ?? ofType('AWS::Events::EventBus')[0];
  const machine =
    deployment.resources.get('SchedulerStateMachine') ??
    ofType('AWS::StepFunctions::StateMachine').find((m) => /scheduler/i.test(m.physicalId));
  const scheduleTable =
    deployment.resources.get('ScheduleTable') ??
    ofType('AWS::DynamoDB::Table').find((t) => /schedule/i.test(t.physicalId));
  const virusTable =
    deployment.resources.get('VirusTable') ??
    ofType('AWS::DynamoDB::Table').find((t) => /virus/i.test(t.physicalId));
  const functionName = (short: string) =>
    ofType('AWS::Lambda::Function').find((f) => f.physicalId.endsWith(`-${short}`))?.physicalId;
  const busName = bus?.physicalId ?? 'default';

  // Session 4's minute-by-minute viruses would hide the outbreak's waves: switch the schedules off.
  for (const rule of ofType('AWS::Events::Rule')) {
    if (ctx.template.Resources[rule.logicalId]?.Properties?.ScheduleExpression)
      await c.events.send(new DisableRuleCommand({ Name: rule.physicalId }));
  }

  const watch = watchBus(target, deployment, busName);
  const putErrors: string[] = [];
  const startedAt = new Map<string, number>();
  let runaway: Observation['runaway'];
  let tickCount = 0;
  const recent = new Map<string, number[]>();
  let stopping: Promise<void> | undefined;
  watch.onEvent((event) => {
    if (event.detailType !== TICK) return;
    tickCount++;
    const id = String(event.detail.id);
    const times = [...(recent.get(id) ?? []).filter((t) => t > event.time - 1000), event.time];
    recent.set(id, times);
    // A loop that does not wait ticks without end, and virtual time hardly moves: stop every
    // running schedule when one bursts, or when far too many ticks went out.
    if ((times.length >= RUNAWAY_BURST || tickCount % RUNAWAY_TICKS === 0) && machine) {
      recent.clear();
      runaway = { count: tickCount, at: event.time };
      stopping = (stopping ?? Promise.resolve())
        .then(() => stopRunning(target, machine.physicalId))
        .catch(() => undefined);
    }
  });

  const put = async (detailType: string, detail: Record<string, unknown>) => {
    if (detailType === START) {
      const key = typeof detail.id === 'string' ? detail.id : '';
      if (!startedAt.has(key)) startedAt.set(key, target.now());
    }
    try {
      const out = await c.events.send(
        new PutEventsCommand({
          Entries: [
            { EventBusName: busName, Source: SOURCE, DetailType: detailType, Detail: JSON.stringify(detail) },
          ],
        }),
      );
      if (out.FailedEntryCount)
        putErrors.push(
          `${detailType} ${JSON.stringify(detail)}: ${out.Entries?.[0]?.ErrorMessage ?? 'refused'}`,
        );
    } catch (err) {
      putErrors.push(`${detailType} ${JSON.stringify(detail)}: ${(err as Error).message}`);
    }
  };

  // S: a few seconds past the next whole minute. The Starts go out STAGGER_MS apart, all
  // within that minute: a dozen cold starts at once would be slow on a laptop.
  const start = Math.ceil((target.now() + 1) / 60_000) * 60_000 + 5_000;
  await target.run(start - target.now());
  // Part 1's, then part 2's (their tick schedules are read back once all are in), then the bad ones.
  const firstStarts: Array<Record<string, unknown>> = [
    ...DESIGNS.flatMap((design) => {
      const d = scenario.designs[design];
      return [
        { ...d.every, ...d.via },
        { ...d.limit, ...d.via },
        ...d.durations.map((x) => ({ id: x.id, duration: x.duration, ...d.via })),
        { id: d.restart.id, cron: d.restart.first, ...d.via },
      ];
    }),
    { id: OUTBREAK.id, duration: OUTBREAK.duration },
    ...INVALID.map((b) => b.detail),
  ];
  for (const detail of firstStarts) {
    await put(START, detail);
    await target.run(STAGGER_MS);
  }
  const startsInAt = target.now();
  const schedulerIds = new Set(schedulerScheduleIds(scenario));
  const afterStarts = await readTickSchedules(target, schedulerIds);

  // A bad Start that was accepted anyway would tick on: stop those (they should not exist).
  await target.run(start + CLEANUP_AFTER - target.now());
  for (const bad of INVALID) if (typeof bad.detail.id === 'string') await put(STOP, { id: bad.detail.id });

  await target.run(start + scenario.restartAfter - target.now());
  const restartAt = target.now();
  for (const design of DESIGNS) {
    const d = scenario.designs[design];
    await put(START, { id: d.restart.id, cron: d.restart.second, ...d.via });
  }

  await target.run(start + scenario.stopAfter - target.now());
  const stopAt = target.now();
  for (const design of DESIGNS) {
    const d = scenario.designs[design];
    await put(STOP, { id: d.every.id });
    await put(STOP, { id: d.restart.id });
  }

  await target.run(start + scenario.endAfter - target.now());
  const end = target.now();
  await watch.close();
  await stopping;

  const ticks = new Map<string, number[]>();
  let ticksWithoutId = 0;
  const foreignTicks: BusEventSeen[] = [];
  const rejections: Observation['rejections'] = [];
  for (const e of watch.seen()) {
    if (e.detailType === REJECTED) {
      rejections.push({
        time: e.time,
        id: typeof e.detail.id === 'string' ? e.detail.id : undefined,
        reason: String(e.detail.reason ?? ''),
      });
      continue;
    }
    if (e.source !== SOURCE) foreignTicks.push(e);
    const id = e.detail.id;
    if (typeof id !== 'string') {
      ticksWithoutId++;
      continue;
    }
    ticks.set(id, [...(ticks.get(id) ?? []), e.time]);
  }

  const executions = machine ? await readExecutions(target, machine.physicalId) : [];

  let stillStored: Map<string, boolean> | undefined;
  if (scheduleTable) {
    stillStored = new Map();
    const stopped = DESIGNS.flatMap((d) => [scenario.designs[d].every.id, scenario.designs[d].restart.id]);
    for (const id of stopped) {
      try {
        const out = await c.dynamodb.send(
          new GetItemCommand({
            TableName: scheduleTable.physicalId,
            Key: { id: { S: id } },
            ConsistentRead: true,
          }),
        );
        stillStored.set(id, out.Item !== undefined);
      } catch {
        stillStored = undefined;
        break;
      }
    }
  }

  const atEnd = await readTickSchedules(target, schedulerIds);
  const viruses = virusTable ? await scanViruses(target, virusTable) : [];
  const probedAt = target.now();
  const nextTimeAnswers = await askNextTime(target, functionName('nextTime'));
  const startFn = functionName('startSchedule');
  const stopFn = functionName('stopSchedule');
  const nextFn = functionName('scheduleNext');
  return {
    scenario,
    start,
    startedAt,
    restartAt,
    stopAt,
    end,
    ticks,
    ticksWithoutId,
    foreignTicks,
    rejections,
    executions,
    stillStored,
    startFailures: startFn ? failedInvocations(target, startFn, start, end) : undefined,
    stopFailures: stopFn ? failedInvocations(target, stopFn, start, end) : undefined,
    viruses,
    runaway,
    putErrors,
    tickSchedules: {
      afterStarts: afterStarts.seen,
      atEnd: atEnd.seen,
      readError: afterStarts.error ?? atEnd.error,
    },
    startsInAt,
    schedulerErrors: schedulerErrors(target, start, end),
    nextFailures: nextFn ? failedInvocations(target, nextFn, start, end) : undefined,
    nextTimeProbes: nextTimeAnswers,
    probedAt,
  };
}

/** Every schedule id of part 2 in the scenario. */
export function schedulerScheduleIds(scenario: Scenario): string[] {
  const d = scenario.designs.scheduler;
  return [d.every.id, d.limit.id, ...d.durations.map((x) => x.id), d.restart.id];
}

/**
 * The tick schedules of part 2 there are now, in any group (a learner may have left out
 * GroupName): those whose Input names one of the scenario's schedules.
 */
async function readTickSchedules(
  target: Target,
  ids: Set<string>,
): Promise<{ seen: TickScheduleSeen[]; error?: string }> {
  const scheduler = target.clients().scheduler;
  const seen: TickScheduleSeen[] = [];
  try {
    let NextToken: string | undefined;
    do {
      const page = await scheduler.send(new ListSchedulesCommand({ NextToken }));
      for (const summary of page.Schedules ?? []) {
        let s;
        try {
          s = await scheduler.send(
            new GetScheduleCommand({ Name: summary.Name, GroupName: summary.GroupName }),
          );
        } catch (err) {
          // It fired and deleted itself since the list: it is not there any more.
          if ((err as Error).name === 'ResourceNotFoundException') continue;
          throw err;
        }
        let input: { id?: unknown; next?: { at?: unknown; n?: unknown } } = {};
        try {
          input = JSON.parse(s.Target?.Input ?? '{}') as typeof input;
        } catch {
          // An Input that is not JSON names no schedule of ours.
        }
        if (typeof input.id !== 'string' || !ids.has(input.id)) continue;
        seen.push({
          name: s.Name ?? '',
          group: s.GroupName ?? 'default',
          id: input.id,
          expression: s.ScheduleExpression ?? '',
          timezone: s.ScheduleExpressionTimezone,
          actionAfterCompletion: s.ActionAfterCompletion,
          n: typeof input.next?.n === 'number' ? input.next.n : 1,
        });
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return { seen };
  } catch (err) {
    return { seen, error: (err as Error).message };
  }
}

/** What EventBridge Scheduler could not deliver, from the local trace (undefined on AWS). */
function schedulerErrors(target: Target, from: number, to: number): Observation['schedulerErrors'] {
  if (!target.trace) return undefined;
  return target.trace
    .find('scheduler.error', (e) => e.time >= from && e.time <= to)
    .map((e) => ({ time: e.time, schedule: e.schedule, error: e.error }));
}

async function stopRunning(target: Target, stateMachineArn: string): Promise<void> {
  const sfn = target.clients().sfn;
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1000, nextToken }),
    );
    for (const e of page.executions ?? [])
      await sfn
        .send(
          new StopExecutionCommand({
            executionArn: e.executionArn,
            error: 'Dojo.Runaway',
            cause: 'The checker stopped a schedule that ticked without waiting.',
          }),
        )
        .catch(() => undefined);
    nextToken = page.nextToken;
  } while (nextToken);
}

async function readExecutions(target: Target, stateMachineArn: string): Promise<ExecutionSeen[]> {
  const sfn = target.clients().sfn;
  const out: ExecutionSeen[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1000, nextToken }));
    for (const e of page.executions ?? []) {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }));
      let id: string | undefined;
      try {
        const input = JSON.parse(d.input ?? '{}') as { id?: unknown };
        if (typeof input.id === 'string') id = input.id;
      } catch {
        // An input that is not JSON has no id.
      }
      out.push({
        name: e.name ?? '',
        status: e.status ?? '',
        id,
        start: e.startDate?.getTime() ?? 0,
        stop: e.stopDate?.getTime(),
        error: d.error,
        cause: d.cause,
        states: statesOf(await executionHistory(target, e.executionArn!)),
      });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

function statesOf(events: HistoryEvent[]): string[] {
  return events
    .filter((h) => h.type?.endsWith('StateEntered') && h.stateEnteredEventDetails?.name)
    .map((h) => h.stateEnteredEventDetails!.name!);
}

async function scanViruses(target: Target, table: DeployedResource): Promise<Observation['viruses']> {
  const out: Observation['viruses'] = [];
  let key: Record<string, any> | undefined;
  do {
    const page = await target
      .clients()
      .dynamodb.send(new ScanCommand({ TableName: table.physicalId, ExclusiveStartKey: key }));
    for (const item of page.Items ?? [])
      out.push({ id: String(item.id?.S ?? ''), createdAt: Date.parse(String(item.createdAt?.S ?? '')) });
    key = page.LastEvaluatedKey;
  } while (key);
  return out;
}
