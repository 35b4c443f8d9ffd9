/** The behaviour checks of session 6, each read from execution histories. */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { CheckResult } from '../../core/result.ts';
import { fail, pass, skip } from '../../core/result.ts';
import { show } from '../../core/template.ts';
import type { Observation, Run } from './observe.ts';
import {
  ALERTS,
  ANALYSES,
  CULTURE_ERROR,
  CULTURES,
  FAIL_ERROR,
  RESPONSES,
  RETRY,
  WAIT_TOLERANCE_MS,
  WAVE,
} from './scenario.ts';

export function judge(o: Observation): CheckResult[] {
  return [
    chaining(o),
    branching(o),
    retry(o),
    caught(o),
    failed(o),
    parallel(o),
    map(o),
    approval(o),
    timeout(o),
  ];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;

// ---- reading a history ----

/** The states entered, in order (every thread). */
function entered(run: Run): string[] {
  return run.events
    .filter((e) => e.type?.endsWith('StateEntered'))
    .map((e) => e.stateEnteredEventDetails?.name ?? '?');
}

function indexOf(run: Run, type: string, name: string): number {
  return run.events.findIndex(
    (e) => e.type === type && (e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name) === name,
  );
}

function json(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}

/** What a state got and gave: its entered input and exited output. */
function io(run: Run, name: string): { input?: unknown; output?: unknown } {
  const inEvent = run.events.find((e) => e.stateEnteredEventDetails?.name === name);
  const outEvent = run.events.find(
    (e) => e.type?.endsWith('StateExited') && e.stateExitedEventDetails?.name === name,
  );
  return {
    input: json(inEvent?.stateEnteredEventDetails?.input),
    output: json(outEvent?.stateExitedEventDetails?.output),
  };
}

/** Where and why an execution failed, in one line. */
function failure(run: Run): string {
  if (run.startError) return `did not start: ${run.startError}`;
  const where = entered(run).at(-1) ?? 'its first state';
  return `${run.status.toLowerCase()} in ${where}: ${run.error ?? 'no error'}${run.cause ? ` — ${causeText(run.cause)}` : ''}${slowNote(`${run.error} ${run.cause}`)}`;
}

/** Not the learner's doing: the local cloud could not load a handler within Lambda's 10 s init limit. */
function slowNote(text: string): string {
  return /Runtime\.InitError/.test(text)
    ? ' (the local cloud took more than 10 s to load a Lambda: is the machine busy? Run the check again.)'
    : '';
}

/** A Lambda error's Cause is JSON ({ errorType, errorMessage, trace }): its message says it best. */
function causeText(cause: string): string {
  const parsed = json(cause) as { errorMessage?: string } | undefined;
  const text = typeof parsed === 'object' && parsed?.errorMessage ? parsed.errorMessage : cause;
  return text.length > 240 ? `${text.slice(0, 240)}…` : text;
}

/** Lambda attempts of a Task (the culture machine has one Lambda): when each failed, when the next began. */
function attempts(run: Run): { count: number; waits: number[]; errors: string[] } {
  const scheduled: number[] = [];
  const failedAt: number[] = [];
  const errors: string[] = [];
  for (const e of run.events) {
    if (e.type === 'LambdaFunctionScheduled') scheduled.push(time(e));
    if (e.type === 'LambdaFunctionFailed') {
      failedAt.push(time(e));
      errors.push(e.lambdaFunctionFailedEventDetails?.error ?? '');
    }
  }
  const waits = failedAt.slice(0, scheduled.length - 1).map((t, i) => scheduled[i + 1] - t);
  return { count: scheduled.length, waits, errors };
}

const time = (e: HistoryEvent) => e.timestamp?.getTime() ?? 0;

/** What a Task state was scheduled with, the first time it ran: its resource and its evaluated parameters. */
function scheduled(run: Run, name: string): { resource?: string; parameters?: Record<string, unknown> } {
  let current: string | undefined;
  for (const e of run.events) {
    if (e.type === 'TaskStateEntered') current = e.stateEnteredEventDetails?.name;
    if (e.type === 'TaskScheduled' && current === name) {
      const parameters = json(e.taskScheduledEventDetails?.parameters);
      return {
        resource: e.taskScheduledEventDetails?.resource,
        parameters:
          parameters && typeof parameters === 'object' ? (parameters as Record<string, unknown>) : undefined,
      };
    }
  }
  return {};
}

const runsOf = (o: Observation, keys: string[]) =>
  keys.map((k) => o.runs.get(k)).filter((r): r is Run => r !== undefined);

// ---- chaining and branching ----

function chaining(o: Observation): CheckResult {
  const id = 's6.chaining';
  const title = 'Chaining: SequenceVirus → MeasureStrength → HowStrong, each output the next input';
  const todo = 1;
  for (const c of ANALYSES) {
    const run = o.runs.get(c.key);
    if (!run || run.startError)
      return fail(id, title, { observed: `${c.input.virusId}: ${run ? failure(run) : 'not started'}`, todo });
    const path = entered(run);
    if (run.status === 'FAILED' && path.at(-1) === 'MeasureStrength' && /No genome/.test(run.cause ?? '')) {
      return fail(id, title, {
        observed: `${c.input.virusId} failed in MeasureStrength: it got ${show(io(run, 'MeasureStrength').input)}, with no genome`,
        expected: `MeasureStrength's input is SequenceVirus's output: ${show({ virusId: c.input.virusId, genome: c.genome })}`,
        hint: "Without ResultPath (or OutputPath) on SequenceVirus, its output becomes the whole input of the next state. ResultPath: '$.something' keeps the old input and puts the output beside it.",
        todo,
      });
    }
    const head = ['SequenceVirus', 'MeasureStrength', 'HowStrong'];
    if (path.slice(0, 3).join() !== head.join()) {
      return fail(id, title, {
        observed: `${c.input.virusId} went ${path.join(' → ') || 'nowhere'}${run.status === 'FAILED' ? `; ${failure(run)}` : ''}`,
        expected: `${head.join(' → ')} → …`,
        hint: "StartAt: 'SequenceVirus', whose Next is 'MeasureStrength', whose Next is 'HowStrong'.",
        todo,
      });
    }
    const gave = io(run, 'SequenceVirus').output;
    const got = io(run, 'MeasureStrength').input;
    if (JSON.stringify(gave) !== JSON.stringify(got)) {
      return fail(id, title, {
        observed: `SequenceVirus gave ${show(gave)}, MeasureStrength got ${show(got)}`,
        expected: 'the same',
        hint: 'Remove the ResultPath, OutputPath or Parameters between the two states.',
        todo,
      });
    }
    const measured = io(run, 'MeasureStrength').output as { strength?: unknown } | undefined;
    if (measured?.strength !== c.strength) {
      return fail(id, title, {
        observed: `the sample ${show(c.input.sample)} measured ${show(measured?.strength)}`,
        expected: `strength ${c.strength} (genome ${c.genome})`,
        todo,
      });
    }
  }
  return pass(id, `${title} (${ANALYSES.length} samples)`);
}

function branching(o: Observation): CheckResult {
  const id = 's6.branching';
  const title =
    'Branching: HowStrong sends ≥ 70 to Quarantine, ≥ 40 to Treat, anything else to Release (Default)';
  const todo = 2;
  const wrong: string[] = [];
  let hint = '';
  for (const c of ANALYSES) {
    const run = o.runs.get(c.key);
    if (!run || run.startError) return skip(id, title, `${c.input.virusId} did not run: see s6.chaining`);
    if (!entered(run).includes('HowStrong')) {
      if (run.status === 'FAILED')
        return skip(id, title, `${c.input.virusId} failed before HowStrong: see s6.chaining`);
      return fail(id, title, {
        observed: `${c.input.virusId} ended without a verdict (${entered(run).join(' → ')})`,
        expected: `… → HowStrong → ${c.branch}`,
        hint: 'After MeasureStrength, a Choice HowStrong sends the virus to Quarantine, Treat or Release.',
        todo,
      });
    }
    if (run.status === 'FAILED' && run.error === 'States.NoChoiceMatched') {
      return fail(id, title, {
        observed: `strength ${c.strength} matched no rule, and HowStrong has no Default: the execution failed (States.NoChoiceMatched)`,
        expected: `${c.branch}`,
        hint: "Give HowStrong Default: 'Release': what no rule takes goes there, instead of failing.",
        todo,
      });
    }
    const after = entered(run)[entered(run).indexOf('HowStrong') + 1];
    if (after !== c.branch) {
      wrong.push(`strength ${c.strength} went to ${after ?? 'nothing'}, expected ${c.branch}`);
      if (!hint && c.strength === 90 && after === 'Treat')
        hint = 'A Choice takes the first rule that matches, and 90 is also ≥ 40: test ≥ 70 first.';
      if (!hint && (c.strength === 70 || c.strength === 40))
        hint = `${c.strength} is on the edge and belongs to ${c.branch}: NumericGreaterThanEquals, not NumericGreaterThan.`;
    }
  }
  if (wrong.length)
    return fail(id, title, {
      observed: wrong.join('; '),
      hint: hint || "Compare HowStrong's rules with the thresholds: 70 and 40, both included.",
      todo,
    });
  return pass(id, title);
}

// ---- error handling ----

function retry(o: Observation): CheckResult {
  const id = 's6.retry';
  const title = `Retry: GrowCulture tries ${RETRY.MaxAttempts} more times on ${CULTURE_ERROR}, after ${RETRY.IntervalSeconds} s, then twice as long each time`;
  const todo = 3;
  for (const c of CULTURES) {
    const run = o.runs.get(c.key);
    if (!run || run.startError)
      return fail(id, title, { observed: `${c.input.virusId}: ${run ? failure(run) : 'not started'}`, todo });
    const a = attempts(run);
    const other = a.errors.find((e) => e !== CULTURE_ERROR);
    if (other)
      return fail(id, title, {
        observed: `GrowCulture failed with ${other} for ${c.input.virusId}${slowNote(other)}`,
        expected: `only ${CULTURE_ERROR}, the culture's own error`,
        hint: 'Read the error in the execution history: the Lambda itself fails.',
        todo,
      });
    if (a.count === 1 && c.attempts > 1) {
      return fail(id, title, {
        observed: `${c.input.virusId} (contaminated ${c.input.contamination} times) gave up after 1 attempt`,
        expected: `${c.attempts} attempts`,
        hint: `Give GrowCulture Retry: [{ ErrorEquals: ['${CULTURE_ERROR}'], IntervalSeconds: ${RETRY.IntervalSeconds}, MaxAttempts: ${RETRY.MaxAttempts}, BackoffRate: ${RETRY.BackoffRate} }]: ErrorEquals names the error the Lambda throws.`,
        todo,
      });
    }
    if (a.count !== c.attempts) {
      return fail(id, title, {
        observed: `${c.input.virusId} (contaminated ${c.input.contamination} times) made ${a.count} attempts`,
        expected: `${c.attempts}: the first, then at most ${RETRY.MaxAttempts} retries`,
        hint: `MaxAttempts counts the retries after the first attempt: MaxAttempts: ${RETRY.MaxAttempts}.`,
        todo,
      });
    }
    const due = c.waits.map((s) => s * 1000);
    const off = a.waits.some((w, i) => Math.abs(w - due[i]) > WAIT_TOLERANCE_MS);
    if (off) {
      const same = a.waits.length > 1 && a.waits.every((w) => Math.abs(w - a.waits[0]) <= WAIT_TOLERANCE_MS);
      return fail(id, title, {
        observed: `between the attempts for ${c.input.virusId}, GrowCulture waited ${a.waits.map(seconds).join(', then ')}`,
        expected: due.map(seconds).join(', then '),
        hint: same
          ? `The waits should grow: BackoffRate: ${RETRY.BackoffRate} multiplies the wait by ${RETRY.BackoffRate} after each attempt. (BackoffRate 1 keeps them equal.)`
          : `The first wait is IntervalSeconds: ${RETRY.IntervalSeconds}; each next one is BackoffRate (${RETRY.BackoffRate}) times the one before.`,
        todo,
      });
    }
  }
  return pass(id, title);
}

function caught(o: Observation): CheckResult {
  const id = 's6.catch';
  const title = 'Catch: when the retries run out, the error is kept in $.error and a frozen sample is used';
  const todo = 4;
  const c = CULTURES.find((x) => x.input.frozenSample)!;
  const run = o.runs.get(c.key);
  if (!run || run.startError)
    return fail(id, title, { observed: `${c.input.virusId}: ${run ? failure(run) : 'not started'}`, todo });
  const path = entered(run).filter((s) => s !== 'GrowCulture');
  if (run.status === 'FAILED' && run.error === CULTURE_ERROR) {
    return fail(id, title, {
      observed: `${c.input.virusId} failed with ${CULTURE_ERROR} after its retries: nothing caught it`,
      expected: `${c.then.join(' → ')}`,
      hint: "Give GrowCulture Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'HasFrozenSample' }].",
      todo,
    });
  }
  if (path.join() !== c.then.join()) {
    const lostInput =
      path.includes('CultureFailed') &&
      !(io(run, 'HasFrozenSample').input as { frozenSample?: unknown } | undefined)?.frozenSample;
    return fail(id, title, {
      observed: `after GrowCulture, ${c.input.virusId} went ${path.join(' → ') || 'nowhere'}${lostInput ? `, though it has a frozen sample: HasFrozenSample got ${show(io(run, 'HasFrozenSample').input)}` : ''}`,
      expected: c.then.join(' → '),
      hint: lostInput
        ? "Without ResultPath, the Catch replaces the whole state with the error, frozenSample included: ResultPath: '$.error' puts the error beside it."
        : 'Catch → HasFrozenSample (a Choice on $.frozenSample) → UseFrozenSample → Incubate.',
      todo,
    });
  }
  const error = (run.output as { error?: { Error?: string } } | undefined)?.error;
  if (run.status !== 'SUCCEEDED' || error?.Error !== CULTURE_ERROR) {
    return fail(id, title, {
      observed: `${c.input.virusId} ${run.status.toLowerCase()} with the output ${show(run.output)}`,
      expected: `SUCCEEDED, with $.error.Error = "${CULTURE_ERROR}"`,
      hint: "ResultPath: '$.error' on the Catch keeps what went wrong.",
      todo,
    });
  }
  return pass(id, title);
}

function failed(o: Observation): CheckResult {
  const id = 's6.fail';
  const title = `Fail: without a frozen sample, the execution fails with the Error ${FAIL_ERROR} and a Cause`;
  const todo = 4;
  const c = CULTURES.find((x) => x.status === 'FAILED')!;
  const run = o.runs.get(c.key);
  if (!run || run.startError)
    return fail(id, title, { observed: `${c.input.virusId}: ${run ? failure(run) : 'not started'}`, todo });
  if (run.status === 'SUCCEEDED') {
    return fail(id, title, {
      observed: `${c.input.virusId} succeeded (${entered(run).join(' → ')}), though its culture never grew and it has no frozen sample`,
      expected: `FAILED, with ${FAIL_ERROR}`,
      hint: "HasFrozenSample's Default is CultureFailed, a Fail state.",
      todo,
    });
  }
  if (run.status !== 'FAILED')
    return fail(id, title, { observed: `${c.input.virusId} is ${run.status}`, expected: 'FAILED', todo });
  if (run.error !== FAIL_ERROR || !run.cause) {
    return fail(id, title, {
      observed: `${c.input.virusId} failed with ${run.error ? `the Error ${show(run.error)}` : 'no Error'} and ${run.cause ? `the Cause ${show(causeText(run.cause))}` : 'no Cause'}${entered(run).at(-1) !== 'CultureFailed' ? `, in ${entered(run).at(-1)}` : ''}`,
      expected: `the Error "${FAIL_ERROR}" and a Cause that says what happened`,
      hint: `A Fail state names its own failure: Error: '${FAIL_ERROR}', Cause: 'The culture stayed contaminated ...'. Whoever started the execution reads them.`,
      todo,
    });
  }
  return pass(id, title);
}

// ---- parallel and map ----

function parallel(o: Observation): CheckResult {
  const id = 's6.parallel';
  const title = 'Parallel: RecordStats and AlertBoard run side by side, and both finish';
  const todo = 5;
  for (const r of runsOf(
    o,
    RESPONSES.map((x) => x.key),
  )) {
    if (r.startError || r.status !== 'SUCCEEDED')
      return fail(id, title, {
        observed: `${(r.input as { virusId: string }).virusId}: ${failure(r)}`,
        todo,
      });
    const path = entered(r);
    for (const s of ['RecordStats', 'AlertBoard']) {
      if (!path.includes(s))
        return fail(id, title, {
          observed: `${s} never ran (the execution went ${path.join(' → ')})`,
          expected: 'a Parallel state Respond with two branches: RecordStats and AlertBoard',
          todo,
        });
    }
    const recordIn = indexOf(r, 'TaskStateEntered', 'RecordStats');
    const alertIn = indexOf(r, 'TaskStateEntered', 'AlertBoard');
    const recordOut = indexOf(r, 'TaskStateExited', 'RecordStats');
    const alertOut = indexOf(r, 'TaskStateExited', 'AlertBoard');
    const inParallel = r.events.some((e) => e.type === 'ParallelStateEntered');
    if (!inParallel || alertIn > recordOut || recordIn > alertOut) {
      const [first, second] =
        recordIn < alertIn ? ['RecordStats', 'AlertBoard'] : ['AlertBoard', 'RecordStats'];
      return fail(id, title, {
        observed: `${second} started only after ${first} had ended: one after the other`,
        expected: 'both at once',
        hint: "Put them in two branches of one Parallel state: Branches: [{ StartAt: 'RecordStats', States: {...} }, { StartAt: 'AlertBoard', States: {...} }].",
        todo,
      });
    }
  }
  const expected = RESPONSES.length;
  if (o.statsResponses !== undefined && o.statsResponses !== expected) {
    return fail(id, title, {
      observed: `the lab's stats count ${o.statsResponses} responses`,
      expected: `${expected}, one per execution`,
      hint: "RecordStats adds 1 to responses of the item { id: 'stats' }: UpdateExpression 'ADD responses :one'.",
      todo,
    });
  }
  return pass(id, title);
}

function map(o: Observation): CheckResult {
  const id = 's6.map';
  const title = `Map: a wave of ${WAVE.input.size} viruses, one iteration each, at most ${WAVE.maxConcurrency} at a time`;
  const todo = 6;
  const run = o.runs.get(WAVE.key);
  if (!run || run.startError)
    return fail(id, title, { observed: `the wave: ${run ? failure(run) : 'not started'}`, todo });
  const started = run.events.filter((e) => e.type === 'MapIterationStarted').length;
  if (started === 0)
    return fail(id, title, {
      observed: `no Map iteration ran (the execution went ${entered(run).join(' → ')}${run.status === 'FAILED' ? `; ${failure(run)}` : ''})`,
      expected: `${WAVE.input.size} iterations of SpawnWave`,
      hint: "A Map state SpawnWave with ItemsPath: '$.slots' and an ItemProcessor that runs CreateVirus.",
      todo,
    });
  let inFlight = 0;
  let most = 0;
  for (const e of run.events) {
    if (e.type === 'MapIterationStarted') most = Math.max(most, ++inFlight);
    if (
      e.type === 'MapIterationSucceeded' ||
      e.type === 'MapIterationFailed' ||
      e.type === 'MapIterationAborted'
    )
      inFlight--;
  }
  if (most > WAVE.maxConcurrency) {
    return fail(id, title, {
      observed: `${most} iterations ran at once`,
      expected: `at most ${WAVE.maxConcurrency}`,
      hint: `Without MaxConcurrency (or with 0), a Map runs every item at once: MaxConcurrency: ${WAVE.maxConcurrency}.`,
      todo,
    });
  }
  if (started !== WAVE.input.size)
    return fail(id, title, {
      observed: `${started} iterations for a wave of ${WAVE.input.size}`,
      expected: `${WAVE.input.size}, one per slot`,
      hint: "ItemsPath: '$.slots', the list PlanWave made.",
      todo,
    });
  if (run.status !== 'SUCCEEDED') return fail(id, title, { observed: `the wave: ${failure(run)}`, todo });
  const viruses = (run.output as { viruses?: Array<{ id?: string }> } | undefined)?.viruses;
  if (!Array.isArray(viruses) || viruses.length !== WAVE.input.size) {
    return fail(id, title, {
      observed: `the output's viruses: ${show(viruses)}`,
      expected: `the ${WAVE.input.size} viruses, in $.viruses`,
      hint: "ResultPath: '$.viruses' on SpawnWave.",
      todo,
    });
  }
  const missing = viruses.filter((v) => !v.id || !o.virusIds.has(v.id));
  if (missing.length)
    return fail(id, title, {
      observed: `${missing.length} of the wave's viruses are not in the virus table`,
      todo,
    });
  return pass(id, `${title} (${started} iterations)`);
}

// ---- human in the loop ----

function approval(o: Observation): CheckResult {
  const id = 's6.approval';
  const title =
    'Human in the loop: a pandemic alert waits for its token, then takes the branch the approver chose';
  const wanted = { [ALERTS.approved.key]: 'DeclarePandemic', [ALERTS.rejected.key]: 'StandDown' };
  for (const alert of [ALERTS.approved, ALERTS.rejected]) {
    const run = o.runs.get(alert.key);
    const virusId = alert.input.virusId;
    if (!run || run.startError)
      return fail(id, title, { observed: `${virusId}: ${run ? failure(run) : 'not started'}`, todo: 8 });
    const before = o.alertsBeforeAnswer.get(alert.key);
    if (before !== 'RUNNING') {
      const ask = scheduled(run, 'AskForApproval');
      if (run.status === 'FAILED' && /task token/i.test(run.cause ?? '') && ask.resource === 'invoke') {
        // Without .waitForTaskToken there is no token: the JSONata expression gives nothing, and the field is left out.
        return fail(id, title, {
          observed: `${virusId} did not wait for an answer: AskForApproval (lambda:invoke) failed, ${causeText(run.cause ?? '')}`,
          expected: 'RUNNING, paused in AskForApproval until the token comes back',
          hint: "Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken': only such a task has a token ($states.context.Task.Token), and it ends when the token comes back, not when the Lambda returns.",
          todo: 8,
        });
      }
      if (run.status === 'FAILED' && /task token/i.test(run.cause ?? '')) {
        return fail(id, title, {
          observed: `${virusId} failed in AskForApproval: ${causeText(run.cause ?? '')}`,
          expected: 'the task token handed to requestApproval',
          hint: TOKEN_HINT,
          todo: 8,
        });
      }
      const payload = (ask.parameters?.Payload ?? {}) as Record<string, unknown>;
      if (run.status === 'FAILED' && payload.virusId === undefined) {
        // A JSONPath path inside {% %} selects nothing in JSONata, and AWS leaves such a field out.
        return fail(id, title, {
          observed: `${virusId} failed in AskForApproval, which handed requestApproval ${show(payload)}: no virusId`,
          expected: `a Payload with the token, virusId "${virusId}" and its strength`,
          hint: "In a JSONata state the input is $states.input: virusId: '{% $states.input.virusId %}'. '$.virusId' is JSONPath: inside {% %} it selects nothing, and a field whose expression gives nothing is left out.",
          todo: 8,
        });
      }
      return fail(id, title, {
        observed: `${virusId} did not wait for an answer: ${Math.round((o.approveAt - o.start) / 60_000)} minutes after it started it was ${before ?? 'gone'} (${entered(run).join(' → ')})`,
        expected: 'RUNNING, paused in AskForApproval until the token comes back',
        hint:
          run.status === 'FAILED'
            ? `It ${failure(run)}`
            : "Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken': the task ends when the token comes back, not when the Lambda returns.",
        todo: 8,
      });
    }
    if (!o.tokens.get(alert.key)) {
      if (!o.payloadHasToken) {
        // requestApproval cannot keep a token it was never given: the fix is in the state machine.
        return fail(id, title, {
          observed: `no task token for ${virusId} in the approval table, and AskForApproval's Payload does not hand it one`,
          expected: "Payload: { token: '{% $states.context.Task.Token %}', ... }",
          hint: `${TOKEN_HINT} Add it to AskForApproval's Payload in state-machines/lab/alert.ts.`,
          todo: 8,
        });
      }
      return fail(id, title, {
        observed: `no task token for ${virusId} in the approval table`,
        expected: `an item { id: "${virusId}", token: ... }`,
        hint: 'requestApproval puts { id: request.virusId, token: request.token, ... } into the approval table (PutCommand).',
        todo: 7,
      });
    }
    const answerError = o.answerErrors.get(alert.key);
    if (answerError)
      return fail(id, title, {
        observed: `the token stored for ${virusId} was refused: ${answerError}`,
        hint: /\$states|\$\$/.test(o.tokens.get(alert.key) ?? '')
          ? "requestApproval got the text of the expression, not the token: in a JSONata state only a string wrapped in {% %} is evaluated, so write token: '{% $states.context.Task.Token %}'."
          : 'Store the token exactly as it came in the request (request.token).',
        todo: /\$states|\$\$/.test(o.tokens.get(alert.key) ?? '') ? 8 : 7,
      });
    const path = entered(run);
    if (run.status === 'FAILED') {
      return fail(id, title, {
        observed: `after the ${alert === ALERTS.approved ? 'approval' : 'rejection'}, ${virusId} ${failure(run)}`,
        expected: `→ ${wanted[alert.key]}`,
        hint:
          alert === ALERTS.rejected
            ? "A SendTaskFailure is an error like any other: Catch: [{ ErrorEquals: ['Rejected', 'States.Timeout'], Next: 'StandDown' }]."
            : "SendTaskSuccess's output ({ approved: true }) is AskForApproval's output, so IsApproved's input: Condition: '{% $states.input.approved = true %}'.",
        todo: 8,
      });
    }
    if (!path.includes(wanted[alert.key]) || run.status !== 'SUCCEEDED') {
      return fail(id, title, {
        observed: `after the ${alert === ALERTS.approved ? 'approval ({ approved: true })' : 'rejection (Rejected)'}, ${virusId} went ${path.join(' → ')} and is ${run.status}`,
        expected: `… → ${wanted[alert.key]}`,
        hint: "IsApproved: Choices: [{ Condition: '{% $states.input.approved = true %}', Next: 'DeclarePandemic' }], Default: 'StandDown'.",
        todo: 8,
      });
    }
    if (alert === ALERTS.approved) {
      const entries = scheduled(run, 'DeclarePandemic').parameters?.Entries;
      // PutEvents takes Detail as a JSON string; the integration also takes an object.
      const raw: unknown = Array.isArray(entries) ? entries[0]?.Detail : undefined;
      const detail = typeof raw === 'string' ? json(raw) : raw;
      const named = detail && typeof detail === 'object' ? (detail as Record<string, unknown>) : {};
      if (named.virusId !== virusId || named.strength !== alert.input.strength) {
        return fail(id, title, {
          observed: `the Pandemic Declared event for ${virusId} had the Detail ${show(detail ?? null)}`,
          expected: `Detail ${show({ virusId, strength: alert.input.strength })}`,
          hint: "A JSONata Task's output is its result: after AskForApproval, $states.input is the approver's answer ({ approved: true }), not the alert. Read the virus from the variables AskForApproval assigned: Detail: { virusId: '{% $virusId %}', strength: '{% $strength %}' }.",
          todo: 8,
        });
      }
    }
  }
  return pass(id, title);
}

const TOKEN_HINT =
  "The token is only in the context object: Payload: { token: '{% $states.context.Task.Token %}', ... }.";

function timeout(o: Observation): CheckResult {
  const id = 's6.timeout';
  const { approvalTimeoutS: APPROVAL_TIMEOUT_S, deployedTimeoutS: deployed, endAfter } = o.scenario;
  const after = (s: number) => (s === 3600 ? 'an hour' : s % 60 === 0 ? `${s / 60} minutes` : `${s} s`);
  // On AWS the check deploys a shorter timeout than the one written: the title says both.
  const title = `An alert nobody answers stands down after ${after(APPROVAL_TIMEOUT_S)} (TimeoutSeconds ${APPROVAL_TIMEOUT_S}${deployed === APPROVAL_TIMEOUT_S ? '' : `, deployed as ${deployed} for this check`})`;
  const todo = 8;
  const run = o.runs.get(ALERTS.silent.key);
  const virusId = ALERTS.silent.input.virusId;
  if (!run || run.startError)
    return fail(id, title, { observed: `${virusId}: ${run ? failure(run) : 'not started'}`, todo });
  if (o.alertsBeforeAnswer.get(ALERTS.silent.key) !== 'RUNNING')
    return skip(id, title, `${virusId} did not wait at all: see s6.approval`);
  if (run.status === 'RUNNING') {
    return fail(id, title, {
      observed: `${virusId} is still waiting, ${Math.round(endAfter / 60_000)} minutes after it started`,
      expected: `StandDown after ${after(deployed)}`,
      hint: `Give AskForApproval TimeoutSeconds: ${APPROVAL_TIMEOUT_S}: without it, a forgotten token keeps the execution open for up to a year.`,
      todo,
    });
  }
  if (run.status === 'FAILED') {
    return fail(id, title, {
      observed: `${virusId} ${failure(run)}`,
      expected: 'StandDown',
      hint: "Catch States.Timeout too: ErrorEquals: ['Rejected', 'States.Timeout'] → StandDown.",
      todo,
    });
  }
  const waited = (run.stop ?? 0) - run.start;
  if (!entered(run).includes('StandDown') || Math.abs(waited - deployed * 1000) > 60_000) {
    return fail(id, title, {
      observed: `${virusId} went ${entered(run).join(' → ')} after ${Math.round(waited / 60_000)} minutes`,
      expected: `StandDown after ${after(deployed)}`,
      todo,
    });
  }
  return pass(id, title);
}
