/**
 * What the checker observes of a deployed session-4 service, through AWS API calls only
 * (so the same code serves the local cloud and AWS); the local trace adds what AWS cannot
 * show cheaply: the events each spreadVirus run put.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DisableRuleCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { ListExecutionsCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import type { BehaviourContext } from '../../core/session-check.ts';
import type { TraceEntry } from '../../../emulator/index.ts';
import type { Target } from '../../core/target.ts';
import { decidedEarly, EARLY_LOOK, SAMPLES } from './stats.ts';
import { judgeProbe, probeInputs, type ProbeVerdict } from './probe.ts';
import { executionHistory } from '../../core/observe.ts';

export interface ExecutionSeen {
  name: string;
  status: string;
  start: number;
  states: string[];
  wait?: unknown;
  waitMs?: number;
  chooseMs?: number;
  virusId?: string;
  error?: string;
  cause?: string;
}

export interface SpreadRun {
  requestId: string;
  at: number;
  ok: boolean;
  error?: string;
  events: Array<{ bus: string; source?: string; detailType?: string; rejected?: string }>;
}

export interface Observation {
  target: 'local' | 'aws';
  windowStart: number;
  windowEnd: number;
  executions: ExecutionSeen[];
  /** The virus of every execution of the state machine, in the window or not. */
  virusIdsFromAnyExecution: string[];
  viruses: Array<{ id: string; createdAt: string }>;
  /** From the local trace; undefined on AWS. */
  spreadRuns?: SpreadRun[];
  customBus?: string;
  /** Answers of direct invocations (a few when the probe measured the draw). */
  samples: unknown[];
  sampleDurationsMs: number[];
  sampleErrors: string[];
  /** How the draw is judged: measured exactly (local probe), or from `draws` by statistics. */
  draw:
    | { mode: 'probe'; verdict: Extract<ProbeVerdict, { kind: 'measured' }> }
    | { mode: 'statistics'; draws: unknown[]; why?: string }
    | { mode: 'slow' };
}

/** How long after the window an execution may start and still belong to it. */
const EXECUTION_GRACE_MS = 30_000;

