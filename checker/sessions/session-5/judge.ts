/** The behaviour checks of session 5: each turns the observation into a ✔ or a ✖. */
import type { CheckResult } from '../../core/result.ts';
import { fail, pass, skip } from '../../core/result.ts';
import { show } from '../../core/template.ts';
import type { ExecutionSeen, Observation } from './observe.ts';
import {
  clock,
  CRON_TOLERANCE_MS,
  cronTimes,
  DURATION_LATE_MS,
  INVALID,
  OUTBREAK,
  REJECTION_WITHIN_MS,
} from './scenario.ts';
import { PART_2, schedulerCleanup, schedulerTime, type Way } from './judge-scheduler.ts';
import { secondsOrMinutes, startOf, ticksOf, times } from './ticks.ts';

export function judge(o: Observation): CheckResult[] {
  const part1 = PART_1(o);
  const part2 = PART_2(o);
  return onceDenied([
    cron(o, part1),
    fromPrevious(o),
    limit(o, part1),
    duration(o, part1),
    stop(o, part1),
    restart(o, part1),
    invalid(o),
    outbreak(o),
    executions(o),
    cron(o, part2),
    limit(o, part2),
    duration(o, part2),
    stop(o, part2),
    restart(o, part2),
    schedulerTime(o),
    schedulerCleanup(o),
  ]);
}

/**
 * Part 1's way of ticking: one state machine execution per schedule. Its verdicts name the
 * states and TODOs of the loop; part 2's (judge-scheduler.ts) the same verdicts, its own fixes.
 */
const PART_1 = (o: Observation): Way => ({
  schedules: o.scenario.designs.stepfunctions,
  lateMs: CRON_TOLERANCE_MS,
  precision: 'each within a second of its minute',
  ids: {
    cron: 's5.cron',
    limit: 's5.limit',
    duration: 's5.duration',
    stop: 's5.stop',
    restart: 's5.restart',
  },
  title: (text) => text,
  silence: (sid, id, title) => silence(o, sid, id, title),
  // A failed NextTime fails the execution: silence() and s5.executions tell it.
  broken: () => undefined,
  fix: {
    waitFirst: { hint: 'Wait first, then tick: NextTime → WaitUntilNext → … → SendTick.', todo: 7 },
    shifted: {
      hint: 'The ticks are shifted: wait until the time NextTime computed (TimestampPath: "$.next.at"), computed in UTC from the tick before.',
      todo: 7,
    },
    limitFewer: {
      hint: 'Tick n may go out while n ≤ limit: IsOver stops when $.next.n is greater than $.limit (NumericGreaterThanPath), not when it equals it.',
      todo: 7,
    },
    limitMore: {
      hint: 'IsOver must stop when $.next.n is greater than $.limit: the tick numbered limit + 1 never goes out. Is n counted from 1?',
      todo: 7,
    },
    limitIgnored: {
      hint: 'IsOver ends the loop when the limit is there ($.limit IsPresent) and $.next.n is greater than it.',
      todo: 7,
    },
    limitTimes: {
      hint: 'Each tick goes out at a time of the cron: WaitUntilNext waits until $.next.at, which NextTime computes from the tick before.',
      todo: 7,
    },
    durationOnce: {
      hint: 'A duration ticks once: after its first tick, NextTime answers { at: null }, and IsOver goes to Done.',
      todo: 6,
    },
    afterStopGone: {
      hint: 'Before each tick, the loop reads the schedule (GetSchedule, dynamodb:getItem) and ends when it is gone (IsStillActive → Stopped).',
      todo: 8,
    },
    restartOld: {
      hint: "Each Start writes a new token. The first loop must see that the table's token is not its own and end: IsStillActive compares $.current.Item.token.S with $.token (StringEqualsPath).",
      todo: 8,
    },
    restartOther: {
      hint: 'The second Start replaces the item (PutCommand, a new token) and starts a new loop.',
      todo: 4,
    },
  },
});

