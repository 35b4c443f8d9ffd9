import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VirtualClock } from '../core/clock.ts';
import { AwsError } from '../core/errors.ts';
import type { Caller } from '../lambda/service.ts';
import { credentialOf } from './sigv4.ts';

/**
 * The gateway: one loopback port that speaks the AWS wire protocols, so unmodified AWS
 * SDK v3 clients and the AWS CLI work through `AWS_ENDPOINT_URL`. JSON services are routed
 * by `X-Amz-Target`, REST ones by path. Errors go back in AWS's shape.
 */
export interface GatewayRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The Lambda sandbox that signed the request; undefined for outside clients (full access). */
  caller?: Caller;
  raw: IncomingMessage;
}

// Kept here rather than imported: the HTTP API module depends on the gateway, not the reverse.
const EXECUTE_API_PATH = '/_aws/execute-api/';

export type JsonHandler = (action: string, input: any, req: GatewayRequest) => Promise<unknown>;
export type RawHandler = (req: GatewayRequest, res: ServerResponse) => Promise<void>;

export interface GatewayOptions {
  port?: number;
  clock: VirtualClock;
  callerFor(accessKeyId: string): Caller | undefined;
}

export class Gateway {
  private server: Server | undefined;
  private readonly json = new Map<string, { handler: JsonHandler; contentType: string }>();
  private readonly raw: Array<{ match: (req: GatewayRequest) => boolean; handler: RawHandler; hold: boolean }> = [];
  url = '';
  port = 0;

  constructor(private readonly options: GatewayOptions) {}

  /** A JSON-protocol service, by its X-Amz-Target prefix (e.g. `AWSEvents`). */
  jsonService(targetPrefix: string, handler: JsonHandler, contentType = 'application/x-amz-json-1.1'): void {
    this.json.set(targetPrefix, { handler, contentType });
  }

  /** A REST-style route. `hold: false` for streams that must not stop virtual time from jumping. */
  route(match: (req: GatewayRequest) => boolean, handler: RawHandler, hold = true): void {
    this.raw.push({ match, handler, hold });
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 60_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE') {
          reject(new Error(`Port ${this.options.port} is already in use on 127.0.0.1: another local cloud (npm start, npm run dev) is probably running. Stop it, or choose another port with --port.`));
        } else reject(err);
      });
      // Loopback only: the local cloud is never reachable from the network.
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // The server lives in virtual time too. Node's own Date header is real time: a client on
    // virtual time would see clock skew and retry on a backoff that a paused clock never ends.
    res.setHeader('date', new Date(this.options.clock.now()).toUTCString());
    // AWS's service APIs answer browsers (the SDK works in a page); so does the gateway, for
    // the board's approvals. HTTP APIs are left alone: their CORS is the learner's to configure.
    if (!url.pathname.startsWith(EXECUTE_API_PATH)) {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-expose-headers', 'x-amzn-requestid,x-amzn-errortype,x-amz-function-error,x-amz-log-result');
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
        res.writeHead(204, { 'access-control-allow-methods': 'GET,POST,PUT,DELETE,OPTIONS', 'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? '*'), 'access-control-max-age': '600' }).end();
        return;
      }
    }
    let release: (() => void) | undefined;
    try {
      const body = await readBody(req);
      const cred = credentialOf(req.headers.authorization, url.searchParams);
      const greq: GatewayRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        caller: cred ? this.options.callerFor(cred.accessKeyId) : undefined,
        raw: req,
      };
      const target = req.headers['x-amz-target'];
      const service = typeof target === 'string' && req.method === 'POST' ? this.json.get(target.split('.')[0]) : undefined;
      if (service) {
        const action = String(target).split('.')[1];
        release = this.options.clock.hold();
        const input = body.length ? JSON.parse(body.toString('utf8')) : {};
        const output = await service.handler(action, input, greq);
        send(res, 200, service.contentType, JSON.stringify(output ?? {}));
        return;
      }
      const route = this.raw.find((r) => r.match(greq));
      if (!route) {
        if (typeof target === 'string') throw new AwsError('UnknownOperationException', `The local cloud does not serve ${target}.`, 400);
        throw new AwsError('UnknownOperationException', `The local cloud has no route for ${req.method} ${url.pathname}.`, 404);
      }
      if (route.hold) release = this.options.clock.hold();
      await route.handler(greq, res);
    } catch (err) {
      sendError(res, err, req.headers['x-amz-target'] ? 'json' : 'rest');
    } finally {
      if (release) {
        if (res.writableFinished) release();
        else res.once('close', release);
      }
    }
  }
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': crypto.randomUUID(), ...headers });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json', JSON.stringify(value), headers);
}

/** AWS's error shape: `x-amzn-ErrorType` and `__type` carry the code, `message` the words. */
export function sendError(res: ServerResponse, err: unknown, style: 'json' | 'rest'): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const e =
    err instanceof AwsError
      ? err
      : err instanceof SyntaxError
        ? new AwsError('SerializationException', `The request body is not valid JSON: ${err.message}`, 400)
        : new AwsError('InternalFailure', `The local cloud failed on this request: ${(err as Error)?.message ?? err}. Please report it with the steps that led here.`, 500);
  const body = style === 'json' ? { __type: e.code, message: e.message, ...e.extra } : { message: e.message, ...e.extra };
  send(res, e.status, style === 'json' ? 'application/x-amz-json-1.1' : 'application/json', JSON.stringify(body), { 'x-amzn-errortype': e.code });
}
