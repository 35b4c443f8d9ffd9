/**
 * DynamoDB: dynalite (a faithful DynamoDB on LevelDB) behind the gateway. The gateway checks
 * the caller's IAM permissions, hands the request as is to dynalite's request handler in
 * memory (dynalite-exchange.ts), and traces every write with the invocation that made it.
 *
 * dynalite has no streams, so they live beside it (streams.ts): StreamSpecification is taken
 * off CreateTable and UpdateTable and put back into what they and DescribeTable answer, and
 * a write to a table with a stream reads the items it touches before and after (a
 * consistent GetItem each), one such write at a time, so each change is recorded in order.
 */
import type { Server } from 'node:http';
import dynalite from 'dynalite';
import { crc32 } from 'node:zlib';
import type { Trace } from '../core/trace.ts';
import type { GatewayRequest } from '../gateway/server.ts';
import { TableStreams, type AttributeMap } from './streams.ts';
import { exchange, type DynaliteReply } from './dynalite-exchange.ts';
import { realSleep, settledWithin } from '../core/real-time.ts';

export interface DynamoDbOptions {
  /** A folder for data that survives restarts (`npm run dev`); in memory when absent. */
  path?: string;
  trace: Trace;
  /** Where stream ARNs point, and the virtual time of stream records. */
  region: string;
  accountId: string;
  now(): number;
  authorize(req: GatewayRequest, service: 'dynamodb', action: string, input: any): void;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

type Reply = DynaliteReply;

/** Real time stop() gives requests dynalite is still working on. */
const IN_FLIGHT_GRACE_MS = 1000;

/** One item a write touches, read from its input: the traced unit and the streamed one. */
interface WriteOp {
  table: string;
  op: string;
  item?: AttributeMap;
  key?: AttributeMap;
}

export class DynamoDb {
  private server: Server | undefined;
  /** Requests dynalite is working on: stop() lets them end before it closes dynalite's store. */
  private readonly inFlight = new Set<Promise<unknown>>();

  /** The tables' streams (dynalite has none). */
  readonly streams: TableStreams;

  constructor(private readonly options: DynamoDbOptions) {
    this.streams = new TableStreams(options);
  }

