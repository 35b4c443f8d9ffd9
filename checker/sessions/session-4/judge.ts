/** The behaviour checks of session 4: each turns an observation into a ✔ or a ✖. */
import type { CheckResult } from '../../core/result.ts';
import { fail, pass, skip } from '../../core/result.ts';
import { show } from '../../core/template.ts';
import type { Observation } from './observe.ts';
import { CHI_SQUARE_ALPHA, COUNT_BOUNDS, waitStats } from './stats.ts';

export function judge(o: Observation, minutes: number): CheckResult[] {
  return [spread(o, minutes), executions(o), viruses(o), waits(o), randomness(o), arrivals(o)];
}

const EXPECTED_STATES = ['ChooseWaitTime', 'WaitXSeconds', 'CreateVirus'];

/**
 * Executions grouped by the spreadVirus run that started them: a new run begins after a
 * gap of more than 10 s. Not by clock minute: on AWS `rate(1 minute)` fires at any second
 * of the minute, and a run at :59 would be split in two. Runs touching the window's edges
 * (5 s) are left out: they may be cut.
 */
function runsOf(o: Observation) {
  const sorted = [...o.executions].sort((a, b) => a.start - b.start);
  const runs: (typeof sorted)[] = [];
  for (const e of sorted) {
    const last = runs.at(-1);
    if (last && e.start - last[last.length - 1].start <= 10_000) last.push(e);
    else runs.push([e]);
  }
  return runs.filter((r) => r[0].start > o.windowStart + 5_000 && r[0].start < o.windowEnd - 5_000);
}

/** How far the Wait state may be from the chosen seconds: exact locally, ~1 s on AWS. */
function waitTolerance(o: Observation): { early: number; late: number } {
  return o.target === 'aws' ? { early: 500, late: 3_000 } : { early: 1_000, late: 1_000 };
}

function spread(o: Observation, minutes: number): CheckResult {
  const id = 's4.spread';
  const title = 'Each spreadVirus run puts 3 VIRUS_CREATION_REQUESTED events on the custom bus';
  if (!o.spreadRuns) {
    // On AWS there is no trace: count the executions each run started instead.
    const counts = runsOf(o).map((r) => r.length);
    return counts.length > 0 && counts.every((c) => c === 3)
      ? pass(id, `${title} (${counts.length} runs)`)
      : fail(id, title, {
          observed: `executions per spreadVirus run: ${show(counts)}`,
          expected: '3 every run',
          todo: 4,
        });
  }
  const runs = o.spreadRuns;
  if (runs.length === 0)
    return fail(id, title, {
      observed: `spreadVirus did not run in ${minutes} minutes`,
      expected: `${minutes} runs, one a minute`,
      hint: "Give spreadVirus events: [{ schedule: 'rate(1 minute)' }].",
      todo: 2,
    });
  const failed = runs.filter((r) => !r.ok);
  if (failed.length) {
    const err = failed[0].error ?? '';
    const denied = /AccessDenied/.test(err);
    const toDefault = /event-bus\/default/.test(err);
    return fail(id, title, {
      observed: `${failed.length} of ${runs.length} runs failed: ${err}`,
      hint: toDefault
        ? 'spreadVirus puts its events on the default bus: set EventBusName to process.env.EVENT_BUS_NAME in each entry.'
        : denied
          ? 'spreadVirus may not put events: allow events:PutEvents on the bus ARN in serverless.ts.'
          : 'Read the error above; `npm run invoke spreadVirus` shows the logs of one run.',
      todo: toDefault ? 4 : denied ? 3 : 4,
    });
  }
  const perRun = runs.map((r) => r.events.filter((e) => !e.rejected).length);
  const onDefault = runs.flatMap((r) => r.events).filter((e) => e.bus === 'default').length;
  if (onDefault > 0) {
    return fail(id, title, {
      observed: `${onDefault} events went to the default bus`,
      expected: `every event on the custom bus ${o.customBus ?? ''}`,
      hint: 'Set EventBusName: process.env.EVENT_BUS_NAME in each PutEvents entry; rules on the custom bus never see the default bus.',
      todo: 4,
    });
  }
  const rejected = runs.flatMap((r) => r.events).filter((e) => e.rejected);
  if (rejected.length)
    return fail(id, title, {
      observed: `EventBridge refused ${rejected.length} entries: ${rejected[0].rejected}`,
      todo: 4,
    });
  if (perRun.some((n) => n !== 3)) {
    return fail(id, title, {
      observed: `events per run: ${show([...new Set(perRun)])}${perRun.every((n) => n === 1) ? ' (one event instead of three)' : ''}`,
      expected: '3 entries in one PutEvents call, every run',
      hint: 'Put 3 entries in the Entries array of one PutEventsCommand.',
      todo: 4,
    });
  }
  const wrong = runs
    .flatMap((r) => r.events)
    .filter((e) => e.source !== 'dojo-serverless' || e.detailType !== 'VIRUS_CREATION_REQUESTED');
  if (wrong.length)
    return fail(id, title, {
      observed: `an event with source ${show(wrong[0].source)} and detail-type ${show(wrong[0].detailType)}`,
      expected: 'source "dojo-serverless", detail-type "VIRUS_CREATION_REQUESTED"',
      todo: 4,
    });
  return pass(id, `${title} (${runs.length} runs)`);
}

