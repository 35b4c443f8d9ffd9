/**
 * What the checker sees of session 3's bonus part on a deployed service, through what a board
 * and AWS's APIs show: two WebSocket clients (Node's own WebSocket) connect, the connection
 * table gains their ids; a virus written into the table and then deleted reaches both as
 * pushed messages; a connection that is gone (an id whose board vanished without $disconnect)
 * is dropped when a push meets GoneException; a client that closes leaves the table. Locally
 * the trace adds how each pushVirus invocation ended and why a handshake was refused, and
 * says when all that could happen has (push-settled.ts): a wait then ends, not at its timeout.
 */
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { Template } from '../../../emulator/index.ts';
import { realNow, realSleep } from '../../../emulator/index.ts';
import type { Deployment, Target } from '../../core/target.ts';
import { scanAll, tableName } from '../session-1/deployed.ts';
import type { LambdaError } from '../session-1/errors.ts';
import { pushPart, shortFunction, type PushPart } from './push-part.ts';
import { PushSettled } from './push-settled.ts';

export interface PushRun {
  ok: boolean;
  error?: LambdaError;
}

export interface PushObservation {
  url: string;
  /** The push function's name in serverless.ts, and its WEBSOCKET_ENDPOINT as deployed. */
  pushFunction: string;
  endpoint?: string;
  stage?: string;
  /** How many of the two clients got through the handshake; `refused` says why one did not. */
  opened: number;
  refused?: string;
  /** Items the connection table gained when the two clients connected. */
  added?: number;
  /** The virus written then deleted (the first push), and the one written with a stale connection in the table. */
  first: { id: string; createdAt: string };
  second: { id: string; createdAt: string };
  /** What each client received, parsed when it is JSON. */
  received: unknown[][];
  /** The made-up connection id standing for a board gone without $disconnect, and whether the push dropped it. */
  staleId: string;
  staleRemoved?: boolean;
  /** The connection table's size just before and after one client closed. */
  closing?: { before: number; after: number };
  /** pushVirus's invocations during the pushes, from the trace; undefined on AWS. */
  runs?: PushRun[];
}

/**
 * Real time a push may take to reach the clients: a stream's records reach Lambda within a
 * second on AWS. Locally a wait ends sooner, once the trace shows nothing more is coming.
 */
const PUSH_WAIT_MS = { local: 8000, aws: 20_000 };
/** Real time a handshake (or a close) may take: $connect's (or $disconnect's) first run starts its function cold. */
const HANDSHAKE_WAIT_MS = 30_000;