  async start(): Promise<void> {
    // Tables are ACTIVE at once: learners should not wait on CREATING locally.
    const server = dynalite({
      path: this.options.path,
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    }) as Server;
    // Nothing connects to this port (requests reach the handler in memory), but dynalite's
    // close() closes its LevelDB only on a listening server, and a disk store must be closed
    // to be opened again (npm run dev restarting in the same process).
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    // A request still in dynalite (a handler's write as its check ends) would go on writing
    // into a closed store, and its throw would be uncaught: let them end, a second at most.
    if (this.inFlight.size > 0)
      await settledWithin(Promise.allSettled([...this.inFlight]), IN_FLIGHT_GRACE_MS);
    server.closeAllConnections?.();
    // dynalite's close also closes its LevelDB (so a disk store can be reopened). It polls
    // with timers: call it after the virtual clock is uninstalled.
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Handles one DynamoDB JSON-protocol call from the gateway. */
  async handle(action: string, input: any, req: GatewayRequest): Promise<Reply> {
    this.options.authorize(req, 'dynamodb', action, input);
    if (action === 'CreateTable' || action === 'UpdateTable' || action === 'DescribeTable')
      return this.tableCall(action, input, () => this.forward(req));
    const out = await this.write(action, input, () => this.forward(req), req.caller);
    if (action === 'DeleteTable' && out.status === 200) this.streams.disable(input.TableName);
    return out;
  }

  /** Checks a call against the caller's role (the streams API's calls too). */
  authorize(req: GatewayRequest, action: string, input: unknown): void {
    this.options.authorize(req, 'dynamodb', action, input);
  }

  /**
   * A call from inside the local cloud (Step Functions' DynamoDB integration): as a client's,
   * its writes are traced and streamed. Throws AWS's error as an Error named by its code.
   */
  async request(action: string, input: any): Promise<any> {
    const body = Buffer.from(JSON.stringify(input));
    return parseReply(
      action,
      await this.write(action, input, () => this.send(body, dynaliteHeaders(action))),
    );
  }

  /**
   * After a CreateTable: until dynalite has made the table ACTIVE, which it does on a timer of
   * its own (createTableMs 0). The call still answers CREATING, as AWS's does; the next call
   * finds it ACTIVE (on AWS a script waits for it; locally it is ACTIVE at once, which a
   * PutItem sent right after the answer could beat under load). False if it never was.
   */
  async untilActive(tableName: string): Promise<boolean> {
    const describe = Buffer.from(JSON.stringify({ TableName: tableName }));
    for (let i = 0; i < 500; i++) {
      const out = await this.send(describe, dynaliteHeaders('DescribeTable'));
      if (out.status !== 200) return false;
      if (JSON.parse(out.body.toString('utf8')).Table?.TableStatus === 'ACTIVE') return true;
      await realSleep(2);
    }
    return false;
  }

  /** Calls dynalite directly (for the stack loader, which deploys tables): nothing is streamed. */
  async call(action: string, input: unknown): Promise<any> {
    return parseReply(action, await this.send(Buffer.from(JSON.stringify(input)), dynaliteHeaders(action)));
  }

  /**
   * CreateTable, UpdateTable and DescribeTable with streams: dynalite gets the call without
   * StreamSpecification, the answer gets the stream's fields.
   */
  private async tableCall(action: string, input: any, forward: () => Promise<Reply>): Promise<Reply> {
    const spec = input.StreamSpecification as
      { StreamEnabled?: boolean; StreamViewType?: string } | undefined;
    const { StreamSpecification: _spec, ...rest } = input;
    if (spec?.StreamEnabled) this.streams.checkEnable(input.TableName, spec.StreamViewType);
    let out: Reply;
    if (action === 'DescribeTable' || !spec) out = await forward();
    else if (action === 'UpdateTable' && Object.keys(rest).every((k) => k === 'TableName'))
      // Only the stream changes: dynalite would refuse an UpdateTable with nothing to do.
      out = await this.send(
        Buffer.from(JSON.stringify({ TableName: rest.TableName })),
        dynaliteHeaders('DescribeTable'),
      );
    else out = await this.send(Buffer.from(JSON.stringify(rest)), dynaliteHeaders(action));
    if (out.status !== 200) return out;
    if (action === 'CreateTable') await this.untilActive(input.TableName);
    const reply = JSON.parse(out.body.toString('utf8'));
    const table = reply.TableDescription ?? reply.Table;
    if (spec?.StreamEnabled) this.streams.enable(input.TableName, spec.StreamViewType, table.KeySchema);
    else if (spec) this.streams.disable(input.TableName);
    const latest = this.streams.latest(input.TableName);
    if (latest) {
      const enabled = this.streams.enabled(input.TableName);
      table.StreamSpecification = enabled
        ? { StreamEnabled: true, StreamViewType: enabled.viewType }
        : { StreamEnabled: false };
      table.LatestStreamArn = latest.arn;
      table.LatestStreamLabel = latest.label;
    }
    const body = Buffer.from(JSON.stringify(action === 'UpdateTable' ? { TableDescription: table } : reply));
    return { ...out, body, headers: { ...out.headers, 'x-amz-crc32': String(crc32(body)) } };
  }

  /**
   * Runs a call; when it writes to a table with a stream, reads each touched item before and
   * after, and records the changes. Such writes run one at a time.
   */
  private async write(
    action: string,
    input: any,
    run: () => Promise<Reply>,
    caller?: GatewayRequest['caller'],
  ): Promise<Reply> {
    if (!WRITES.has(action)) return run();
    const ops = writeOps(action, input);
    const streamed = ops.filter((o) => o.op !== 'ConditionCheck' && this.streams.enabled(o.table));
    if (streamed.length === 0) {
      const out = await run();
      if (out.status === 200) this.traceWrite(ops, caller);
      return out;
    }
    const turn = this.writes.then(async () => {
      const keys = streamed.map((o) => this.keyOf(o));
      const before = await Promise.all(streamed.map((o, i) => this.read(o.table, keys[i])));
      const out = await run();
      if (out.status !== 200) return out;
      const after = await Promise.all(streamed.map((o, i) => this.read(o.table, keys[i])));
      const seqs = this.traceWrite(ops, caller);
      streamed.forEach((o, i) =>
        this.streams.append(o.table, {
          keys: keys[i],
          oldImage: before[i],
          newImage: after[i],
          cause: seqs[ops.indexOf(o)],
        }),
      );
      return out;
    });
    this.writes = turn.catch(() => undefined);
    return turn;
  }

  private writes: Promise<unknown> = Promise.resolve();

  /** The item's key: the Key given, or the key attributes of the Item put. */
  private keyOf(o: WriteOp): AttributeMap {
    if (o.key) return o.key;
    const names = this.streams.keyNames(o.table);
    return Object.fromEntries(names.filter((n) => o.item?.[n] !== undefined).map((n) => [n, o.item![n]]));
  }

  private async read(table: string, key: AttributeMap): Promise<AttributeMap | undefined> {
    try {
      return (await this.call('GetItem', { TableName: table, Key: key, ConsistentRead: true })).Item;
    } catch {
      return undefined; // a key dynalite refuses: the write itself fails the same way
    }
  }

  private forward(req: GatewayRequest) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v;
    }
    return this.send(req.body, headers);
  }

