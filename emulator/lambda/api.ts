/**
 * Lambda's REST API on the gateway: Invoke (`POST /2015-03-31/functions/{name}/invocations`)
 * and ListFunctions / GetFunction, in the shapes @aws-sdk/client-lambda and the AWS CLI expect;
 * and the event source mappings (`/2015-03-31/event-source-mappings/[{UUID}]`: POST creates,
 * GET reads or lists, PUT updates, DELETE deletes; 202 for the changes, as Lambda answers).
 */
import type { ServerResponse } from 'node:http';
import { AwsError } from '../core/errors.ts';
import type { Authorizer } from '../gateway/authorize.ts';
import { send, sendJson, type Gateway, type GatewayRequest } from '../gateway/server.ts';
import type { EventSourceMappings } from './event-source-mappings.ts';
import type { LambdaService } from './service.ts';
import type { ApiCatalogue } from '../gateway/api-catalogue.ts';

export const lambdaApi: ApiCatalogue = {
  service: 'Lambda',
  protocol: 'REST-JSON (/2015-03-31/functions...)',
  actions: [
    'Invoke',
    'ListFunctions',
    'GetFunction',
    'CreateEventSourceMapping',
    'GetEventSourceMapping',
    'ListEventSourceMappings',
    'UpdateEventSourceMapping',
    'DeleteEventSourceMapping',
  ],
};

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const FUNCTION = /^\/2015-03-31\/functions\/([^/]+)$/;

/** Serves the API on the gateway, each call checked against the caller's role. */
export function registerLambdaApi(gateway: Gateway, lambda: LambdaService, authorizer: Authorizer): void {
  const authorize = (req: GatewayRequest, action: string, input: unknown) =>
    authorizer.authorize(req, 'lambda', action, input);
  // No gateway hold: the invocation holds the clock itself (see LambdaService).
  gateway.route(isLambdaRequest, (req, res) => handleLambdaRequest(lambda, authorize, req, res), false);
}

const MAPPINGS = /^\/2015-03-31\/event-source-mappings\/?([^/]*)$/;

/** Serves CreateEventSourceMapping and its siblings, each checked against the caller's role. */
export function registerEventSourceMappingApi(
  gateway: Gateway,
  mappings: EventSourceMappings,
  authorizer: Authorizer,
): void {
  gateway.route(
    (req) => MAPPINGS.test(req.path),
    async (req, res) => {
      const uuid = decodeURIComponent(MAPPINGS.exec(req.path)![1]);
      const body = req.body.length ? (JSON.parse(req.body.toString('utf8')) as Record<string, any>) : {};
      const authorize = (action: string) => authorizer.authorize(req, 'lambda', action, {});
      const wire = (v: ReturnType<EventSourceMappings['get']>) => ({
        ...v,
        LastModified: v.LastModified.getTime() / 1000,
      });
      if (!uuid && req.method === 'POST') {
        authorize('CreateEventSourceMapping');
        return sendJson(res, 202, wire(mappings.create(body)));
      }
      if (!uuid && req.method === 'GET') {
        authorize('ListEventSourceMappings');
        const list = mappings.list({
          FunctionName: req.query.get('FunctionName') ?? undefined,
          EventSourceArn: req.query.get('EventSourceArn') ?? undefined,
        });
        return sendJson(res, 200, { EventSourceMappings: list.map(wire) });
      }
      if (uuid && req.method === 'GET') {
        authorize('GetEventSourceMapping');
        return sendJson(res, 200, wire(mappings.get(uuid)));
      }
      if (uuid && req.method === 'PUT') {
        authorize('UpdateEventSourceMapping');
        return sendJson(res, 202, wire(mappings.update(uuid, body)));
      }
      if (uuid && req.method === 'DELETE') {
        authorize('DeleteEventSourceMapping');
        return sendJson(res, 202, wire(mappings.delete(uuid)));
      }
      throw new AwsError(
        'UnknownOperationException',
        `The local cloud's Lambda does not serve ${req.method} ${req.path}.`,
        404,
      );
    },
  );
}

export function isLambdaRequest(req: GatewayRequest): boolean {
  return req.path.startsWith('/2015-03-31/functions');
}

export async function handleLambdaRequest(
  lambda: LambdaService,
  authorize: (req: GatewayRequest, action: string, input: unknown) => void,
  req: GatewayRequest,
  res: ServerResponse,
): Promise<void> {
  const invoke = INVOKE.exec(req.path);
  if (invoke && req.method === 'POST') {
    const name = decodeURIComponent(invoke[1]);
    authorize(req, 'Invoke', { FunctionName: name });
    const type = (req.headers['x-amz-invocation-type'] as string | undefined) ?? 'RequestResponse';
    let event: unknown = null;
    if (req.body.length) {
      try {
        event = JSON.parse(req.body.toString('utf8'));
      } catch {
        throw new AwsError(
          'InvalidRequestContentException',
          'Could not parse request body into json: Could not parse payload into json: Unexpected character: was expecting a JSON value.',
          400,
          { Type: 'User' },
        );
      }
    }
    if (type === 'DryRun') {
      if (!lambda.get(name)) throw notFound(lambda, name);
      send(res, 204, 'application/json', '');
      return;
    }
    const cause = req.caller?.invokeSeq;
    const result = await lambda.invoke(name, event, {
      invocationType: type === 'Event' ? 'Event' : 'RequestResponse',
      cause,
      source: req.caller ? `lambda ${req.caller.functionName}` : 'api',
    });
    if (type === 'Event') {
      send(res, 202, 'application/json', '', { 'x-amzn-requestid': result.requestId });
      return;
    }
    const headers: Record<string, string> = {
      'x-amz-executed-version': '$LATEST',
      'x-amzn-requestid': result.requestId,
    };
    if (!result.ok) headers['x-amz-function-error'] = 'Unhandled';
    if (req.headers['x-amz-log-type'] === 'Tail') {
      // Lambda returns the last 4 KB of the log, base64-encoded.
      headers['x-amz-log-result'] = Buffer.from(result.logs.join('\n').slice(-4096)).toString('base64');
    }
    send(res, 200, 'application/json', JSON.stringify(result.payload ?? null), headers);
    return;
  }
  if (req.path === '/2015-03-31/functions' || req.path === '/2015-03-31/functions/') {
    authorize(req, 'ListFunctions', {});
    sendJson(res, 200, { Functions: lambda.list().map(describe), NextMarker: null });
    return;
  }
  const fn = FUNCTION.exec(req.path);
  if (fn && req.method === 'GET') {
    const name = decodeURIComponent(fn[1]);
    const f = lambda.get(name);
    if (!f) throw notFound(lambda, name);
    sendJson(res, 200, { Configuration: describe(f), Code: { RepositoryType: 'S3' } });
    return;
  }
  throw new AwsError(
    'UnknownOperationException',
    `The local cloud's Lambda does not serve ${req.method} ${req.path}.`,
    404,
  );
}

function notFound(lambda: LambdaService, name: string): AwsError {
  return new AwsError(
    'ResourceNotFoundException',
    `Function not found: ${name.startsWith('arn:') ? name : lambda.arnOf(name)}`,
    404,
    { Type: 'User' },
  );
}

function describe(f: ReturnType<LambdaService['list']>[number]) {
  return {
    FunctionName: f.name,
    FunctionArn: f.arn,
    Runtime: 'nodejs22.x',
    Role: f.roleArn,
    Handler: f.handler,
    Timeout: f.timeout,
    MemorySize: f.memorySize,
    Environment: { Variables: f.environment },
    Version: '$LATEST',
    State: 'Active',
    PackageType: 'Zip',
  };
}
