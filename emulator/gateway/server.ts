/**
 * The gateway: one loopback port that speaks the AWS wire protocols, so unmodified AWS
 * SDK v3 clients and the AWS CLI work through `AWS_ENDPOINT_URL`. JSON services are routed
 * by `X-Amz-Target`, Query-protocol ones (a form POST with `Action` and `Version`) by
 * `Version`, REST ones by path. Errors go back in AWS's shape.
 */
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { VirtualClock } from '../core/clock.ts';
import { AwsError } from '../core/errors.ts';
import type { Caller } from '../lambda/service.ts';
import { credentialOf, type Credential } from './sigv4.ts';
import { realClearTimeout, realSetTimeout } from '../core/real-time.ts';

export interface GatewayRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** Who signed it (SigV4 Authorization header or presigned query), read once by the gateway. */
  credential?: Credential;
  /** An `X-Amz-Target` request's JSON body, parsed once by the gateway (a JSON object). */
  input?: Record<string, unknown>;
  /** The Lambda sandbox that signed the request; undefined for outside clients (full access). */
  caller?: Caller;
  raw: IncomingMessage;
}

// Kept here rather than imported: the HTTP API module depends on the gateway, not the reverse.
const EXECUTE_API_PATH = '/_aws/execute-api/';
const DOJO_PATH = '/_dojo/';
const LAMBDA_INVOKE_PATH = /^\/2015-03-31\/functions\/[^/]+\/invocations$/;

/** A body limit: its size, and AWS's answer beyond it. */
export interface BodyLimit {
  bytes: number;
  error(): AwsError;
}

const MB = 1024 * 1024;
/**
 * The largest request body each API takes, as AWS enforces it, and AWS's answer beyond it.
 * Lambda: 6 MB for a synchronous Invoke's payload (Lambda quotas,
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html), refused with
 * RequestTooLargeException (413). HTTP APIs: a 10 MB payload (API Gateway quotas,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html), refused
 * with 413 {"message":"Request Entity Too Large"}. The JSON APIs (DynamoDB, EventBridge,
 * Step Functions): 16 MB, DynamoDB's largest request (BatchWriteItem); each service refuses
 * smaller requests in its own terms (an item over 400 KB, events over 256 KB). S3 (a request
 * signed for it, in its header or a presigned URL): a single PUT of up to 5 GB (S3 quotas,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html), EntityTooLarge beyond.
 */
const LIMITS = {
  s3: {
    bytes: 5 * 1024 ** 3,
    error: () =>
      new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.', 400),
  },
  invoke: {
    bytes: 6 * MB,
    error: () =>
      new AwsError(
        'RequestTooLargeException',
        `Request must be smaller than ${6 * MB} bytes for the InvokeFunction operation`,
        413,
        { Type: 'User' },
      ),
  },
  httpApi: {
    bytes: 10 * MB,
    error: () => new AwsError('RequestEntityTooLarge', 'Request Entity Too Large', 413),
  },
  json: {
    bytes: 16 * MB,
    error: () =>
      new AwsError('RequestEntityTooLargeException', `Request must be smaller than ${16 * MB} bytes`, 413),
  },
} satisfies Record<string, BodyLimit>;

export function bodyLimit(path: string, credential?: Credential): BodyLimit {
  if (credential?.service === 's3') return LIMITS.s3;
  if (LAMBDA_INVOKE_PATH.test(path)) return LIMITS.invoke;
  if (path.startsWith(EXECUTE_API_PATH)) return LIMITS.httpApi;
  return LIMITS.json;
}

/** AWS's answer to a client that stops sending mid-request (S3's words; the others just close). */
const requestTimeout = (ms: number) =>
  new AwsError(
    'RequestTimeout',
    `Your socket connection to the server was not read from or written to within the timeout period (${ms / 1000} s): the request was incomplete.`,
    408,
  );

export type JsonHandler = (action: string, input: any, req: GatewayRequest) => Promise<unknown>;
export type RawHandler = (req: GatewayRequest, res: ServerResponse) => Promise<void>;
/** Takes over a connection that asks to upgrade (a WebSocket handshake) at `path`. */
export type UpgradeHandler = (req: IncomingMessage, socket: Socket, head: Buffer, path: string) => void;

/**
 * `<apiId>.execute-api.<region>.amazonaws.com`: a call aimed at AWS's address for an API
 * (a handler's own ApiGatewayManagementApiClient endpoint, routed here by the Lambda
 * runtime) is served as `/_aws/execute-api/<apiId>/<path>`, the path form of the same API.
 */
