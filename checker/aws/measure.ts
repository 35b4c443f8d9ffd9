/**
 * What a service does in an hour, measured rather than guessed: the service runs on the
 * local cloud for 60 virtual minutes (a few seconds) and the trace is counted the way AWS
 * bills: Step Functions state transitions, Lambda invocations and GB-seconds, custom
 * events, DynamoDB writes, HTTP API requests, log bytes.
 *
 * Starts a local cloud in this process: one at a time (its clock replaces the global timers).
 */
import { LocalCloud, type Template, type TraceEntry } from '../../emulator/index.ts';
import { localTarget } from '../core/local-target.ts';
import { runCheck } from '../core/pipeline.ts';
import type { SessionCheck } from '../core/session-check.ts';
import type { Target } from '../core/target.ts';
import { NO_USAGE, type Usage } from './cost.ts';

export const HOUR_MS = 3_600_000;
/** Virtual time between the deploy and the hour measured: see measureHour. */
const HOUR_LEAD_MS = 5_000;
/** The board asks for the viruses every 2 seconds while it is open. */
export const BOARD_POLL_MS = 2000;
export const BOARD_ROUTE = 'GET /viruses';

/** Bytes CloudWatch Logs receives per invocation besides the function's own lines (START, END, REPORT). */
const LOG_BYTES_PER_INVOCATION = 320;
/** A log line's prefix on AWS: timestamp, request id, level. */
const LOG_PREFIX_BYTES = 60;
/** Lambda's memory when the template does not say (AWS's default). */
const DEFAULT_MEMORY_MB = 128;

export interface HourMeasurement {
  /** What the service does by itself in an hour. */
  alone: Usage;
  /** What one board poll adds (one request to BOARD_ROUTE), when the service has that route. */
  boardPoll?: Usage;
  /** Counts behind `alone`, to explain it: invocations per function, executions. */
  details: { invocationsByFunction: Record<string, number>; executions: number };
}

export async function measureHour(dir: string): Promise<HourMeasurement> {
  // A fixed, minute-aligned start: schedules fire as they would, and the result is reproducible.
  const cloud = await LocalCloud.start({ start: Date.UTC(2026, 0, 5, 10, 0, 0), seed: 1 });
  try {
    const stack = await cloud.deployService(dir);
    const memory = memoryByFunction(stack.template);
    // The hour starts a little after the deploy: a schedule's tick at its last instant (minute
    // 60, a few ms of deploy before its end) then has time to run, even on a loaded machine,
    // instead of being counted half-done (60 ticks' executions, 59 of their invocations).
    await cloud.clock.advance(HOUR_LEAD_MS);
    const from = cloud.trace.all().length;
    await cloud.clock.advance(HOUR_MS);
    const hour = cloud.trace.all().slice(from);
    const alone = usageOf(hour, memory);

    let boardPoll: Usage | undefined;
    const api = [...stack.resources.values()].find((r) => r.type === 'AWS::ApiGatewayV2::Api');
    const hasRoute = [...stack.resources.values()].some(
      (r) =>
        r.type === 'AWS::ApiGatewayV2::Route' &&
        stack.template.Resources[r.logicalId]?.Properties?.RouteKey === BOARD_ROUTE,
    );
    if (api && hasRoute) {
      const url = `${cloud.endpoint}/_aws/execute-api/${api.physicalId}${BOARD_ROUTE.split(' ')[1]}`;
      // The board keeps its function warm: measure the second poll, not the cold start.
      await (await fetch(url)).text();
      const before = cloud.trace.all().length;
      const body = await (await fetch(url)).text();
      boardPoll = usageOf(cloud.trace.all().slice(before), memory);
      // A Scan reads the whole table: on-demand, half a read unit per 4 KB, eventually consistent.
      boardPoll.readUnits += Math.max(1, Math.ceil(Buffer.byteLength(body) / 4096)) * 0.5;
    }
    return { alone, boardPoll, details: detailsOf(hour) };
  } finally {
    await cloud.stop();
  }
}

