/**
 * Runs the session-6 cases (scenario.ts) on the deployed lab and reads what happened through
 * AWS API calls only: StartExecution, GetExecutionHistory, DescribeExecution, DynamoDB reads,
 * SendTaskSuccess / SendTaskFailure. The same code would run on AWS.
 */
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DisableRuleCommand } from '@aws-sdk/client-eventbridge';
import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import type { BehaviourContext } from '../../core/session-check.ts';
import type { Target } from '../../core/target.ts';
import {
  ALERTS,
  ANALYSES,
  APPROVAL_OUTPUT,
  CULTURES,
  REJECTION,
  RESPONSES,
  STAGGER_MS,
  WAVE,
  scenarioFor,
  type Scenario,
} from './scenario.ts';
import { stateMachineDefinition } from '../../core/template.ts';
import { MACHINES, type MachineKey } from './static.ts';
import { executionHistory } from '../../core/observe.ts';

export interface Run {
  key: string;
  machine: MachineKey;
  input: unknown;
  /** Set when StartExecution itself failed. */
  startError?: string;
  status: string;
  error?: string;
  cause?: string;
  output?: unknown;
  start: number;
  stop?: number;
  events: HistoryEvent[];
}

export interface Observation {
  /** The moments of this check's configuration (local or AWS). */
  scenario: Scenario;
  runs: Map<string, Run>;
  /** Status of each alert when the approvals were sent. */
  alertsBeforeAnswer: Map<string, string>;
  /** The task token found in the approval table for each alert, if any. */
  tokens: Map<string, string | undefined>;
  /** Whether AskForApproval's Payload hands the task token ($$.Task.Token) to the Lambda, from the template. */
  payloadHasToken: boolean;
  /** Errors of SendTaskSuccess / SendTaskFailure, by alert key. */
  answerErrors: Map<string, string>;
  /** `responses` of the lab's stats item at the end. */
  statsResponses?: number;
  virusIds: Set<string>;
  approveAt: number;
  start: number;
}