function executions(o: Observation): CheckResult {
  const id = 's4.executions';
  const title =
    'Each event starts one execution that goes ChooseWaitTime → WaitXSeconds → CreateVirus and succeeds';
  const events = o.spreadRuns
    ? o.spreadRuns.flatMap((r) => r.events).filter((e) => !e.rejected && e.bus !== 'default').length
    : undefined;
  if (o.executions.length === 0) {
    return fail(id, title, {
      observed: events ? `${events} events were put, but no execution started` : 'no execution started',
      hint: 'Check the eventBridge trigger of the state machine: bus, source and detail-type must match what spreadVirus sends.',
      todo: 7,
    });
  }
  if (events !== undefined && events !== o.executions.length) {
    return fail(id, title, {
      observed: `${events} events, ${o.executions.length} executions`,
      expected: 'one execution per event',
      hint: 'Exactly one rule should target the state machine.',
      todo: 7,
    });
  }
  const failed = o.executions.filter((e) => e.status !== 'SUCCEEDED');
  if (failed.length) {
    const f = failed[0];
    return fail(id, title, {
      observed: `${failed.length} of ${o.executions.length} executions ${f.status.toLowerCase()}; ${f.name}: ${f.error ?? f.status}${f.cause ? ` — ${f.cause.slice(0, 300)}` : ''} (after ${f.states.join(' → ') || 'no state'})`,
      hint: 'Open the execution in the board, or run npm run dev and read the trace: the error names the state that failed.',
      todo: 6,
    });
  }
  const offPath = o.executions.find((e) => e.states.join() !== EXPECTED_STATES.join());
  if (offPath)
    return fail(id, title, {
      observed: `${offPath.name} went ${offPath.states.join(' → ')}`,
      expected: EXPECTED_STATES.join(' → '),
      todo: 6,
    });
  return pass(id, `${title} (${o.executions.length} executions)`);
}

function viruses(o: Observation): CheckResult {
  const id = 's4.viruses';
  const title = 'Each execution writes exactly one virus, and viruses come from nowhere else';
  const fromExecutions = new Set(o.executions.map((e) => e.virusId).filter(Boolean));
  // Every virus must come from an execution of the state machine (all of them are read).
  const fromAny = new Set(o.virusIdsFromAnyExecution);
  const stray = o.viruses.filter((v) => !fromAny.has(v.id));
  const missing = [...fromExecutions].filter((idv) => !o.viruses.some((v) => v.id === idv));
  if (stray.length) {
    return fail(id, title, {
      observed: `${stray.length} viruses came from outside the state machine`,
      expected: 'viruses only from the CreateVirus state',
      hint: 'createVirus still runs on its own schedule? Remove its schedule event in serverless.ts.',
      todo: 8,
    });
  }
  if (missing.length)
    return fail(id, title, {
      observed: `${missing.length} executions returned a virus that is not in the table`,
      hint: 'createVirus must write the virus it returns (PutCommand) before returning it.',
      todo: 6,
    });
  const succeeded = o.executions.filter((e) => e.status === 'SUCCEEDED').length;
  if (fromExecutions.size !== succeeded)
    return fail(id, title, {
      observed: `${succeeded} executions succeeded but ${fromExecutions.size} distinct viruses came out`,
      expected: 'one virus per execution',
    });
  return pass(id, `${title} (${o.viruses.length} viruses)`);
}