/**
 * A permission startSchedule lacks silences every schedule: say it once, under TODO 10, and
 * skip the checks it silenced rather than blame each one again (or another TODO).
 */
function onceDenied(results: CheckResult[]): CheckResult[] {
  const denial = (r: CheckResult) =>
    r.status === 'fail' && /AccessDenied/.test(r.observed ?? '') ? r : undefined;
  const first = results.find(denial);
  if (!first) return results;
  return results.map((r) =>
    r === first || !denial(r)
      ? r
      : skip(
          r.id,
          r.title,
          `startSchedule is not allowed to do its work: see the first failure above (TODO ${first.todo}).`,
        ),
  );
}

/** The TODO of the starter where each state of the scheduler is written. */
const TODO_OF_STATE: Record<string, number> = {
  NextTime: 6,
  IsOver: 7,
  WaitUntilNext: 7,
  GetSchedule: 8,
  IsStillActive: 8,
  SendTick: 9,
};

const executionsOf = (o: Observation, id: string) => o.executions.filter((e) => e.id === id);

/** Why a schedule never ticked, from what its executions and startSchedule did. */
function silence(o: Observation, scheduleId: string, id: string, title: string): CheckResult {
  const base = { todo: 4 };
  if (o.putErrors.length)
    return fail(id, title, {
      ...base,
      observed: `the bus refused the checker's events: ${o.putErrors[0]}`,
      hint: 'Keep DojoEventBus from session 4.',
    });
  if (o.startFailures?.length) {
    const denied = o.startFailures.find((f) => /AccessDenied/.test(f));
    return fail(id, title, {
      observed: `no tick for ${scheduleId}: startSchedule failed: ${denied ?? o.startFailures[0]}`,
      hint: denied
        ? 'Allow the action it names, on its resource, in provider.iam.role.statements.'
        : 'Run npm run dev and send a Schedule Start: the trace shows the error and the logs.',
      todo: denied ? 10 : 4,
    });
  }
  const mine = executionsOf(o, scheduleId);
  if (mine.length === 0) {
    return fail(id, title, {
      observed: `no tick for ${scheduleId}, and no execution of the scheduler started for it`,
      hint: 'startSchedule must store the schedule and start the scheduler: StartExecutionCommand with the schedule as input.',
      todo: 4,
    });
  }
  const failed = mine.find((e) => e.status === 'FAILED' || e.status === 'TIMED_OUT');
  if (failed) {
    const state = failed.states.at(-1) ?? '?';
    const todo = TODO_OF_STATE[state] ?? 7;
    return fail(id, title, {
      observed: `no tick for ${scheduleId}: its execution failed in ${state}: ${failed.error ?? failed.status}${failed.cause ? ` — ${failed.cause.slice(0, 240)}` : ''}`,
      hint: 'Open the execution with npm run dev: its history shows the input of the state that failed.',
      todo,
    });
  }
  const e = mine[0];
  if (e.status === 'ABORTED' && o.runaway) {
    return fail(id, title, {
      observed: `no tick for ${scheduleId}: the checker stopped its execution, with all the others, when a schedule ticked without waiting`,
      hint: 'Fix s5.cron first.',
      todo: 6,
    });
  }
  return fail(id, title, {
    observed: `no tick for ${scheduleId}: its execution went ${e.states.join(' → ') || 'nowhere'}${e.status === 'RUNNING' ? ' and is still running' : ` and ${e.status.toLowerCase()}`}`,
    expected: 'NextTime → IsOver → WaitUntilNext → GetSchedule → IsStillActive → SendTick → NextTime …',
    todo: 7,
  });
}

/** Pairs each expected time with a tick within `tolerance`; what is left over on both sides. */
function pair(
  expected: number[],
  got: number[],
  early: number,
  late: number,
): { missing: number[]; extra: number[] } {
  const left = [...got];
  const missing: number[] = [];
  for (const t of expected) {
    const i = left.findIndex((g) => g >= t - early && g <= t + late);
    if (i < 0) missing.push(t);
    else left.splice(i, 1);
  }
  return { missing, extra: left };
}

