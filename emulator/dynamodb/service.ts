/**
 * DynamoDB: dynalite (a faithful DynamoDB on LevelDB) behind the gateway. dynalite listens
 * on a private loopback port; the gateway checks the caller's IAM permissions, forwards
 * the request as is, and traces every write with the invocation that made it.
 */
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import dynalite from 'dynalite';
import type { Trace } from '../core/trace.ts';
import type { GatewayRequest } from '../gateway/server.ts';

export interface DynamoDbOptions {
  /** A folder for data that survives restarts (`npm run dev`); in memory when absent. */
  path?: string;
  trace: Trace;
  authorize(req: GatewayRequest, service: 'dynamodb', action: string, input: any): void;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export class DynamoDb {
  private server: Server | undefined;
  private port = 0;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly options: DynamoDbOptions) {}

  async start(): Promise<void> {
    // Tables are ACTIVE at once: learners should not wait on CREATING locally.
    const server = dynalite({
      path: this.options.path,
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    }) as Server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections?.();
    // dynalite's close also closes its LevelDB (so a disk store can be reopened). It polls
    // with timers: call it after the virtual clock is uninstalled.
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Handles one DynamoDB JSON-protocol call from the gateway. */
  async handle(
    action: string,
    input: any,
    req: GatewayRequest,
  ): Promise<{ status: number; body: Buffer; headers: Record<string, string> }> {
    this.options.authorize(req, 'dynamodb', action, input);
    const out = await this.forward(req);
    if (out.status === 200 && WRITES.has(action)) this.traceWrite(action, input, req);
    return out;
  }

  /** Calls dynalite directly (for the stack loader, which deploys tables). */
  async call(action: string, input: unknown): Promise<any> {
    const body = Buffer.from(JSON.stringify(input));
    const out = await this.send(body, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${action}`,
      authorization:
        'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      'x-amz-date': '20260101T000000Z',
    });
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

  private forward(req: GatewayRequest) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v;
    }
    return this.send(req.body, headers);
  }

  private send(
    body: Buffer,
    headers: Record<string, string>,
    retried = false,
  ): Promise<{ status: number; body: Buffer; headers: Record<string, string> }> {
    return new Promise((resolve, reject) => {
      const r = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method: 'POST',
          path: '/',
          agent: this.agent,
          headers: { ...headers, 'content-length': String(body.length) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const out: Record<string, string> = {};
            for (const k of ['content-type', 'x-amzn-requestid', 'x-amz-crc32']) {
              const v = res.headers[k];
              if (typeof v === 'string') out[k] = v;
            }
            resolve({ status: res.statusCode ?? 500, body: Buffer.concat(chunks), headers: out });
          });
          res.on('error', reject);
        },
      );
      r.on('error', (err: NodeJS.ErrnoException) => {
        // dynalite closed an idle keep-alive socket just as this request reused it: nothing
        // reached it, so sending again is safe (Node's documented remedy, see reusedSocket).
        if (!retried && r.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE'))
          this.send(body, headers, true).then(resolve, reject);
        else reject(err);
      });
      r.end(body);
    });
  }

  private traceWrite(action: string, input: any, req: GatewayRequest): void {
    const caller = req.caller;
    const base = { function: caller?.functionName, requestId: caller?.requestId, cause: caller?.invokeSeq };
    if (action === 'BatchWriteItem') {
      for (const [table, ops] of Object.entries(input.RequestItems ?? {})) {
        for (const op of ops as any[]) {
          const put = op.PutRequest?.Item;
          this.options.trace.record({
            kind: 'dynamodb.write',
            ...base,
            table,
            op: put ? 'PutItem' : 'DeleteItem',
            item: put,
            key: op.DeleteRequest?.Key,
          });
        }
      }
      return;
    }
    if (action === 'TransactWriteItems') {
      for (const t of input.TransactItems ?? []) {
        const [op, body] = Object.entries(t)[0] as [string, any];
        this.options.trace.record({
          kind: 'dynamodb.write',
          ...base,
          table: body.TableName,
          op,
          item: body.Item,
          key: body.Key,
        });
      }
      return;
    }
    this.options.trace.record({
      kind: 'dynamodb.write',
      ...base,
      table: input.TableName,
      op: action,
      item: input.Item,
      key: input.Key,
    });
  }
}
