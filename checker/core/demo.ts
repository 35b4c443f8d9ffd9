/**
 * A session's demo, as data: the few calls an instructor makes in front of the room (invoke a
 * function, put an event, start an execution, answer a task token...). Each step is written
 * once, in checker/sessions/session-N/demo.ts, and from it come both the AWS CLI (or curl) line
 * that is printed, for the room to copy, and the AWS SDK call that is made, so the two never
 * disagree. Resources are named as in serverless.ts (`createVirus`, `labAlert`) and found on
 * the target by the stage's prefix (`dojo-serverless-local-createVirus`).
 *
 *   const steps: DemoStep[] = [{ say: 'One virus', invoke: 'createVirus', keep: 'virus' }];
 *   for (const step of steps) await runStep(step, world, print);
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import {
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ApiGatewayV2Client, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { UsageError } from './repo.ts';

/** What a step's values may name: `{virus}` is the id an earlier step kept as `virus`. */
type Template = string;

export type DemoStep = { say: string; keep?: string } & (
  | { invoke: string; payload?: unknown }
  | { scan: { fn: string; env: string } }
  | { http: { method: 'GET' | 'POST' | 'DELETE'; path: Template } }
  | { putEvent: { busOf: string; source: string; detailType: string; detail: unknown } }
  | { startExecution: { machine: string; input: unknown } }
  | { running: string }
  | { sendTaskSuccess: { machine: string; output: unknown } }
);

export interface DemoClients {
  lambda: LambdaClient;
  dynamodb: DynamoDBClient;
  events: EventBridgeClient;
  sfn: SFNClient;
  apis: ApiGatewayV2Client;
}

export interface DemoWorld {
  clients: DemoClients;
  /** The service's name prefix on this stage, e.g. `dojo-serverless-local-`. */
  prefix: string;
  /** The HTTP API's name osls gives it, `<stage>-dojo-serverless`. */
  apiName: string;
  /** Ids kept by earlier steps. */
  kept: Record<string, string>;
  /** How long a step waits for what an earlier one set off (real ms). */
  waitMs: number;
}

export function demoClients(config: {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}): DemoClients {
  return {
    lambda: new LambdaClient(config),
    dynamodb: new DynamoDBClient(config),
    events: new EventBridgeClient(config),
    sfn: new SFNClient(config),
    apis: new ApiGatewayV2Client(config),
  };
}

export function destroyDemoClients(c: DemoClients): void {
  for (const client of Object.values(c)) client.destroy();
}

/** What one step did: the command shown, and what came back, in a line or two. */
export interface StepOutcome {
  command: string;
  result: string;
}

/** Runs one step: resolves its names on the target, makes the call, keeps an id if asked. */
export async function runStep(step: DemoStep, world: DemoWorld): Promise<StepOutcome> {
  const c = world.clients;
  const keep = (id: unknown) => {
    if (step.keep && typeof id === 'string') world.kept[step.keep] = id;
  };
  if ('invoke' in step) {
    const name = await functionName(world, step.invoke);
    const payload = JSON.stringify(step.payload ?? {});
    const r = await c.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(payload) }));
    const text = r.Payload ? Buffer.from(r.Payload).toString('utf8') : '';
    if (r.FunctionError) throw new DemoError(`${step.invoke} failed: ${text}`);
    keep(parse(text)?.id);
    return {
      command: `aws lambda invoke --function-name ${name} --cli-binary-format raw-in-base64-out --payload ${quote(payload)} /dev/stdout`,
      result: text,
    };
  }
  if ('scan' in step) {
    const table = await environmentOf(world, step.scan.fn, step.scan.env);
    const r = await c.dynamodb.send(new ScanCommand({ TableName: table }));
    const ids = (r.Items ?? []).map((i) => i.id?.S).filter(Boolean);
    return {
      command: `aws dynamodb scan --table-name ${table}`,
      result: `${ids.length} item${ids.length === 1 ? '' : 's'}${ids.length ? `: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}` : ''}`,
    };
  }
  if ('http' in step) {
    const url = `${await apiUrl(world)}${fill(step.http.path, world)}`;
    const response = await fetch(url, { method: step.http.method });
    const body = await response.text();
    if (response.status >= 400)
      throw new DemoError(`${step.http.method} ${url} answered ${response.status}: ${body}`);
    keep(parse(body)?.id);
    return {
      command: `curl -s -X ${step.http.method} ${url}`,
      result: `${response.status}${body ? ` ${oneLine(body)}` : ''}`,
    };
  }
  if ('putEvent' in step) {
    const bus = await environmentOf(world, step.putEvent.busOf, 'EVENT_BUS_NAME');
    const entry = {
      EventBusName: bus,
      Source: step.putEvent.source,
      DetailType: step.putEvent.detailType,
      Detail: JSON.stringify(step.putEvent.detail),
    };
    const r = await c.events.send(new PutEventsCommand({ Entries: [entry] }));
    if (r.FailedEntryCount) throw new DemoError(`The event was refused: ${r.Entries?.[0]?.ErrorMessage}`);
    return {
      command: `aws events put-events --entries ${quote(JSON.stringify([entry]))}`,
      result: `event ${r.Entries?.[0]?.EventId} on ${bus}`,
    };
  }
  if ('startExecution' in step) {
    const arn = await machineArn(world, step.startExecution.machine);
    const input = JSON.stringify(step.startExecution.input);
    const r = await c.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input }));
    keep(r.executionArn);
    return {
      command: `aws stepfunctions start-execution --state-machine-arn ${arn} --input ${quote(input)}`,
      result: `started ${r.executionArn}`,
    };
  }
  if ('running' in step) {
    const arn = await machineArn(world, step.running);
    const running = await waitFor(world, `a running execution of ${step.running}`, async () => {
      const r = await c.sfn.send(
        new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'RUNNING' }),
      );
      return r.executions?.length ? r.executions : undefined;
    });
    keep(running[0].executionArn);
    return {
      command: `aws stepfunctions list-executions --state-machine-arn ${arn} --status-filter RUNNING`,
      result: running.map((e) => `${e.name} running since ${e.startDate?.toISOString()}`).join('\n'),
    };
  }
  const { machine, output } = step.sendTaskSuccess;
  const arn = await machineArn(world, machine);
  // The newest execution waiting on a token: its TaskScheduled event holds the token it was given.
  const found = await waitFor(world, `an execution of ${machine} waiting on a task token`, async () => {
    const r = await c.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'RUNNING' }));
    for (const e of r.executions ?? []) {
      const history = await c.sfn.send(
        new GetExecutionHistoryCommand({ executionArn: e.executionArn, reverseOrder: true }),
      );
      for (const event of history.events ?? []) {
        const token = findToken(parse(event.taskScheduledEventDetails?.parameters ?? ''));
        if (token) return { executionArn: e.executionArn!, token };
      }
    }
    return undefined;
  });
  const taskOutput = JSON.stringify(output);
  await c.sfn.send(new SendTaskSuccessCommand({ taskToken: found.token, output: taskOutput }));
  keep(found.executionArn);
  return {
    command: [
      `aws stepfunctions list-executions --state-machine-arn ${arn} --status-filter RUNNING`,
      `aws stepfunctions get-execution-history --execution-arn ${found.executionArn} --reverse-order   # the token: TaskScheduled's parameters`,
      `aws stepfunctions send-task-success --task-token ${quote(found.token)} --task-output ${quote(taskOutput)}`,
    ].join('\n'),
    result: `answered the task of ${found.executionArn}`,
  };
}