/** Ticks of one schedule within one second that mean a loop that does not wait (two can be a doubled loop). */
const BURST = 5;

/** The most ticks of one schedule within one second. */
function burst(ticks: number[]): { count: number; at: number } {
  let best = { count: 0, at: 0 };
  const sorted = [...ticks].sort((a, b) => a - b);
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j] - sorted[i] > 1000) i++;
    if (j - i + 1 > best.count) best = { count: j - i + 1, at: sorted[i] };
  }
  return best;
}

function runawayResult(
  id: string,
  title: string,
  scheduleId: string,
  b: { count: number; at: number },
): CheckResult {
  return fail(id, title, {
    observed: `${scheduleId} ticked ${b.count} times at ${clock(b.at)}: the loop does not wait${b.count >= 50 ? ' (the checker stopped it)' : ''}`,
    expected: 'one tick at each time of the cron',
    hint: 'NextTime counts the next time from the tick before ($.next.at), not from the Start every time: otherwise the time it gives is already past, and the Wait does not wait.',
    todo: 6,
  });
}

function cron(o: Observation, way: Way): CheckResult {
  const id = way.ids.cron;
  const EVERY_5 = way.schedules.every;
  const span = Math.round(o.scenario.stopAfter / 60_000);
  const expected = cronTimes(EVERY_5.cron, startOf(o, EVERY_5.id), o.stopAt);
  const title = way.title(
    `A cron schedule ticks at its times: "${EVERY_5.cron}" gives ${expected.length} ticks in ${span === 60 ? 'an hour' : `${span} minutes`}, ${way.precision}`,
  );
  const got = ticksOf(o, EVERY_5.id).filter((t) => t <= o.stopAt + CRON_TOLERANCE_MS);
  if (got.length === 0) return way.silence(EVERY_5.id, id, title);
  const b = burst(got);
  if (b.count >= BURST) return runawayResult(id, title, EVERY_5.id, b);
  const { missing, extra } = pair(expected, got, CRON_TOLERANCE_MS, way.lateMs);
  if (!missing.length && !extra.length) return pass(id, title);
  const broken = way.broken();
  if (broken && missing.length) return fail(id, title, broken);
  const beforeFirst = extra.filter((t) => t < expected[0] - CRON_TOLERANCE_MS);
  if (beforeFirst.length && beforeFirst[0] - startOf(o, EVERY_5.id) < 5000) {
    return fail(id, title, {
      observed: `a tick at ${clock(beforeFirst[0])}, right at the Start (${clock(startOf(o, EVERY_5.id))})`,
      expected: `the first tick at ${clock(expected[0])}`,
      ...way.fix.waitFirst,
    });
  }
  const offsets = got.map(
    (g) => g - expected.reduce((best, t) => (Math.abs(t - g) < Math.abs(best - g) ? t : best), expected[0]),
  );
  const shifted =
    offsets.every((d) => Math.abs(d - offsets[0]) < 1000) && Math.abs(offsets[0]) >= CRON_TOLERANCE_MS;
  return fail(id, title, {
    observed: `${got.length} ticks in ${span === 60 ? 'the hour' : `those ${span} minutes`}, at ${times(got)}${shifted ? ` (each ${secondsOrMinutes(Math.abs(offsets[0]))} ${offsets[0] > 0 ? 'late' : 'early'})` : ''}${missing.length ? `; none at ${times(missing)}` : ''}`,
    expected: `${expected.length} ticks, at ${times(expected)}`,
    ...(shifted
      ? way.fix.shifted
      : {
          hint: 'nextCronTime gives the first time strictly after the one it is given: CronExpressionParser.parse(cron, { currentDate: after, tz: "UTC" }).next().',
          todo: 3,
        }),
  });
}