const EXECUTE_API_HOST = /^([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com(?::\d+)?$/i;

export function executeApiPath(host: string | undefined, pathname: string): string {
  const apiId = host && EXECUTE_API_HOST.exec(host)?.[1];
  return apiId ? `${EXECUTE_API_PATH}${apiId}${pathname}` : pathname;
}

export type QueryHandler = (
  action: string,
  form: URLSearchParams,
  req: GatewayRequest,
  res: ServerResponse,
) => Promise<void>;

export interface GatewayOptions {
  port?: number;
  clock: VirtualClock;
  callerFor(accessKeyId: string): Caller | undefined;
}

export class Gateway {
  private server: Server | undefined;
  private readonly json = new Map<string, { handler: JsonHandler; contentType: string }>();
  private readonly query = new Map<string, QueryHandler>();
  private readonly raw: Array<{
    match: (req: GatewayRequest) => boolean;
    handler: RawHandler;
    hold: boolean;
  }> = [];
  private readonly upgrades: Array<{ match: (path: string) => boolean; handler: UpgradeHandler }> = [];
  url = '';
  port = 0;
  private timeoutMs = 60_000;

  /**
   * Real milliseconds a client has to send a whole request (headers and body); a client that
   * stalls longer gets a 408 and its connection closed, so it holds no handler, lock or clock.
   */
  get requestTimeoutMs(): number {
    return this.timeoutMs;
  }

  set requestTimeoutMs(ms: number) {
    this.timeoutMs = ms;
    if (this.server) this.server.headersTimeout = ms;
  }

  constructor(private readonly options: GatewayOptions) {}

  /** A JSON-protocol service, by its X-Amz-Target prefix (e.g. `AWSEvents`). */
  jsonService(targetPrefix: string, handler: JsonHandler, contentType = 'application/x-amz-json-1.1'): void {
    this.json.set(targetPrefix, { handler, contentType });
  }

  /** A Query-protocol service (form POST, XML answer), by its API `Version` (e.g. `2010-05-15`). */
  queryService(version: string, handler: QueryHandler): void {
    this.query.set(version, handler);
  }

  /** A REST-style route. `hold: false` for streams that must not stop virtual time from jumping. */
  route(match: (req: GatewayRequest) => boolean, handler: RawHandler, hold = true): void {
    this.raw.push({ match, handler, hold });
  }

  /** Connections that upgrade (WebSockets) at a path `match` accepts. */
  upgrade(match: (path: string) => boolean, handler: UpgradeHandler): void {
    this.upgrades.push({ match, handler });
  }

  async listen(): Promise<string> {
    // Node's own check of slow headers runs every connectionsCheckingInterval.
    const server = createServer(
      { connectionsCheckingInterval: 1000 },
      (req, res) => void this.handle(req, res),
    );
    server.keepAliveTimeout = 60_000;
    server.headersTimeout = this.requestTimeoutMs;
    server.requestTimeout = 0;
    // Malformed HTTP (a garbage request line, headers too slow or too large) never reaches a
    // handler: answer it in AWS's shape, as Node would in its own, and close the connection.
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      if (
        !socket.writable ||
        (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent
      ) {
        socket.destroy();
        return;
      }
      const e =
        err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? requestTimeout(server.headersTimeout)
          : err.code === 'HPE_HEADER_OVERFLOW'
            ? new AwsError(
                'RequestHeaderSectionTooLarge',
                'Your request header section exceeds the maximum allowed size.',
                431,
              )
            : new AwsError('BadRequest', `The request is not valid HTTP: ${err.code ?? err.message}.`, 400);
      const body = JSON.stringify({ __type: e.code, message: e.message });
      socket.end(
        `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-amzn-errortype: ${e.code}\r\nconnection: close\r\n\r\n${body}`,
      );
    });
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      let path: string;
      try {
        path = executeApiPath(
          req.headers.host,
          decodeURI(new URL(req.url ?? '/', 'http://127.0.0.1').pathname),
        );
      } catch {
        path = '';
      }
      const upgrade = this.upgrades.find((u) => u.match(path));
      if (upgrade) upgrade.handler(req, socket, head, path);
      else
        socket.end(
          `HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n${JSON.stringify({ message: `The local cloud has no WebSocket API at ${req.url}.` })}`,
        );
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE') {
          reject(
            new Error(
              `Port ${this.options.port} is already in use on 127.0.0.1: another local cloud (npm start, npm run dev) is probably running. Stop it, or choose another port with --port.`,
            ),
          );
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

  private date = { second: NaN, text: '' };

  /** The virtual now as an HTTP date, formatted once a virtual second (it has no finer unit). */
  private dateHeader(): string {
    const second = Math.floor(this.options.clock.now() / 1000);
    if (second !== this.date.second) this.date = { second, text: new Date(second * 1000).toUTCString() };
    return this.date.text;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Nothing a client sends may end the process: whatever escapes is answered as a 500.
    try {
      await this.serve(req, res);
    } catch (err) {
      sendError(res, err, 'json');
    }
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
      decodeURIComponent(url.pathname);
      url.pathname = executeApiPath(req.headers.host, url.pathname);
    } catch {
      sendError(
        res,
        new AwsError('InvalidURI', `Could not parse the request URI ${JSON.stringify(req.url)}.`, 400),
        'rest',
      );
      return;
    }
    // The server lives in virtual time too. Node's own Date header is real time: a client on
    // virtual time would see clock skew and retry on a backoff that a paused clock never ends.
    res.setHeader('date', this.dateHeader());
    // AWS's service APIs answer browsers (the SDK works in a page); so does the gateway, for
    // the board's approvals. HTTP APIs are left alone: their CORS is the learner's to configure.
    if (!url.pathname.startsWith(EXECUTE_API_PATH)) {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader(
        'access-control-expose-headers',
        'x-amzn-requestid,x-amzn-errortype,x-amz-function-error,x-amz-log-result',
      );
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
        res
          .writeHead(204, {
            'access-control-allow-methods': 'GET,POST,PUT,DELETE,OPTIONS',
            'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? '*'),
            'access-control-max-age': '600',
          })
          .end();
        return;
      }
    }
    let release: (() => void) | undefined;
    try {
      const cred = credentialOf(req.headers.authorization, url.searchParams);
      const body = await readBody(req, bodyLimit(url.pathname, cred), this.requestTimeoutMs);
      // The learner's HTTP APIs read Authorization themselves, the dojo's own routes need none;
      // AWS's APIs want SigV4.
      if (!url.pathname.startsWith(EXECUTE_API_PATH) && !url.pathname.startsWith(DOJO_PATH))
        checkSignatureShape(req.headers.authorization);
      const target = req.headers['x-amz-target'];
      // AWS's JSON protocol takes an object: anything else is refused here, before a service
      // (or dynalite, which does not survive a `null`) sees it.
      const input =
        typeof target === 'string' && req.method === 'POST' && !url.pathname.startsWith(EXECUTE_API_PATH)
          ? jsonObject(body)
          : undefined;
      const greq: GatewayRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        credential: cred,
        input,
        caller: cred ? this.options.callerFor(cred.accessKeyId) : undefined,
        raw: req,
      };
      const service =
        typeof target === 'string' && req.method === 'POST' ? this.json.get(target.split('.')[0]) : undefined;
      if (service) {
        const action = String(target).split('.')[1];
        release = this.options.clock.hold();
        const output = await service.handler(action, input, greq);
        send(res, 200, service.contentType, JSON.stringify(output ?? {}));
        return;
      }
      const query = queryRequest(greq);
      const queryHandler = query ? this.query.get(query.get('Version') ?? '') : undefined;
      if (query && queryHandler) {
        release = this.options.clock.hold();
        try {
          await queryHandler(query.get('Action') ?? '', query, greq, res);
        } catch (err) {
          sendQueryError(res, err);
        }
        return;
      }
      const route = this.raw.find((r) => r.match(greq));
      if (!route) {
        if (typeof target === 'string')
          throw new AwsError('UnknownOperationException', `The local cloud does not serve ${target}.`, 400);
        throw new AwsError(
          'UnknownOperationException',
          `The local cloud has no route for ${req.method} ${url.pathname}.`,
          404,
        );
      }
      if (route.hold) release = this.options.clock.hold();
      await route.handler(greq, res);
    } catch (err) {
      // A client cut off mid-body (too slow, too big) may still be sending: close after the answer.
      if (err instanceof AwsError && (err.status === 408 || err.status === 413) && !res.headersSent)
        res.setHeader('connection', 'close');
      sendError(res, err, req.headers['x-amz-target'] ? 'json' : 'rest');
    } finally {
      if (release) {
        if (res.writableFinished) release();
        else res.once('close', release);
      }
    }
  }
}