function waits(o: Observation): CheckResult {
  const id = 's4.waits';
  const title = 'The Wait state waits the number of seconds ChooseWaitTime chose';
  const slow = o.sampleDurationsMs.filter((d) => d > 2000);
  if (slow.length) {
    return fail(id, title, {
      observed: `chooseWaitTime ran for ${Math.round(Math.max(...slow) / 1000)} s`,
      expected: 'an answer in milliseconds: the Wait state does the waiting',
      hint: 'Remove the setTimeout from the Lambda: a Lambda that waits is billed for every second, a Wait state is free.',
      todo: 5,
    });
  }
  const done = o.executions.filter((e) => e.waitMs !== undefined);
  if (done.length === 0) return skip(id, title, 'no execution reached WaitXSeconds');
  const { early, late } = waitTolerance(o);
  const off = done.find(
    (e) =>
      typeof e.wait !== 'number' ||
      (e.waitMs ?? 0) < e.wait * 1000 - early ||
      (e.waitMs ?? 0) > e.wait * 1000 + late,
  );
  if (off) {
    return fail(id, title, {
      observed: `${off.name}: ChooseWaitTime chose ${show(off.wait)}, WaitXSeconds waited ${((off.waitMs ?? 0) / 1000).toFixed(1)} s`,
      expected: 'the same number of seconds',
      hint: 'WaitXSeconds needs SecondsPath: "$.numberOfSeconds", reading ChooseWaitTime\'s output.',
      todo: 6,
    });
  }
  return pass(id, title);
}