/** NextTime counts from the tick before: asked about a tick long past, it answers the one after it, not one after now. */
function fromPrevious(o: Observation): CheckResult {
  const id = 's5.next-tick';
  const title = 'NextTime counts each tick from the tick before, not from now';
  const todo = 6;
  if (o.nextTimeProbes.length === 0) return skip(id, title, 'no nextTime function is deployed (TODO 6)');
  for (const p of o.nextTimeProbes) {
    if (p.error)
      return fail(id, title, {
        observed: `nextTime, asked for ${p.about}, failed: ${p.error}`,
        expected: show(p.expected),
        hint: 'Run tests/nextTime.test.ts (npx vitest run tests/nextTime.test.ts): it asks the same question.',
        todo,
      });
    const answer = p.answer as { at?: unknown; n?: unknown } | undefined;
    if (answer?.at === p.expected.at && answer?.n === p.expected.n) continue;
    const fromNow =
      typeof answer?.at === 'string' && Math.abs(Date.parse(answer.at) - o.probedAt) <= 6 * 60_000;
    return fail(id, title, {
      observed: `asked for ${p.about}, nextTime answered ${show(answer)}${fromNow ? ': a time counted from now' : ''}`,
      expected: show(p.expected),
      hint: fromNow
        ? 'Count from the tick before: after = state.next?.at, or state.startedAt for the first tick. From now, a tick sent late pushes every later one, and a quick loop plans the same time twice. tests/nextTime.test.ts shows it: npx vitest run tests/nextTime.test.ts.'
        : 'n is the number of the tick before plus 1 (1 for the first), and at its time as ISO text. npx vitest run tests/nextTime.test.ts asks the same questions.',
      todo,
    });
  }
  return pass(id, title);
}

function limit(o: Observation, way: Way): CheckResult {
  const id = way.ids.limit;
  const LIMIT = way.schedules.limit;
  const title = way.title(`A limit gives exactly that many ticks: "${LIMIT.cron}" with limit ${LIMIT.limit}`);
  const got = ticksOf(o, LIMIT.id);
  if (got.length === 0) return way.silence(LIMIT.id, id, title);
  const b = burst(got);
  if (b.count >= BURST) return runawayResult(id, title, LIMIT.id, b);
  const expected = cronTimes(LIMIT.cron, startOf(o, LIMIT.id), o.end).slice(0, LIMIT.limit);
  const broken = way.broken();
  if (broken && got.length < LIMIT.limit) return fail(id, title, broken);
  if (got.length === LIMIT.limit - 1 || got.length === LIMIT.limit + 1) {
    const fewer = got.length < LIMIT.limit;
    return fail(id, title, {
      observed: `${got.length} ticks for a limit of ${LIMIT.limit}: one too ${fewer ? 'few' : 'many'}`,
      expected: `${LIMIT.limit} ticks, at ${times(expected)}`,
      ...(fewer ? way.fix.limitFewer : way.fix.limitMore),
    });
  }
  if (got.length !== LIMIT.limit) {
    return fail(id, title, {
      observed: `${got.length} ticks for a limit of ${LIMIT.limit}${got.length > LIMIT.limit ? ', as if there were none' : ''}`,
      expected: `${LIMIT.limit} ticks`,
      ...way.fix.limitIgnored,
    });
  }
  const { missing } = pair(expected, got, CRON_TOLERANCE_MS, way.lateMs);
  if (missing.length)
    return fail(id, title, {
      observed: `ticks at ${times(got)}`,
      expected: `at ${times(expected)}`,
      ...way.fix.limitTimes,
    });
  if (way.schedules.design === 'scheduler') return pass(id, title);
  const running = executionsOf(o, LIMIT.id).filter((e) => e.status === 'RUNNING');
  if (running.length) {
    return fail(id, title, {
      observed: `after its ${LIMIT.limit} ticks, the execution of ${LIMIT.id} is still running (in ${running[0].states.at(-1)})`,
      expected: 'the execution ends once the limit is reached',
      hint: 'IsOver goes to Done (a Succeed state) when the limit is reached.',
      todo: 7,
    });
  }
  return pass(id, title);
}