  private send(body: Buffer, headers: Record<string, string>): Promise<Reply> {
    if (!this.server) return Promise.reject(new Error('The local DynamoDB is not running.'));
    const reply = exchange(this.server, body, headers);
    this.inFlight.add(reply);
    const done = () => void this.inFlight.delete(reply);
    reply.then(done, done);
    return reply;
  }

  /** Traces each item written; returns each op's trace entry seq (the cause of its stream record). */
  private traceWrite(ops: WriteOp[], caller?: GatewayRequest['caller']): Array<number | undefined> {
    const base = { function: caller?.functionName, requestId: caller?.requestId, cause: caller?.invokeSeq };
    return ops.map((o) =>
      o.op === 'ConditionCheck'
        ? undefined
        : this.options.trace.record({ kind: 'dynamodb.write', ...base, ...o }).seq,
    );
  }
}

/** The items a write touches, in the order of its input. */
function writeOps(action: string, input: any): WriteOp[] {
  if (action === 'BatchWriteItem')
    return Object.entries(input.RequestItems ?? {}).flatMap(([table, ops]) =>
      (ops as any[]).map((op) => {
        const put = op.PutRequest?.Item;
        return { table, op: put ? 'PutItem' : 'DeleteItem', item: put, key: op.DeleteRequest?.Key };
      }),
    );
  if (action === 'TransactWriteItems')
    return (input.TransactItems ?? []).map((t: object) => {
      const [op, body] = Object.entries(t)[0] as [string, any];
      return { table: body.TableName, op, item: body.Item, key: body.Key };
    });
  return [{ table: input.TableName, op: action, item: input.Item, key: input.Key }];
}

function dynaliteHeaders(action: string): Record<string, string> {
  return {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `DynamoDB_20120810.${action}`,
    authorization:
      'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    'x-amz-date': '20260101T000000Z',
  };
}

function parseReply(action: string, out: Reply): any {
  const parsed = JSON.parse(out.body.toString('utf8') || '{}');
  if (out.status !== 200) {
    const err = new Error(parsed.message ?? parsed.Message ?? `DynamoDB ${action} failed`);
    err.name = String(parsed.__type ?? 'DynamoDBError')
      .split('#')
      .pop()!;
    throw err;
  }
  return parsed;
}