/** A demo that cannot go on: what is missing, and what to do. */
export class DemoError extends UsageError {}

async function functionName(world: DemoWorld, fn: string): Promise<string> {
  const wanted = `${world.prefix}${fn}`;
  let marker: string | undefined;
  do {
    const page = await world.clients.lambda.send(new ListFunctionsCommand({ Marker: marker }));
    if (page.Functions?.some((f) => f.FunctionName === wanted)) return wanted;
    marker = page.NextMarker;
  } while (marker);
  throw missing(`the function ${fn} (${wanted})`);
}

async function environmentOf(world: DemoWorld, fn: string, variable: string): Promise<string> {
  const name = await functionName(world, fn);
  const r = await world.clients.lambda.send(new GetFunctionCommand({ FunctionName: name }));
  const value = r.Configuration?.Environment?.Variables?.[variable];
  if (!value)
    throw new DemoError(
      `${fn} has no ${variable} in its environment: is the session's serverless.ts deployed?`,
    );
  return value;
}

async function machineArn(world: DemoWorld, machine: string): Promise<string> {
  const wanted = `${world.prefix}${machine}`;
  let nextToken: string | undefined;
  do {
    const page = await world.clients.sfn.send(new ListStateMachinesCommand({ nextToken }));
    const found = page.stateMachines?.find((m) => m.name === wanted);
    if (found?.stateMachineArn) return found.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  throw missing(`the state machine ${machine} (${wanted})`);
}

async function apiUrl(world: DemoWorld): Promise<string> {
  const r = await world.clients.apis.send(new GetApisCommand({}));
  const api =
    r.Items?.find((a) => a.Name === world.apiName) ?? (r.Items?.length === 1 ? r.Items[0] : undefined);
  if (!api?.ApiEndpoint) throw missing(`the HTTP API ${world.apiName}`);
  return api.ApiEndpoint.replace(/\/+$/, '');
}

function missing(what: string): DemoError {
  return new DemoError(
    `${what} is not deployed here. Deploy the session's solution first: npm start -- --dir solutions/session-N (or npm run deploy -- --aws --dir solutions/session-N).`,
  );
}

/** Waits (in real time) for what an earlier step set off: an event reaches its rule, a Lambda its state. */
async function waitFor<T>(world: DemoWorld, what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const until = performance.now() + world.waitMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (performance.now() > until)
      throw new DemoError(
        `No ${what} after ${world.waitMs / 1000} s: did the step above reach it? The board's timeline shows where it stopped.`,
      );
    await new Promise((r) => realSetTimeout(r, 250));
  }
}

// The real timer: a process that runs a local cloud has its global one on the virtual clock.
const realSetTimeout = globalThis.setTimeout;

function findToken(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, v] of Object.entries(value)) {
    if (/token/i.test(key) && typeof v === 'string') return v;
    const inner = findToken(v);
    if (inner) return inner;
  }
  return undefined;
}

function fill(template: Template, world: DemoWorld): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => {
    const value = world.kept[name];
    if (value === undefined)
      throw new DemoError(`Nothing kept as ${name} for ${template}: the step that makes it comes first.`);
    return encodeURIComponent(value);
  });
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A shell word: single quotes, with any single quote inside closed and escaped. */
function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').slice(0, 200);
}
