/**
 * The events a WebSocket API sends its Lambda integrations, in AWS's shapes
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-mapping-template-reference.html
 * and the Lambda proxy events recorded in AWS's samples): `$connect` carries the handshake's
 * headers and query string, a message its body, `$disconnect` the close code and reason.
 */
import { randomUUID } from 'node:crypto';
import { formatRequestTime } from '../request-time.ts';

export interface ConnectionInfo {
  apiId: string;
  stage: string;
  connectionId: string;
  domainName: string;
  connectedAt: number;
  sourceIp: string;
  userAgent?: string;
}

type EventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT';

function requestContext(c: ConnectionInfo, routeKey: string, eventType: EventType, now: number) {
  const requestId = randomUUID();
  return {
    routeKey,
    eventType,
    extendedRequestId: requestId.slice(0, 16),
    requestTime: formatRequestTime(new Date(now)),
    messageDirection: 'IN',
    stage: c.stage,
    connectedAt: c.connectedAt,
    requestTimeEpoch: now,
    identity: { userAgent: c.userAgent, sourceIp: c.sourceIp },
    requestId,
    domainName: c.domainName,
    connectionId: c.connectionId,
    apiId: c.apiId,
  };
}

export function connectEvent(
  c: ConnectionInfo,
  rawHeaders: string[],
  query: URLSearchParams,
  now: number,
): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    headers[rawHeaders[i]] = rawHeaders[i + 1];
    (multiValueHeaders[rawHeaders[i]] ??= []).push(rawHeaders[i + 1]);
  }
  const q: Record<string, string> = {};
  const mq: Record<string, string[]> = {};
  for (const [k, v] of query) {
    q[k] = v;
    (mq[k] ??= []).push(v);
  }
  const hasQuery = Object.keys(q).length > 0;
  return {
    headers,
    multiValueHeaders,
    ...(hasQuery ? { queryStringParameters: q, multiValueQueryStringParameters: mq } : {}),
    requestContext: requestContext(c, '$connect', 'CONNECT', now),
    isBase64Encoded: false,
  };
}

export function messageEvent(
  c: ConnectionInfo,
  routeKey: string,
  data: Buffer,
  binary: boolean,
  now: number,
): Record<string, unknown> {
  return {
    requestContext: { ...requestContext(c, routeKey, 'MESSAGE', now), messageId: randomUUID().slice(0, 16) },
    body: binary ? data.toString('base64') : data.toString('utf8'),
    isBase64Encoded: binary,
  };
}

export function disconnectEvent(
  c: ConnectionInfo,
  statusCode: number,
  reason: string,
  now: number,
): Record<string, unknown> {
  return {
    headers: { Host: c.domainName, 'X-Forwarded-For': c.sourceIp },
    multiValueHeaders: { Host: [c.domainName], 'X-Forwarded-For': [c.sourceIp] },
    requestContext: {
      ...requestContext(c, '$disconnect', 'DISCONNECT', now),
      disconnectStatusCode: statusCode,
      disconnectReason: reason,
    },
    isBase64Encoded: false,
  };
}