function duration(o: Observation, way: Way): CheckResult {
  const id = way.ids.duration;
  const DURATIONS = way.schedules.durations;
  const title = way.title(
    `A duration ticks once, when it is over: ${DURATIONS.map((d) => `"${d.duration}"`).join(' and ')}`,
  );
  for (const d of DURATIONS) {
    const got = ticksOf(o, d.id);
    if (got.length === 0) return way.silence(d.id, id, title);
    if (got.length > 1) {
      return fail(id, title, {
        observed: `${d.id} ticked ${got.length} times (${times(got)})`,
        expected: 'one tick',
        ...way.fix.durationOnce,
      });
    }
    const after = got[0] - startOf(o, d.id);
    if (after < d.ms - CRON_TOLERANCE_MS || after > d.ms + Math.max(DURATION_LATE_MS, way.lateMs)) {
      return fail(id, title, {
        observed: `${d.id} ticked ${secondsOrMinutes(after)} after its Start`,
        expected: `${d.duration}: ${secondsOrMinutes(d.ms)} after the Start`,
        hint:
          after < d.ms
            ? 'parseDuration gives milliseconds: 1 s = 1000, 1 m = 60 000, 1 h = 3 600 000.'
            : "Count from the Start (startedAt, the event's time) and wait until that moment.",
        todo: 2,
      });
    }
  }
  return pass(id, title);
}

function stop(o: Observation, way: Way): CheckResult {
  const id = way.ids.stop;
  const title = way.title(
    'Schedule Stop silences a schedule: no tick after it, and its loop ends within one period',
  );
  const { every, restart } = way.schedules;
  const stopped: string[] = [every.id, restart.id];
  if (ticksOf(o, every.id).length === 0)
    return skip(id, title, `${every.id} never ticked, so there was nothing to stop`);
  if (o.stopFailures?.length)
    return fail(id, title, {
      observed: `stopSchedule failed: ${o.stopFailures[0]}`,
      hint: 'stopSchedule deletes the schedule: DeleteCommand with Key { id: event.detail.id }.',
      todo: 5,
    });
  for (const sid of stopped) {
    const late = ticksOf(o, sid).filter((t) => t > o.stopAt + CRON_TOLERANCE_MS);
    if (!late.length) continue;
    if (o.stillStored?.get(sid)) {
      return fail(id, title, {
        observed: `${sid} ticked ${late.length} times after its Stop (${times(late)}), and it is still in the schedule table`,
        expected: 'stopSchedule deletes the schedule the Stop names',
        hint: "The schedule's id is event.detail.id. (event.id is the id EventBridge gave the event itself.)",
        todo: 5,
      });
    }
    return fail(id, title, {
      observed: `${sid} ticked ${late.length} times after its Stop (${times(late)}), though it is gone from the schedule table`,
      expected: 'no tick after the Stop',
      ...way.fix.afterStopGone,
    });
  }
  if (way.schedules.design === 'scheduler') {
    const pending = o.tickSchedules.atEnd.find((t) => stopped.includes(t.id));
    if (pending)
      return fail(id, title, {
        observed: `${pending.id}'s tick schedule ${pending.name} (${pending.expression}) is still in group ${pending.group} after its Stop`,
        expected: 'no tick schedule left for a stopped schedule',
        ...way.fix.afterStopGone,
      });
    return pass(id, title);
  }
  // The observation runs past the Stop for longer than the longest period stopped (scenario.ts).
  const going = o.executions.filter((e) => stopped.includes(e.id ?? '') && e.status === 'RUNNING');
  if (going.length) {
    return fail(id, title, {
      observed: `the loop of ${going[0].id} is still running ${Math.round((o.end - o.stopAt) / 60_000)} minutes after its Stop (in ${going[0].states.at(-1)})`,
      expected: 'the execution ends at the first tick time after the Stop',
      hint: 'IsStillActive goes to Stopped (a Succeed state) when GetSchedule finds no Item.',
      todo: 8,
    });
  }
  return pass(id, title);
}