export async function observePush(
  target: Target,
  deployment: Deployment,
  template: Template,
): Promise<PushObservation | undefined> {
  const part = pushPart(template);
  const url = target.webSocketUrl(deployment);
  const tableId = part.connectionTable?.logicalId;
  const connectionTable = tableId ? deployment.resources.get(tableId)?.physicalId : undefined;
  const virusTable = tableName(deployment);
  const key = part.connectionTable?.key ?? 'connectionId';
  if (!url || !connectionTable || !virusTable || !part.mapping?.functionId) return undefined;

  const pushFunction = shortFunction(template, part.mapping.functionId);
  const ddb = DynamoDBDocumentClient.from(target.clients().dynamodb);
  let wait = PUSH_WAIT_MS[target.kind];
  const fromSeq = target.trace?.all().at(-1)?.seq ?? 0;
  const settled = target.trace && settledOf(target.trace, part, virusTable, target, fromSeq);
  const mark = () => settled?.mark() ?? 0;
  const received = () => o.received.flat().length;
  /** Whether the virus table's writes since `from` have caused all they will (local only). */
  const pushed = (from: number) => settled && (() => settled.writes(from, received()));
  const now = () => new Date(target.now()).toISOString();
  const o: PushObservation = {
    url,
    pushFunction,
    ...(await deployedEndpoint(target, deployment, part.mapping.functionId)),
    opened: 0,
    first: { id: randomUUID(), createdAt: now() },
    second: { id: randomUUID(), createdAt: '' },
    received: [[], []],
    staleId: staleConnectionId(),
  };

  const before = (await scanAll(target, connectionTable)).length;
  const clients = await Promise.all(
    [0, 1].map((i) => Client.open(url, o.received[i], target, HANDSHAKE_WAIT_MS)),
  );
  try {
    o.opened = clients.filter((c) => c.open).length;
    if (o.opened < 2) {
      o.refused = refusal(target, fromSeq) ?? clients.find((c) => c.failure)?.failure;
      return o;
    }
    await settle(target, 1000);
    o.added = (await scanAll(target, connectionTable)).length - before;

    // The first push: a virus appears and is killed; both clients should hear of both.
    const firstFrom = mark();
    await ddb.send(new PutCommand({ TableName: virusTable, Item: o.first }));
    await ddb.send(new DeleteCommand({ TableName: virusTable, Key: { id: o.first.id } }));
    await until(target, wait, () => o.received.every((r) => has(r, 'REMOVE', o.first.id)), pushed(firstFrom));

    // A push that reached nobody is judged already: what follows needs no long waits.
    const heard = o.received.some((r) => r.length > 0);
    if (!heard) wait = Math.min(wait, 1000);

    // The second: a connection that is gone sits in the table, as when $disconnect never ran.
    const secondFrom = mark();
    await ddb.send(
      new PutCommand({ TableName: connectionTable, Item: { [key]: o.staleId, connectedAt: now() } }),
    );
    o.second.createdAt = now();
    await ddb.send(new PutCommand({ TableName: virusTable, Item: o.second }));
    await until(
      target,
      wait,
      () => o.received.every((r) => has(r, 'INSERT', o.second.id)),
      pushed(secondFrom),
    );
    const stale = async () =>
      (await scanAll(target, connectionTable)).some((item) => item[key] === o.staleId);
    o.staleRemoved = await untilAsync(target, wait / 2, async () => !(await stale()), pushed(secondFrom));
    const pushName = deployment.resources.get(part.mapping.functionId)?.physicalId;
    if (target.trace && pushName) o.runs = pushRuns(target.trace, pushName, fromSeq);

    // One board leaves: $disconnect should take it out of the table.
    o.closing = { before: (await scanAll(target, connectionTable)).length, after: 0 };
    // $disconnect's first run starts its function cold, as $connect's did.
    const closeFrom = mark();
    await clients[1].close(target, wait);
    const left = async () => (await scanAll(target, connectionTable)).length < o.closing!.before;
    await untilAsync(target, HANDSHAKE_WAIT_MS, left, settled && (() => settled.closed(closeFrom)));
    o.closing.after = (await scanAll(target, connectionTable)).length;
    return o;
  } finally {
    await Promise.all(clients.map((c) => c.close(target, 1000)));
    await ddb.send(new DeleteCommand({ TableName: virusTable, Key: { id: o.second.id } })).catch(() => {});
  }
}

/** A WebSocket client as a board is one: it opens, collects what is pushed, closes. */
class Client {
  open = false;
  failure?: string;
  private closed: Promise<void>;

  private constructor(
    private readonly socket: WebSocket,
    received: unknown[],
  ) {
    socket.addEventListener('message', (m) => received.push(parseMessage(m.data)));
    this.closed = new Promise((resolve) => socket.addEventListener('close', () => resolve()));
  }

  static async open(url: string, received: unknown[], target: Target, waitMs: number): Promise<Client> {
    const client = new Client(new WebSocket(url), received);
    const outcome = new Promise<void>((resolve) => {
      client.socket.addEventListener('open', () => {
        client.open = true;
        resolve();
      });
      client.socket.addEventListener('error', (e) => {
        client.failure = (e as ErrorEvent).message || 'the handshake was refused';
        resolve();
      });
    });
    // $connect runs on the target: let its clock move while the handshake waits for it.
    await Promise.race([outcome, until(target, waitMs, () => client.open || client.failure !== undefined)]);
    if (!client.open && client.failure === undefined) client.failure = `no answer in ${waitMs / 1000} s`;
    return client;
  }

  async close(target: Target, waitMs: number): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close(1000, 'bye');
    let done = false;
    void this.closed.then(() => (done = true));
    await until(target, waitMs, () => done);
  }
}

/**
 * Lets the target's clock move in small steps until `ready`, or `ms` of real time have passed,
 * or `settled` says nothing more will happen (then `ready` has had its last chance).
 */