/**
 * The whole body, within `limit` (beyond it, the rest is read and dropped, then AWS's 413)
 * and within `timeoutMs` of real time (a stalled client gets a 408 and is cut off).
 */
export function readBody(
  req: IncomingMessage,
  limit: BodyLimit = bodyLimit(req.url ?? '/'),
  timeoutMs = 60_000,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | undefined) => {
      if (done) return;
      done = true;
      realClearTimeout(timer);
      if (err) reject(err);
      else if (size > limit.bytes) reject(limit.error());
      else resolve(Buffer.concat(chunks));
    };
    // Real time: a paused virtual clock must not let a stalled client hold the server forever.
    const timer = realSetTimeout(() => {
      finish(requestTimeout(timeoutMs));
    }, timeoutMs);
    timer.unref();
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit.bytes) chunks.push(c);
    });
    req.on('end', () => finish(undefined));
    req.on('error', (err) => finish(err));
    req.on('close', () =>
      finish(
        req.complete
          ? undefined
          : new AwsError(
              'RequestAborted',
              'The client closed the connection before the request was complete.',
              400,
            ),
      ),
    );
  });
}

/** A Query-protocol request's form (a form-encoded POST naming an Action), or undefined. */
function queryRequest(req: GatewayRequest): URLSearchParams | undefined {
  if (req.method !== 'POST' || req.headers['x-amz-target'] !== undefined) return undefined;
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
    return undefined;
  const form = new URLSearchParams(req.body.toString('utf8'));
  return form.has('Action') ? form : undefined;
}