/** What one `--aws` check of a session makes AWS do: its own scenario, in its AWS configuration. */
export interface CheckMeasurement {
  usage: Usage;
  details: HourMeasurement['details'];
  /** Minutes the scenario watched (session.json's check.minutes.aws, or --minutes). */
  minutes: number;
  /** Whether the service passed the check it was measured with (a failing one may do less, or more). */
  passed: boolean;
}

/**
 * Measures a check rather than an idle hour: the session's own scenario (the Starts and
 * Stops of session 5, the lab's executions and approvals of session 6) runs on the local
 * cloud in the AWS configuration (its periods and minutes), and the trace is counted as
 * AWS bills it. An idle hour of session 6 would count session 4's viruses, which the check
 * switches off.
 */
export async function measureCheck(
  dir: string,
  session: SessionCheck,
  minutes?: number,
): Promise<CheckMeasurement> {
  let entries: readonly TraceEntry[] = [];
  let template: Template | undefined;
  const report = await runCheck(session, {
    dir,
    seed: 1,
    minutes,
    targetKind: 'local',
    profile: 'aws',
    makeTarget: async () => {
      const target = await localTarget({ seed: 1 });
      const keep: Target = {
        ...target,
        async deploy(d, t) {
          template = t;
          return target.deploy(d, t);
        },
        // The trace goes with the local cloud: read it just before.
        async teardown() {
          entries = target.trace?.all() ?? [];
          await target.teardown();
        },
      };
      return keep;
    },
  });
  const memory = template ? memoryByFunction(template) : new Map<string, number>();
  return {
    usage: usageOf(entries, memory),
    details: detailsOf(entries),
    minutes: report.minutes,
    passed: report.ok,
  };
}

function detailsOf(entries: readonly TraceEntry[]): HourMeasurement['details'] {
  const invocationsByFunction: Record<string, number> = {};
  for (const e of entries)
    if (e.kind === 'invoke.end')
      invocationsByFunction[shortName(e.function)] = (invocationsByFunction[shortName(e.function)] ?? 0) + 1;
  return {
    invocationsByFunction,
    executions: entries.filter((e) => e.kind === 'sfn.execution.start').length,
  };
}

export function usageOf(entries: readonly TraceEntry[], memoryMb: Map<string, number>): Usage {
  const u: Usage = { ...NO_USAGE };
  for (const e of entries) {
    switch (e.kind) {
      case 'sfn.state.enter':
        u.transitions++;
        break;
      case 'invoke.end': {
        u.invocations++;
        // Lambda bills each invocation by the millisecond, rounded up.
        const ms = Math.max(1, Math.ceil(e.durationMs || 0));
        u.gbSeconds += (ms / 1000) * ((memoryMb.get(e.function) ?? DEFAULT_MEMORY_MB) / 1024);
        u.logBytes += LOG_BYTES_PER_INVOCATION;
        break;
      }
      case 'log':
        u.logBytes += LOG_PREFIX_BYTES + e.message.length;
        break;
      case 'events.put':
        u.customEvents++;
        break;
      case 'dynamodb.write':
        // The dojo's items are far below 1 KB: one write unit each.
        u.writeUnits++;
        break;
      case 'http.request':
        u.httpRequests++;
        break;
      default:
        break;
    }
  }
  return u;
}

export function memoryByFunction(template: Template): Map<string, number> {
  const memory = new Map<string, number>();
  for (const r of Object.values(template.Resources)) {
    const name = r.Properties?.FunctionName;
    if (r.Type === 'AWS::Lambda::Function' && typeof name === 'string')
      memory.set(name, Number(r.Properties?.MemorySize) || DEFAULT_MEMORY_MB);
  }
  return memory;
}

/** "dojo-serverless-local-chooseWaitTime" → "chooseWaitTime". */
function shortName(fn: string): string {
  return fn.replace(/^.*-local-/, '');
}
