/**
 * Calls a handler's SDK clients make to AWS endpoints it names itself go to the local cloud.
 *
 * `AWS_ENDPOINT_URL` already points a client built without an endpoint at the gateway; a
 * handler that names one (`new DynamoDBClient({ endpoint: 'https://dynamodb.us-east-1.amazonaws.com' })`,
 * or AWS's WebSocket examples' `new ApiGatewayManagementApiClient({ endpoint:
 * 'https://{api}.execute-api.{region}.amazonaws.com/{stage}' })`) would reach AWS. So each
 * client gets one middleware, last before the request leaves (after signing), that sends
 * a request for a host ending in `amazonaws.com` (or `amazonaws.com.cn`) to the gateway:
 *
 *   https://{host}[:port]{path}?{query}  →  http://127.0.0.1:{gateway port}{path}?{query}
 *   with the Host header left as signed: `Host: {host}`
 *
 * Path, query, headers and body are untouched, so the gateway sees what AWS would (an
 * execute-api call keeps `Host: {api}.execute-api.{region}.amazonaws.com` and `/{stage}/...`;
 * a DynamoDB one its `X-Amz-Target`). Only the learner's handlers get this: the kit's own
 * clients are configured with the local endpoint and never name AWS's.
 */
import { findClientClasses } from './sandbox-sdk-calls.ts';

const AWS_HOST = /(^|\.)amazonaws\.com(\.cn)?$/;
const ROUTED = Symbol.for('serverless-dojo.local-endpoints');

interface HttpRequestLike {
  protocol: string;
  hostname: string;
  port?: number;
  headers: Record<string, string>;
}

interface ClientLike {
  middlewareStack: {
    add(mw: unknown, options: { step: string; priority: string; name: string }): void;
  };
}

/** Clients that have the middleware already (each gets it once, on its first send). */
const routedClients = new WeakSet<object>();

/** Rewrites `request` in place when it is bound for AWS; true when it did. */
export function routeToGateway(request: HttpRequestLike, gateway: URL): boolean {
  if (!AWS_HOST.test(request.hostname)) return false;
  request.headers.host ??= request.hostname + (request.port ? `:${request.port}` : '');
  request.protocol = gateway.protocol;
  request.hostname = gateway.hostname;
  request.port = Number(gateway.port);
  return true;
}

/** Adds the middleware to every client the handler at `sourceFile` builds from now on. */
export function routeAwsEndpoints(sourceFile: string, endpoint: string): void {
  const gateway = new URL(endpoint);
  const middleware =
    (next: (args: { request: unknown }) => Promise<unknown>) => (args: { request: unknown }) => {
      const request = args.request as Partial<HttpRequestLike> | undefined;
      if (request && typeof request.hostname === 'string' && request.headers)
        routeToGateway(request as HttpRequestLike, gateway);
      return next(args);
    };
  for (const Client of findClientClasses(sourceFile)) {
    const proto = Client.prototype as { send: (...args: unknown[]) => unknown; [ROUTED]?: boolean };
    if (proto[ROUTED]) continue;
    proto[ROUTED] = true;
    const send = proto.send;
    proto.send = function (this: ClientLike, ...args: unknown[]) {
      if (!routedClients.has(this)) {
        routedClients.add(this);
        // The deserialize step runs after finalizeRequest (signing); low priority puts it
        // innermost, right before the request handler sends the request.
        this.middlewareStack.add(middleware, {
          step: 'deserialize',
          priority: 'low',
          name: 'dojoLocalEndpointMiddleware',
        });
      }
      return send.apply(this, args);
    };
  }
}
