/**
 * Where each API of the local cloud answers, one line per API (per stage for REST and
 * WebSocket APIs): what `npm run dev` and `npm start` print. The path form stands in for
 * AWS's host form: `<gateway>/_aws/execute-api/<id>[/<stage>]` for
 * `https://<id>.execute-api.<region>.amazonaws.com[/<stage>]`.
 */
import { EXECUTE_API_PREFIX, type HttpApis } from './service.ts';
import type { RestApis } from './rest/service.ts';
import type { WebSocketApis } from './websocket/service.ts';

export interface ApiUrl {
  kind: 'REST API' | 'HTTP API' | 'WebSocket';
  name: string;
  url: string;
}

export function apiUrls(
  endpoint: string,
  apis: { httpApis: HttpApis; restApis: RestApis; webSockets: WebSocketApis },
): ApiUrl[] {
  const base = `${endpoint}${EXECUTE_API_PREFIX}`;
  return [
    ...apis.restApis.list().flatMap((a) =>
      [...a.stages.keys()].map((stage): ApiUrl => ({
        kind: 'REST API',
        name: a.name,
        url: `${base}${a.id}/${stage}`,
      })),
    ),
    ...apis.httpApis
      .list()
      .map((a): ApiUrl => ({ kind: 'HTTP API', name: a.name, url: `${base}${a.apiId}` })),
    ...apis.webSockets.list().flatMap((a) =>
      [...a.stages].map((stage): ApiUrl => ({
        kind: 'WebSocket',
        name: a.name,
        url: `${base.replace(/^http/, 'ws')}${a.apiId}/${stage}`,
      })),
    ),
  ];
}