async function until(
  target: Target,
  ms: number,
  ready: () => boolean,
  settled?: () => boolean,
): Promise<boolean> {
  return untilAsync(target, ms, async () => ready(), settled);
}

async function untilAsync(
  target: Target,
  ms: number,
  ready: () => Promise<boolean>,
  settled: () => boolean = () => false,
): Promise<boolean> {
  // Real time: on the local target, Date follows the virtual clock.
  const end = realNow() + ms;
  while (realNow() < end) {
    // Asked before `ready`, so that what had settled is there when `ready` looks.
    const done = settled();
    if (await ready()) return true;
    if (done) return false;
    await settle(target, 250);
  }
  return ready();
}

/** What tells, locally, that the observation's waits are over: the trace, and what the template says runs. */
function settledOf(
  trace: NonNullable<Target['trace']>,
  part: PushPart,
  table: string,
  target: Target,
  fromSeq: number,
): PushSettled {
  const window = part.mapping?.resource.Properties?.MaximumBatchingWindowInSeconds ?? 0;
  return new PushSettled(trace, {
    table,
    // A window the template does not state as a number: only time tells when its batch goes.
    batchWindowMs: typeof window === 'number' ? window * 1000 : Infinity,
    disconnectRuns: part.routes.get('$disconnect') !== undefined,
    now: () => target.now(),
    fromSeq,
  });
}

/** A step of the target's clock, and a breath of real time for what runs outside it (the handlers, the sockets). */
async function settle(target: Target, ms: number): Promise<void> {
  await target.run(target.kind === 'local' ? ms : Math.min(ms, 250));
  if (target.kind === 'local') await realSleep(20);
}

function has(messages: unknown[], type: string, id: string): boolean {
  return messages.some((m) => isMessage(m) && m.type === type && m.virus.id === id);
}

export function isMessage(m: unknown): m is { type: string; virus: { id: string; createdAt?: unknown } } {
  const v = m as { type?: unknown; virus?: { id?: unknown } } | undefined;
  return typeof v?.type === 'string' && typeof v.virus?.id === 'string';
}

function parseMessage(data: unknown): unknown {
  const text = typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** An id shaped as AWS's (15 characters and `=`) that no connection has. */
function staleConnectionId(): string {
  return `Gone${randomUUID().replace(/-/g, '').slice(0, 11)}=`;
}

async function deployedEndpoint(
  target: Target,
  deployment: Deployment,
  functionId: string,
): Promise<{ endpoint?: string; stage?: string }> {
  const stage = [...deployment.resources.values()].find(
    (r) => r.type === 'AWS::ApiGatewayV2::Stage' && r.logicalId.startsWith('Websockets'),
  )?.physicalId;
  const name = deployment.resources.get(functionId)?.physicalId;
  if (!name) return { stage };
  try {
    const fn = await target.clients().lambda.send(new GetFunctionCommand({ FunctionName: name }));
    return { endpoint: fn.Configuration?.Environment?.Variables?.WEBSOCKET_ENDPOINT, stage };
  } catch {
    return { stage };
  }
}

/** Why the local cloud refused a handshake: the status $connect gave, and its error if it threw. */
function refusal(target: Target, fromSeq: number): string | undefined {
  const trace = target.trace;
  const refused = trace?.find(
    'websocket.connect',
    (e) => e.seq > fromSeq && (e.status < 200 || e.status > 299),
  )[0];
  if (!trace || !refused) return undefined;
  const start = trace.find(
    'invoke.start',
    (e) => e.seq > fromSeq && e.source === `$connect ${refused.connectionId}`,
  )[0];
  const end = start && trace.find('invoke.end', (e) => e.cause === start.seq)[0];
  const error = end?.error ? ` (${end.error.errorType}: ${end.error.errorMessage})` : '';
  return `$connect answered ${refused.status}${error}`;
}

function pushRuns(trace: NonNullable<Target['trace']>, functionName: string, fromSeq: number): PushRun[] {
  return trace
    .find('invoke.end', (e) => e.seq > fromSeq && e.function === functionName)
    .map((e) => ({ ok: e.ok, ...(e.error ? { error: e.error } : {}) }));
}
