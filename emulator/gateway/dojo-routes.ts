/**
 * The local cloud's own endpoints, under `/_dojo/`, for the board, the CLI and the checker:
 * health, the clock (read, set speed, fast-forward), the trace (JSON and a live SSE
 * stream) and what is deployed. They allow any origin: the board is served from the guide.
 */
import { createSession } from 'better-sse';
import type { ServerResponse } from 'node:http';
import { parseDuration, type Speed, type VirtualClock } from '../core/clock.ts';
import { AwsError } from '../core/errors.ts';
import type { Trace, TraceEntry } from '../core/trace.ts';
import type { HttpApis } from '../apigateway/service.ts';
import type { WebSocketApis } from '../apigateway/websocket/service.ts';
import type { LambdaService } from '../lambda/service.ts';
import type { DeployedStack } from '../stack/provider.ts';
import { sendJson, type Gateway, type GatewayRequest } from './server.ts';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'content-type',
  'access-control-allow-methods': 'GET,POST,OPTIONS',
};

/** What the routes read of the local cloud (the LocalCloud itself; named here so this module need not import it). */
export interface DojoRoutesCloud {
  readonly endpoint: string;
  readonly region: string;
  readonly clock: VirtualClock;
  readonly trace: Trace;
  readonly stacks: ReadonlyMap<string, DeployedStack>;
  readonly httpApis: HttpApis;
  readonly webSockets: WebSocketApis;
  readonly lambda: LambdaService;
}

export function dojoRoutes(cloud: DojoRoutesCloud, gateway: Gateway): void {
  const is = (method: string, path: string) => (req: GatewayRequest) =>
    req.method === method && req.path === path;
  const json = (res: ServerResponse, status: number, value: unknown) => sendJson(res, status, value, CORS);

  gateway.route(
    (req) => req.method === 'OPTIONS' && req.path.startsWith('/_dojo/'),
    async (_req, res) => {
      res.writeHead(204, CORS).end();
    },
  );

  gateway.route(is('GET', '/_dojo/health'), async (_req, res) =>
    json(res, 200, { ok: true, endpoint: cloud.endpoint, region: cloud.region, clock: cloud.clock.state() }),
  );

  gateway.route(is('GET', '/_dojo/clock'), async (_req, res) => json(res, 200, cloud.clock.state()));

  // Body: { "speed": 60 | "max" | "paused" } and/or { "advance": "5m" }.
  gateway.route(is('POST', '/_dojo/clock'), async (req, res) => {
    const body = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
    if (body.speed !== undefined) {
      const speed: Speed = body.speed === 'max' || body.speed === 'paused' ? body.speed : Number(body.speed);
      try {
        cloud.clock.setSpeed(speed);
      } catch (err) {
        throw new AwsError('ValidationException', (err as Error).message, 400);
      }
    }
    if (body.advance !== undefined) {
      let ms: number;
      try {
        ms = parseDuration(body.advance);
      } catch (err) {
        throw new AwsError('ValidationException', (err as Error).message, 400);
      }
      // Fast-forwarding is answered at once; the board follows it on the trace stream.
      void cloud.clock.advance(ms);
    }
    json(res, 200, cloud.clock.state());
  });

  gateway.route(is('GET', '/_dojo/trace.json'), async (req, res) => {
    const since = Number(req.query.get('since') ?? 0);
    json(res, 200, { entries: cloud.trace.since(since) });
  });

  gateway.route(
    is('GET', '/_dojo/trace'),
    async (req, res) => {
      const session = await createSession(req.raw, res, { keepAlive: null, headers: CORS });
      const since = Number(req.query.get('since') ?? 0);
      const push = (e: TraceEntry) => {
        if (session.isConnected) session.push(e, 'trace', String(e.seq));
      };
      for (const e of cloud.trace.since(since)) push(e);
      session.push(cloud.clock.state(), 'clock');
      const offTrace = cloud.trace.subscribe(push);
      const offClock = cloud.clock.onChange((s) => session.isConnected && session.push(s, 'clock'));
      session.once('disconnected', () => {
        offTrace();
        offClock();
      });
    },
    false,
  );

  gateway.route(is('GET', '/_dojo/stack'), async (_req, res) => {
    json(res, 200, {
      stacks: [...cloud.stacks.values()].map((s) => ({
        name: s.name,
        serviceDir: s.serviceDir,
        outputs: s.outputs,
        warnings: s.warnings,
        resources: [...s.resources.values()].map((r) => ({
          logicalId: r.logicalId,
          type: r.type,
          physicalId: r.physicalId,
        })),
      })),
      httpApis: cloud.httpApis.list().map((a) => ({
        apiId: a.apiId,
        url: `${cloud.endpoint}/_aws/execute-api/${a.apiId}`,
        routes: a.routes.map((r) => r.routeKey),
      })),
      // The board follows a WebSocket API that has a $connect route (session 3's bonus part).
      webSockets: cloud.webSockets.list().flatMap((a) =>
        [...a.stages].map((stage) => ({
          apiId: a.apiId,
          url: `${cloud.endpoint.replace(/^http/, 'ws')}/_aws/execute-api/${a.apiId}/${stage}`,
          routes: [...a.routes.values()].map((r) => r.routeKey),
        })),
      ),
      functions: cloud.lambda.list().map((f) => ({ name: f.name, handler: f.handler, arn: f.arn })),
    });
  });
}