export async function observe(ctx: BehaviourContext): Promise<Observation> {
  const { target, deployment } = ctx;
  const scenario = scenarioFor(ctx.periods, ctx.minutes, ctx.localPeriods);
  const c = target.clients();
  const ofType = (type: string) => [...deployment.resources.values()].filter((r) => r.type === type);
  const arnOf = (key: MachineKey) => deployment.resources.get(MACHINES[key].logicalId)?.physicalId;

  // Session 4's minute-by-minute viruses are not part of the lab: switch the schedules off.
  for (const rule of ofType('AWS::Events::Rule')) {
    if (ctx.template.Resources[rule.logicalId]?.Properties?.ScheduleExpression)
      await c.events.send(new DisableRuleCommand({ Name: rule.physicalId }));
  }

  const start = target.now();
  const runs = new Map<string, Run>();
  const arns = new Map<string, string>();
  const launch = async (key: string, machine: MachineKey, input: unknown) => {
    const run: Run = { key, machine, input, status: 'NOT_STARTED', start: target.now(), events: [] };
    runs.set(key, run);
    const stateMachineArn = arnOf(machine);
    if (!stateMachineArn) {
      run.startError = `no ${MACHINES[machine].name} state machine is deployed`;
      return;
    }
    try {
      const out = await c.sfn.send(
        new StartExecutionCommand({ stateMachineArn, name: `check-${key}`, input: JSON.stringify(input) }),
      );
      arns.set(key, out.executionArn!);
    } catch (err) {
      run.startError = (err as Error).message;
    }
    // One at a time: each execution's first Lambda finds the sandbox the one before warmed up,
    // instead of a dozen cold starts at once.
    await target.run(STAGGER_MS);
  };
  for (const a of ANALYSES) await launch(a.key, 'analysis', a.input);
  for (const k of CULTURES) await launch(k.key, 'culture', k.input);
  for (const r of RESPONSES) await launch(r.key, 'response', r.input);
  await launch(WAVE.key, 'wave', WAVE.input);
  for (const a of Object.values(ALERTS)) await launch(a.key, 'alert', a.input);

  // The alerts wait for a person; everything else is over long before.
  await target.run(start + scenario.approveAfter - target.now());
  const approveAt = target.now();
  const alertsBeforeAnswer = new Map<string, string>();
  const tokens = new Map<string, string | undefined>();
  const answerErrors = new Map<string, string>();
  const approvals = deployment.resources.get('ApprovalTable')?.physicalId;
  for (const alert of Object.values(ALERTS)) {
    const arn = arns.get(alert.key);
    if (arn)
      alertsBeforeAnswer.set(
        alert.key,
        (await c.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status ?? '',
      );
    tokens.set(alert.key, approvals ? await tokenOf(target, approvals, alert.input.virusId) : undefined);
  }
  const answer = async (key: string, send: (token: string) => Promise<unknown>) => {
    const token = tokens.get(key);
    if (!token) return;
    try {
      await send(token);
    } catch (err) {
      answerErrors.set(key, `${(err as Error).name}: ${(err as Error).message}`);
    }
  };
  await answer(ALERTS.approved.key, (taskToken) =>
    c.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(APPROVAL_OUTPUT) })),
  );
  await answer(ALERTS.rejected.key, (taskToken) =>
    c.sfn.send(new SendTaskFailureCommand({ taskToken, ...REJECTION })),
  );

  await target.run(start + scenario.endAfter - target.now());

  for (const [key, arn] of arns) {
    const run = runs.get(key)!;
    const d = await c.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    run.status = d.status ?? '';
    run.error = d.error;
    run.cause = d.cause;
    run.output = parse(d.output);
    run.start = d.startDate?.getTime() ?? run.start;
    run.stop = d.stopDate?.getTime();
    run.events = await executionHistory(target, arn);
  }

  let statsResponses: number | undefined;
  const lab = deployment.resources.get('LabTable')?.physicalId;
  if (lab) {
    try {
      const out = await c.dynamodb.send(
        new GetItemCommand({ TableName: lab, Key: { id: { S: 'stats' } }, ConsistentRead: true }),
      );
      statsResponses = out.Item?.responses?.N === undefined ? 0 : Number(out.Item.responses.N);
    } catch {
      statsResponses = undefined;
    }
  }

  const virusIds = new Set<string>();
  const viruses = deployment.resources.get('VirusTable')?.physicalId;
  if (viruses) {
    let key: Record<string, any> | undefined;
    do {
      const page = await c.dynamodb.send(new ScanCommand({ TableName: viruses, ExclusiveStartKey: key }));
      for (const item of page.Items ?? []) if (item.id?.S) virusIds.add(item.id.S);
      key = page.LastEvaluatedKey;
    } while (key);
  }
  return {
    scenario,
    runs,
    alertsBeforeAnswer,
    tokens,
    payloadHasToken: payloadHasToken(ctx.template),
    answerErrors,
    statsResponses,
    virusIds,
    approveAt,
    start,
  };
}

async function tokenOf(target: Target, table: string, virusId: string): Promise<string | undefined> {
  try {
    const out = await target
      .clients()
      .dynamodb.send(
        new GetItemCommand({ TableName: table, Key: { id: { S: virusId } }, ConsistentRead: true }),
      );
    return out.Item?.token?.S;
  } catch {
    return undefined;
  }
}

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Does some state of labAlert pass the task token in its Payload: `'token.$': '$$.Task.Token'`
 * in JSONPath, `$states.context.Task.Token` in a JSONata Arguments' Payload? Without it the
 * Lambda has no token to keep, whatever it does.
 */
export function payloadHasToken(template: BehaviourContext['template']): boolean {
  const machine = template.Resources[MACHINES.alert.logicalId];
  const states = machine
    ? Object.values(stateMachineDefinition({ logicalId: MACHINES.alert.logicalId, ...machine })?.States ?? {})
    : [];
  return states.some((state) => {
    const { Parameters, Arguments } = state as {
      Parameters?: { Payload?: Record<string, unknown> };
      Arguments?: { Payload?: unknown };
    };
    const jsonPath = Object.values(Parameters?.Payload ?? {}).includes('$$.Task.Token');
    // The JSONata token may sit in one field's expression or in an expression for the whole Payload.
    const jsonata = JSON.stringify(Arguments?.Payload ?? null).includes('$states.context.Task.Token');
    return jsonPath || jsonata;
  });
}