function restart(o: Observation, way: Way): CheckResult {
  const id = way.ids.restart;
  const RESTART = way.schedules.restart;
  const title = way.title('Start again with the same id replaces the schedule instead of doubling it');
  const got = ticksOf(o, RESTART.id).filter((t) => t <= o.stopAt + CRON_TOLERANCE_MS);
  if (got.length === 0) return way.silence(RESTART.id, id, title);
  const b = burst(got);
  if (b.count >= BURST) return runawayResult(id, title, RESTART.id, b);
  const before = cronTimes(RESTART.first, startOf(o, RESTART.id), o.restartAt);
  const after = cronTimes(RESTART.second, o.restartAt, o.stopAt);
  const { missing, extra } = pair([...before, ...after], got, CRON_TOLERANCE_MS, way.lateMs);
  if (!missing.length && !extra.length) return pass(id, title);
  const oldTimes = cronTimes(RESTART.first, o.restartAt, o.stopAt);
  const fromOld = extra.filter((t) => oldTimes.some((x) => Math.abs(x - t) <= CRON_TOLERANCE_MS));
  if (fromOld.length) {
    return fail(id, title, {
      observed: `after the second Start of ${RESTART.id} ("${RESTART.second}" at ${clock(o.restartAt)}), the first loop ("${RESTART.first}") still ticks: ${times(fromOld)}`,
      expected: `ticks at ${times([...before, ...after], 8)} only`,
      ...way.fix.restartOld,
    });
  }
  return fail(id, title, {
    observed: `ticks of ${RESTART.id} at ${times(got, 8)}${missing.length ? `; none at ${times(missing)}` : ''}`,
    expected: `"${RESTART.first}" until the second Start at ${clock(o.restartAt)}, then "${RESTART.second}": ${times([...before, ...after], 8)}`,
    ...way.fix.restartOther,
  });
}

function invalid(o: Observation): CheckResult {
  const id = 's5.invalid';
  const title = `A Start the scheduler cannot do is refused with a Schedule Rejected event, and nothing crashes (${INVALID.length} bad Starts)`;
  const todo = 4;
  // A denied StartExecution is TODO 10's (the role), told where the schedules fall silent.
  const crashes = o.startFailures?.filter((f) => !/AccessDenied/.test(f)) ?? [];
  if (crashes.length) {
    return fail(id, title, {
      observed: `startSchedule failed ${crashes.length} times: ${crashes[0]}`,
      expected: 'a refusal, not a crash',
      hint: 'Catch the ScheduleError of readScheduleRequest: log it with console.error, put a Schedule Rejected event (scheduleRejected in lib/eventbridge.ts), and return. A Lambda that throws is retried, and refused again.',
      todo,
    });
  }
  const badIds = new Set(INVALID.map((b) => b.detail.id).filter((x): x is string => typeof x === 'string'));
  const ticked = [...badIds].filter((b) => ticksOf(o, b).length > 0);
  const started = o.executions.filter((e) => e.id !== undefined && badIds.has(e.id));
  if (ticked.length || started.length) {
    const bad = INVALID.find((b) => b.detail.id === (ticked[0] ?? started[0].id))!;
    return fail(id, title, {
      observed: `${show(bad.detail)} (${bad.about}) was ${ticked.length ? 'accepted: it ticked' : 'accepted: an execution started for it'}`,
      expected: 'a Schedule Rejected event, no schedule',
      hint: bad.hint,
      todo: bad.todo,
    });
  }
  for (const bad of INVALID) {
    const wanted = typeof bad.detail.id === 'string' ? bad.detail.id : undefined;
    const refusal = o.rejections.find(
      (r) => r.id === wanted && r.time - startOf(o, wanted ?? '') <= REJECTION_WITHIN_MS,
    );
    if (!refusal) {
      return fail(id, title, {
        observed: `no Schedule Rejected event for ${show(bad.detail)} (${bad.about})`,
        expected: `a Schedule Rejected event with ${wanted ? `"id": "${wanted}"` : 'no id'} and a "reason", on the bus`,
        hint: 'Put scheduleRejected(eventBusName(), requestedId(event.detail), error.message) with PutEventsCommand.',
        todo,
      });
    }
    if (!refusal.reason.trim())
      return fail(id, title, {
        observed: `the Schedule Rejected event for ${show(bad.detail)} gives no reason`,
        hint: "Pass the ScheduleError's message as the reason.",
        todo,
      });
  }
  return pass(id, title);
}