export async function observe(ctx: BehaviourContext): Promise<Observation> {
  const { target, deployment } = ctx;
  const c = target.clients();
  const find = (type: string) => [...deployment.resources.values()].filter((r) => r.type === type);
  const machine = find('AWS::StepFunctions::StateMachine')[0];
  const table = deployment.resources.get('VirusTable') ?? find('AWS::DynamoDB::Table')[0];
  const customBus = find('AWS::Events::EventBus')[0]?.physicalId;
  const fnName = (short: string) =>
    find('AWS::Lambda::Function').find((f) => f.physicalId.endsWith(`-${short}`))?.physicalId;

  const windowStart = target.now();
  await target.run(ctx.minutes * 60_000);
  const windowEnd = target.now();
  // Stop the schedules, then let the executions started in the window finish their waits.
  for (const rule of find('AWS::Events::Rule')) {
    const r = ctx.template.Resources[rule.logicalId];
    if (r?.Properties?.ScheduleExpression)
      await c.events.send(new DisableRuleCommand({ Name: rule.physicalId }));
  }
  await target.run(90_000);

  const executions: ExecutionSeen[] = [];
  const virusIdsFromAnyExecution: string[] = [];
  if (machine) {
    let nextToken: string | undefined;
    const list: Array<{ executionArn?: string; name?: string; status?: string; startDate?: Date }> = [];
    do {
      const page = await c.sfn.send(
        new ListExecutionsCommand({ stateMachineArn: machine.physicalId, maxResults: 1000, nextToken }),
      );
      list.push(...(page.executions ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    for (const e of list) {
      const start = e.startDate?.getTime() ?? 0;
      const seen = readExecution(
        e.name ?? '',
        e.status ?? '',
        start,
        await executionHistory(target, e.executionArn!),
      );
      // Every execution's virus is accounted for (on AWS the schedule fires while osls is
      // still deploying); only those of the window are judged. A run at the very end of the
      // window starts its executions a moment later: they belong to it.
      if (seen.virusId) virusIdsFromAnyExecution.push(seen.virusId);
      if (start >= windowStart && start <= windowEnd + EXECUTION_GRACE_MS) executions.push(seen);
    }
  }

  const viruses: Observation['viruses'] = [];
  if (table) {
    let key: Record<string, any> | undefined;
    do {
      const page = await c.dynamodb.send(
        new ScanCommand({ TableName: table.physicalId, ExclusiveStartKey: key }),
      );
      for (const item of page.Items ?? [])
        viruses.push({ id: String(item.id?.S ?? ''), createdAt: String(item.createdAt?.S ?? '') });
      key = page.LastEvaluatedKey;
    } while (key);
  }

  const spreadRuns = target.trace ? spreadRunsFromTrace(target, windowStart, windowEnd) : undefined;
  const sampled = await sampleChooseWaitTime(target, fnName('chooseWaitTime'));
  return {
    target: target.kind,
    windowStart,
    windowEnd,
    executions,
    virusIdsFromAnyExecution,
    viruses,
    spreadRuns,
    customBus,
    ...sampled,
  };
}

export function readExecution(
  name: string,
  status: string,
  start: number,
  history: HistoryEvent[],
): ExecutionSeen {
  const seen: ExecutionSeen = { name, status, start, states: [] };
  let current: string | undefined;
  let lambdaStart: number | undefined;
  let waitEntered: number | undefined;
  for (const h of history) {
    const t = h.timestamp?.getTime() ?? 0;
    if (h.stateEnteredEventDetails?.name && h.type?.endsWith('StateEntered')) {
      current = h.stateEnteredEventDetails.name;
      seen.states.push(current);
      if (h.type === 'WaitStateEntered') waitEntered = t;
    }
    if (h.type === 'WaitStateExited' && waitEntered !== undefined) seen.waitMs = t - waitEntered;
    if (h.type === 'LambdaFunctionStarted') lambdaStart = t;
    if (h.type === 'LambdaFunctionSucceeded' && current === 'ChooseWaitTime' && lambdaStart !== undefined)
      seen.chooseMs = t - lambdaStart;
    if (h.type?.endsWith('StateExited') && h.stateExitedEventDetails?.output !== undefined) {
      const out = parse(h.stateExitedEventDetails.output);
      if (h.stateExitedEventDetails.name === 'ChooseWaitTime')
        seen.wait = (out as { numberOfSeconds?: unknown } | undefined)?.numberOfSeconds;
      if (h.stateExitedEventDetails.name === 'CreateVirus')
        seen.virusId = (out as { id?: string } | undefined)?.id;
    }
    const failed = h.executionFailedEventDetails ?? h.lambdaFunctionFailedEventDetails;
    if (failed && (h.type === 'ExecutionFailed' || !seen.error)) {
      seen.error = failed.error;
      seen.cause = failed.cause;
    }
  }
  return seen;
}

function spreadRunsFromTrace(target: Target, from: number, to: number): SpreadRun[] {
  const trace = target.trace!;
  const runs: SpreadRun[] = [];
  for (const start of trace.find(
    'invoke.start',
    (e) => e.function.endsWith('-spreadVirus') && e.time >= from && e.time <= to,
  )) {
    const end = trace.find('invoke.end', (e) => e.cause === start.seq)[0];
    const children = trace
      .all()
      .filter(
        (e): e is TraceEntry<'events.put' | 'events.rejected'> =>
          e.cause === start.seq && (e.kind === 'events.put' || e.kind === 'events.rejected'),
      );
    runs.push({
      requestId: start.requestId,
      at: start.time,
      ok: end ? end.ok : false,
      error:
        end && !end.ok
          ? `${end.error?.errorType}: ${end.error?.errorMessage}`
          : end
            ? undefined
            : 'still running at the end of the window',
      events: children.map((e) => ({
        bus: e.bus,
        source: e.source,
        detailType: e.detailType,
        rejected: e.kind === 'events.rejected' ? e.ErrorMessage || e.ErrorCode : undefined,
      })),
    });
  }
  return runs;
}

/**
 * Asks chooseWaitTime for its waits. First by direct invocations (the same AWS API call
 * works on AWS): a cold start out of the way, then one timed answer. A function that sleeps
 * is caught by a few answers (each costs virtual minutes). Otherwise the draw is judged:
 * locally by the exact probe when it applies (probe.ts) and a handful of invocations for
 * their durations; else by SAMPLES answers (stats.ts), drawn inside the sandbox locally
 * (milliseconds) and by invocations on AWS.
 */
async function sampleChooseWaitTime(
  target: Target,
  name: string | undefined,
): Promise<Pick<Observation, 'samples' | 'sampleDurationsMs' | 'sampleErrors' | 'draw'>> {
  const samples: unknown[] = [];
  const sampleDurationsMs: number[] = [];
  const sampleErrors: string[] = [];
  if (!name)
    return {
      samples,
      sampleDurationsMs,
      sampleErrors: ['no chooseWaitTime function is deployed'],
      draw: { mode: 'statistics', draws: [] },
    };
  const lambda = target.clients().lambda;
  const one = async (record = true) => {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}'), LogType: 'Tail' }),
    );
    if (!record) return;
    // The duration Lambda reports (REPORT line), as on AWS: the handler's own run time.
    const report = /Duration: ([\d.]+) ms/.exec(Buffer.from(out.LogResult ?? '', 'base64').toString());
    if (report) sampleDurationsMs.push(Number(report[1]));
    const payload = parse(Buffer.from(out.Payload ?? []).toString());
    if (out.FunctionError)
      sampleErrors.push(
        `${(payload as { errorType?: string })?.errorType}: ${(payload as { errorMessage?: string })?.errorMessage}`,
      );
    else samples.push((payload as { numberOfSeconds?: unknown } | undefined)?.numberOfSeconds);
  };
  /** `total` answers, `concurrency` at a time; `early`: stop at a look where the judge's verdict is known. */
  const invocations = async (total: number, concurrency: number, early = false) => {
    let next = samples.length + sampleErrors.length;
    let decided = false;
    let looked: number | undefined;
    let nextLook = EARLY_LOOK;
    const worker = async () => {
      while (next < total && !decided) {
        next++;
        await one();
        if (!early || decided) continue;
        // Answers land in any order of the workers: a look takes the first nextLook of them.
        for (; samples.length >= nextLook && looked === undefined; nextLook += EARLY_LOOK)
          if (decidedEarly(samples.slice(0, nextLook))) looked = nextLook;
        decided = looked !== undefined || sampleErrors.length > 0;
      }
    };
    await pumped(target, Promise.all(Array.from({ length: concurrency }, () => worker())));
    // Judged on the answers looked at: those still in flight then cannot change the verdict's words.
    if (looked !== undefined) samples.length = looked;
  };
  await pumped(target, one(false));
  await pumped(target, one());
  if (sampleDurationsMs[0] > 2000 || sampleErrors.length > 0) {
    await invocations(12, 12);
    return { samples, sampleDurationsMs, sampleErrors, draw: { mode: 'slow' } };
  }
  if (!target.probeRandom) {
    // On AWS: 10 at a time keeps within a new account's concurrency and takes ~2 minutes; a
    // draw already failed (an error, a constant, a value out of range or missing) stops there.
    await invocations(SAMPLES, 10, true);
    return { samples, sampleDurationsMs, sampleErrors, draw: { mode: 'statistics', draws: samples } };
  }
  await invocations(12, 2);
  const inputs = probeInputs();
  let verdict: ProbeVerdict;
  let answers;
  try {
    verdict = judgeProbe(inputs, await target.probeRandom(name, inputs));
    if (verdict.kind === 'measured')
      return { samples, sampleDurationsMs, sampleErrors, draw: { mode: 'probe', verdict } };
    answers = await target.probeRandom(name, new Array<null>(SAMPLES).fill(null));
  } catch (err) {
    // The sandbox died under the probe (a process.exit, a crash): say so, as an invocation error.
    sampleErrors.push((err as Error).message);
    return { samples, sampleDurationsMs, sampleErrors, draw: { mode: 'statistics', draws: [] } };
  }
  const draws = answers.map((a) =>
    a.ok ? (a.value as { numberOfSeconds?: unknown } | null)?.numberOfSeconds : undefined,
  );
  const failed = answers.find((a) => !a.ok);
  if (failed) sampleErrors.push(failed.error ?? 'chooseWaitTime failed');
  return { samples, sampleDurationsMs, sampleErrors, draw: { mode: 'statistics', draws, why: verdict.why } };
}

/** Keeps time moving while `work` is pending (needed only when a Lambda waits on timers). */
async function pumped<T>(target: Target, work: Promise<T>): Promise<T> {
  let done = false;
  const result = work.finally(() => (done = true));
  while (!done) {
    await Promise.race([
      result.catch(() => undefined),
      target.kind === 'local' ? target.run(1000) : new Promise((r) => setTimeout(r, 1000)),
    ]);
  }
  return result;
}

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
