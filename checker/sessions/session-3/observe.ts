/**
 * What the checker sees of a deployed session-3 service: one direct invocation of
 * createVirus with the event EventBridge sends, then N minutes of the schedule running on
 * its own, then the table. Locally the trace adds which invocation wrote which virus.
 */
import { DisableRuleCommand } from '@aws-sdk/client-eventbridge';
import { randomUUID } from 'node:crypto';
import type { BehaviourContext } from '../../core/session-check.ts';
import type { Target } from '../../core/target.ts';
import { lambdaFor, rulesTargeting } from '../../core/template.ts';
import {
  functionName,
  getItem,
  invoke,
  parse,
  scanAll,
  tableName,
  type Call,
} from '../session-1/deployed.ts';
import type { LambdaError } from '../session-1/errors.ts';

export interface ScheduledRun {
  requestId: string;
  at: number;
  ok: boolean;
  error?: LambdaError;
  /** Ids of the items it wrote (PutItem), from the trace. */
  wrote: string[];
}

export interface Observation {
  minutes: number;
  hasSchedule: boolean;
  fn?: string;
  direct?: Call;
  directItem?: Record<string, unknown>;
  windowStart: number;
  windowEnd: number;
  /** Viruses created during the window, oldest first (the direct one left out). */
  viruses: Array<{ id: string; createdAt: string }>;
  /** From the local trace; undefined on AWS. */
  runs?: ScheduledRun[];
  list?: { status: number; body: unknown };
  onAws: boolean;
}

/** Time for the invocations started at the end of the window to finish. */
const SETTLE_MS = 5000;

export async function observe({
  target,
  deployment,
  template,
  minutes,
}: BehaviourContext): Promise<Observation> {
  const fn = functionName(deployment, 'createVirus');
  const table = tableName(deployment);
  const create = lambdaFor(template, 'createVirus');
  const scheduleRules = create
    ? rulesTargeting(template, create.logicalId).filter((r) => r.Properties?.ScheduleExpression)
    : [];
  const o: Observation = {
    minutes,
    hasSchedule: scheduleRules.length > 0,
    fn,
    windowStart: 0,
    windowEnd: 0,
    viruses: [],
    onAws: target.kind === 'aws',
  };
  if (!fn || !table) return o;

  // First, the direct invocation: it also warms the sandbox, so that a cold start does not
  // shift the first scheduled virus.
  const rule = scheduleRules[0]
    ? deployment.resources.get(scheduleRules[0].logicalId)?.physicalId
    : undefined;
  o.direct = await invoke(target, fn, scheduledEvent(target, rule));
  const directId = (o.direct.payload as { id?: unknown } | undefined)?.id;
  if (typeof directId === 'string' && directId) o.directItem = await getItem(target, table, directId);

  o.windowStart = target.now();
  await target.run(minutes * 60_000);
  o.windowEnd = target.now();
  for (const r of scheduleRules) {
    const name = deployment.resources.get(r.logicalId)?.physicalId;
    if (name)
      await target
        .clients()
        .events.send(
          new DisableRuleCommand({ Name: name.includes(':rule/') ? name.split(':rule/')[1] : name }),
        );
  }
  await target.run(SETTLE_MS);

  o.viruses = (await scanAll(target, table))
    .map((item) => ({ id: String(item.id), createdAt: String(item.createdAt) }))
    .filter(
      (v) =>
        v.id !== directId &&
        Date.parse(v.createdAt) >= o.windowStart &&
        Date.parse(v.createdAt) <= o.windowEnd + SETTLE_MS,
    )
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (target.trace) o.runs = scheduledRuns(target, fn, o.windowStart, o.windowEnd + SETTLE_MS);
  const api = target.httpApiUrl(deployment);
  if (api) {
    const res = await fetch(`${api}/viruses`);
    o.list = { status: res.status, body: parse(await res.text()) };
  }
  return o;
}

/** The event EventBridge sends a function on a schedule, as AWS documents it. */
function scheduledEvent(target: Target, rule: string | undefined) {
  const arn = rule?.startsWith('arn:')
    ? rule
    : `arn:aws:events:${target.region}:${target.accountId}:rule/${rule ?? 'dojo-serverless-createVirus-schedule'}`;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: target.accountId,
    time: new Date(target.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: target.region,
    resources: [arn],
    detail: {},
  };
}

function scheduledRuns(target: Target, fn: string, from: number, to: number): ScheduledRun[] {
  const trace = target.trace!;
  return trace
    .find(
      'invoke.start',
      (e) => e.function === fn && (e.source ?? '').startsWith('rule ') && e.time >= from && e.time <= to,
    )
    .map((start) => {
      const end = trace.find('invoke.end', (e) => e.cause === start.seq)[0];
      const wrote = trace
        .find('dynamodb.write', (e) => e.requestId === start.requestId && e.op === 'PutItem')
        .map((e) => String((e.item as { id?: { S?: string } } | undefined)?.id?.S ?? ''));
      return {
        requestId: start.requestId,
        at: start.time,
        ok: Boolean(end?.ok),
        error:
          end && !end.ok
            ? end.error
            : end
              ? undefined
              : { errorType: 'Unfinished', errorMessage: 'still running at the end of the window' },
        wrote,
      };
    });
}