/** The Query protocol's error shape: `<ErrorResponse><Error><Type/><Code/><Message/></Error>`. */
export function sendQueryError(res: ServerResponse, err: unknown): void {
  const e =
    err instanceof AwsError
      ? err
      : new AwsError(
          'InternalFailure',
          `The local cloud failed on this request: ${(err as Error)?.message ?? err}. Please report it with the steps that led here.`,
          500,
        );
  const requestId = crypto.randomUUID();
  const text = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  send(
    res,
    e.status,
    'text/xml',
    `<ErrorResponse><Error><Type>${e.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${e.code}</Code><Message>${text(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    { 'x-amzn-requestid': requestId },
  );
}

/** A JSON-protocol body: empty means `{}`; not JSON, or not an object, is AWS's SerializationException. */
function jsonObject(body: Buffer): Record<string, unknown> {
  const input: unknown = body.length ? JSON.parse(body.toString('utf8')) : {};
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    throw new AwsError(
      'SerializationException',
      'Start of structure or map found where not expected: the request body must be a JSON object.',
      400,
    );
  return input as Record<string, unknown>;
}

const SIGNATURE_PARTS = ['Credential', 'Signature', 'SignedHeaders'].map((name) => ({
  name,
  pattern: new RegExp(`${name}=[^,\\s]+`),
}));
const CREDENTIAL = /Credential=([^,\s]+)/;

/**
 * A SigV4 Authorization header must name its credential, signed headers and signature;
 * AWS refuses one that does not with IncompleteSignatureException. (The local cloud does not
 * verify signatures: any key is welcome, it only tells a Lambda sandbox from an outside client.)
 */
function checkSignatureShape(authorization: string | undefined): void {
  if (authorization === undefined || authorization.trim() === '') return;
  const missing = SIGNATURE_PARTS.filter((p) => !p.pattern.test(authorization)).map((p) => p.name);
  const shown = `Authorization=${authorization.slice(0, 60)}`;
  if (!authorization.startsWith('AWS4-HMAC-SHA256 ') || missing.length > 0) {
    throw new AwsError(
      'IncompleteSignatureException',
      `${(missing.length ? missing : ['Credential', 'Signature', 'SignedHeaders']).map((p) => `Authorization header requires '${p}' parameter.`).join(' ')} ${shown}`,
      400,
    );
  }
  const credential = CREDENTIAL.exec(authorization)![1];
  if (credential.split('/').length !== 5)
    throw new AwsError(
      'IncompleteSignatureException',
      `Credential should be scoped to a valid region, not '${credential.slice(0, 60)}'. ${shown}`,
      400,
    );
}

export function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': crypto.randomUUID(),
    ...headers,
  });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
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
        : new AwsError(
            'InternalFailure',
            `The local cloud failed on this request: ${(err as Error)?.message ?? err}. Please report it with the steps that led here.`,
            500,
          );
  const body =
    style === 'json'
      ? { __type: e.code, message: e.message, ...e.extra }
      : { message: e.message, ...e.extra };
  send(
    res,
    e.status,
    style === 'json' ? 'application/x-amz-json-1.1' : 'application/json',
    JSON.stringify(body),
    { 'x-amzn-errortype': e.code },
  );
}