function randomness(o: Observation): CheckResult {
  const id = 's4.random';
  const title = 'ChooseWaitTime returns a whole number of seconds from 1 to 60, at random';
  const todo = 5;
  if (o.sampleErrors.length)
    return fail(id, title, {
      observed: `chooseWaitTime failed: ${o.sampleErrors[0]}`,
      hint: 'Read the error above; `npm run invoke chooseWaitTime` shows the logs of one run.',
      todo,
    });
  if (o.draw.mode === 'slow')
    return skip(id, title, 'chooseWaitTime takes seconds to answer: fix the wait first (see above)');
  const probe = o.draw.mode === 'probe' ? o.draw.verdict : undefined;
  const values = probe ? probe.values : o.draw.mode === 'statistics' ? o.draw.draws : [];
  const how = probe ? `${values.length} chosen values of Math.random()` : `${values.length} answers`;
  const s = waitStats(values);
  if (s.n === 0 && !probe?.problem)
    return fail(id, title, {
      observed: 'no answer from chooseWaitTime',
      hint: 'Is chooseWaitTime deployed? `npm run invoke chooseWaitTime` tries one.',
      todo,
    });
  if (s.nonNumbers.length) {
    const v = s.nonNumbers[0];
    return fail(id, title, {
      observed: `numberOfSeconds is ${typeof v === 'string' ? `a string (${show(v)})` : show(v)}`,
      expected: 'a number: SecondsPath needs an integer, not text',
      hint: 'Return { numberOfSeconds: n } with n a number (no String(), no template literal, no toFixed()).',
      todo,
    });
  }
  if (s.nonIntegers.length)
    return fail(id, title, {
      observed: `numberOfSeconds is not a whole number (${s.nonIntegers[0]})`,
      expected: 'an integer from 1 to 60',
      hint: 'Round down with Math.floor, then add 1: 1 + Math.floor(Math.random() * 60).',
      todo,
    });
  if (s.distinct === 1)
    return fail(id, title, {
      observed: `chooseWaitTime always returns ${show(values[0])} (${how})`,
      expected: 'a random number each time',
      hint: 'Use Math.random(): 1 + Math.floor(Math.random() * 60).',
      todo,
    });
  if (probe?.problem) return fail(id, title, { ...probe.problem, todo });
  if (s.min === 0 && s.max <= 59) {
    return fail(id, title, {
      observed: `chooseWaitTime returned values from 0 to ${s.max} (${how})`,
      expected: 'from 1 to 60',
      hint: 'Math.floor(Math.random() * 60) gives 0 to 59: add 1.',
      todo,
    });
  }
  if (s.outOfRange.length)
    return fail(id, title, {
      observed: `values out of range: ${show([...new Set(s.outOfRange)].slice(0, 5))} (${how}, from ${s.min} to ${s.max})`,
      expected: 'from 1 to 60',
      hint: 'Scale Math.random() to 60 values, round down, then shift them to start at 1.',
      todo,
    });
  if (probe) return pass(id, `${title} (measured exactly: each value gets 1/60 of Math.random()'s range)`);
  const why = o.draw.mode === 'statistics' && o.draw.why ? ` (${o.draw.why}: judged from ${s.n} draws)` : '';
  const { lo, hi } = COUNT_BOUNDS;
  const missing = s.counts.flatMap((c, i) => (c === 0 ? [i + 1] : []));
  if (missing.length)
    return fail(id, title, {
      observed: `in ${s.n} answers ${listValues(missing)} never came up${why}`,
      expected: 'every value from 1 to 60 possible',
      hint: 'Each of the 60 values needs an equal slice of [0, 1): scale Math.random() by 60 and round down, then add 1.',
      todo,
    });
  const rare = s.counts.flatMap((c, i) => (c < lo ? [`${i + 1} (${c} times)`] : []));
  const often = s.counts.flatMap((c, i) => (c > hi ? [`${i + 1} (${c} times)`] : []));
  if (rare.length || often.length) {
    const expected = `each value about ${Math.round(s.n / 60)} times (from ${lo} to ${hi})`;
    const ends = rare.length === 2 && rare[0].startsWith('1 ') && rare[1].startsWith('60 ');
    return fail(id, title, {
      observed: `in ${s.n} answers ${[rare.length ? `${rare.join(', ')} came up too rarely` : '', often.length ? `${often.join(', ')} too often` : ''].filter(Boolean).join('; ')}${why}`,
      expected,
      hint: ends
        ? 'Math.round gives the two end values half the room of the others: cut [0, 1) into 60 equal slices with Math.floor instead.'
        : 'Each of the 60 values needs an equal slice of [0, 1): scale Math.random() by 60 and round down, then add 1.',
      todo,
    });
  }
  if (s.pValue < CHI_SQUARE_ALPHA) {
    return fail(id, title, {
      observed: `the ${s.n} waits are far from uniform (chi-square ${s.chiSquare.toFixed(0)}, p = ${s.pValue.toExponential(1)})${why}`,
      expected: 'each value from 1 to 60 about as often as the others',
      hint: 'Use one Math.random() draw: 1 + Math.floor(Math.random() * 60).',
      todo,
    });
  }
  return pass(id, `${title} (${s.n} draws, chi-square p = ${s.pValue.toFixed(2)})`);
}

/** "1 and 60", or "1, 2, 3, … 59 (59 values)". */
function listValues(vs: number[]): string {
  if (vs.length > 6) return `${vs.slice(0, 3).join(', ')}, … ${vs.at(-1)} (${vs.length} values)`;
  return vs.length > 1 ? `${vs.slice(0, -1).join(', ')} and ${vs.at(-1)}` : String(vs[0]);
}

function arrivals(o: Observation): CheckResult {
  const id = 's4.arrivals';
  const title = 'The three viruses of a minute arrive at different times';
  // A correct solution: the three waits of a minute are equal with probability 1/3600, so
  // "half the minutes or more" never happens (~1e-31 over 20 minutes); a fixed wait always does.
  const full = runsOf(o)
    .filter((r) => r.length === 3 && r.every((e) => typeof e.wait === 'number'))
    .map((r) => r.map((e) => e.start + (e.wait as number) * 1000));
  if (full.length === 0) return skip(id, title, 'no minute with three executions to compare');
  const together = full.filter((a) => Math.max(...a) - Math.min(...a) < 1000).length;
  if (together * 2 >= full.length) {
    return fail(id, title, {
      observed: `in ${together} of ${full.length} minutes the three viruses arrived within the same second`,
      expected: 'random arrivals',
      hint: 'Each execution must wait its own random time: SecondsPath, not Seconds.',
      todo: 6,
    });
  }
  return pass(id, title);
}