function outbreak(o: Observation): CheckResult {
  const id = 's5.outbreak';
  const title = 'An outbreak tick brings a wave of viruses; other ticks bring none';
  const tick = ticksOf(o, OUTBREAK.id)[0];
  if (tick === undefined) return skip(id, title, `${OUTBREAK.id} ("${OUTBREAK.duration}") never ticked`);
  const inWave = (t: number) => t >= tick - 1000 && t <= tick + 10_000;
  const wave = o.viruses.filter((v) => inWave(v.createdAt));
  const others = o.viruses.filter((v) => !inWave(v.createdAt));
  const todo = 11;
  if (wave.length === 0) {
    return fail(id, title, {
      observed: `no virus appeared after the tick of ${OUTBREAK.id} at ${clock(tick)}`,
      expected: 'a wave of viruses (spawnWave)',
      hint: "spawnWave runs on ticks whose detail.id starts with outbreak: — pattern detail: { id: [{ prefix: 'outbreak:' }] }.",
      todo,
    });
  }
  if (others.length) {
    const otherTicks = [...o.ticks.entries()]
      .filter(([sid]) => sid !== OUTBREAK.id)
      .flatMap(([sid, ts]) => ts.map((t) => ({ sid, t })));
    const culprit = otherTicks.find(({ t }) =>
      others.some((v) => v.createdAt >= t && v.createdAt <= t + 10_000),
    );
    return fail(id, title, {
      observed: `${others.length} viruses appeared at other times${culprit ? `, e.g. after a tick of ${culprit.sid} at ${clock(culprit.t)}` : ''}`,
      expected: `viruses only after the ticks of ids starting with "outbreak:"`,
      hint: "The rule must match only ids that start with outbreak: — detail: { id: [{ prefix: 'outbreak:' }] }.",
      todo,
    });
  }
  return pass(id, `${title} (${wave.length} viruses at ${clock(tick)})`);
}

function executions(o: Observation): CheckResult {
  const id = 's5.executions';
  const title = 'No execution of the scheduler fails';
  const failed = o.executions.filter((e: ExecutionSeen) => e.status === 'FAILED' || e.status === 'TIMED_OUT');
  if (o.runaway)
    return fail(id, title, {
      observed: `${o.runaway.count} ticks by ${clock(o.runaway.at)}: the checker stopped the running executions`,
      hint: 'A loop whose Wait does not wait ticks without end: see s5.cron.',
      todo: 6,
    });
  if (!failed.length) return pass(id, `${title} (${o.executions.length} executions)`);
  const f = failed[0];
  const state = f.states.at(-1) ?? '?';
  const todo = TODO_OF_STATE[state] ?? 7;
  return fail(id, title, {
    observed: `${failed.length} of ${o.executions.length} failed; ${f.id ?? f.name} in ${state}: ${f.error ?? f.status}${f.cause ? ` — ${f.cause.slice(0, 240)}` : ''}`,
    todo,
  });
}
