/**
 * The Lambda proxy integration of a REST API, both ways: the payload format 1.0 event AWS
 * sends (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format)
 * and the response it accepts back. Anything else the function returns is a "Malformed
 * Lambda proxy response", which AWS answers with 502 {"message": "Internal server error"}
 * (https://repost.aws/knowledge-center/malformed-502-api-gateway).
 */
import { randomUUID } from 'node:crypto';
import type { GatewayRequest } from '../../gateway/server.ts';
import { formatRequestTime } from '../request-time.ts';

export interface ProxyEventContext {
  accountId: string;
  region: string;
  apiId: string;
  stage: string;
  deploymentId: string;
  resourceId: string;
  resourcePath: string;
  path: string;
  pathParameters: Record<string, string>;
  stageVariables?: Record<string, string>;
  /** The API's binary media types: a request body of one of them reaches the function in base64. */
  binaryMediaTypes: string[];
}

export function proxyEvent(req: GatewayRequest, c: ProxyEventContext): Record<string, unknown> {
  // A REST API passes headers as the client spelled them (HTTP APIs lower-case them).
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const raw = req.raw.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    headers[name] = raw[i + 1];
    (multiValueHeaders[name] ??= []).push(raw[i + 1]);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of req.query) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  const hasQuery = Object.keys(query).length > 0;
  const hasParams = Object.keys(c.pathParameters).length > 0;
  const binary = req.body.length > 0 && isBinary(req.headers['content-type'], c.binaryMediaTypes);
  const now = new Date();
  const domainName = `${c.apiId}.execute-api.${c.region}.amazonaws.com`;
  const requestId = randomUUID();
  return {
    resource: c.resourcePath,
    path: c.path,
    httpMethod: req.method,
    headers: raw.length ? headers : null,
    multiValueHeaders: raw.length ? multiValueHeaders : null,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: hasParams ? c.pathParameters : null,
    stageVariables: c.stageVariables && Object.keys(c.stageVariables).length ? c.stageVariables : null,
    requestContext: {
      resourceId: c.resourceId,
      resourcePath: c.resourcePath,
      httpMethod: req.method,
      extendedRequestId: requestId.slice(0, 16),
      requestTime: formatRequestTime(now),
      path: `/${c.stage}${c.path}`,
      accountId: c.accountId,
      protocol: 'HTTP/1.1',
      stage: c.stage,
      domainPrefix: c.apiId,
      requestTimeEpoch: now.getTime(),
      requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: req.raw.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: req.headers['user-agent'] ?? null,
        user: null,
      },
      domainName,
      deploymentId: c.deploymentId,
      apiId: c.apiId,
    },
    body: req.body.length ? (binary ? req.body.toString('base64') : req.body.toString('utf8')) : null,
    isBase64Encoded: binary,
  };
}

export interface ProxyResponse {
  status: number;
  /** Header values as they go out: a name may repeat (multiValueHeaders). */
  headers: Array<[string, string]>;
  body: Buffer;
}

const RESPONSE_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/**
 * The function's result as the response API Gateway sends, or the reason it is malformed.
 * A base64 body is decoded only when the client accepts one of the API's binary media types,
 * as AWS does; otherwise the client gets the base64 text.
 */
export function proxyResponse(
  payload: unknown,
  accept: string | undefined,
  binaryMediaTypes: string[],
): ProxyResponse | { malformed: string } {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload))
    return { malformed: 'the function did not return an object' };
  const p = payload as Record<string, unknown>;
  const extra = Object.keys(p).filter((k) => !RESPONSE_KEYS.has(k));
  if (extra.length) return { malformed: `unexpected field(s) ${extra.join(', ')}` };
  const status = Number(p.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599)
    return { malformed: `statusCode ${JSON.stringify(p.statusCode)} is not an HTTP status code` };
  if (p.body !== undefined && p.body !== null && typeof p.body !== 'string')
    return { malformed: 'body is not a string (JSON.stringify it)' };
  if (p.headers !== undefined && p.headers !== null && typeof p.headers !== 'object')
    return { malformed: 'headers is not an object' };
  const headers: Array<[string, string]> = [];
  const single = (p.headers ?? {}) as Record<string, unknown>;
  const multi = (p.multiValueHeaders ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(multi)) {
    if (!Array.isArray(v)) return { malformed: `multiValueHeaders.${k} is not an array` };
    for (const one of v) headers.push([k, String(one)]);
  }
  // A header named in both is sent with the values of both (single last), as AWS merges them.
  for (const [k, v] of Object.entries(single)) headers.push([k, String(v)]);
  const text = typeof p.body === 'string' ? p.body : '';
  const decode = p.isBase64Encoded === true && accepts(accept, binaryMediaTypes);
  return { status, headers, body: decode ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8') };
}

/** Whether a media type is one of the API's binary types (`image/*` and `*\/*` included). */
export function isBinary(contentType: string | undefined, binaryMediaTypes: string[]): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return binaryMediaTypes.some((b) => {
    const want = b.toLowerCase();
    if (want === '*/*') return true;
    if (want.endsWith('/*')) return type.startsWith(want.slice(0, -1));
    return want === type;
  });
}

function accepts(accept: string | undefined, binaryMediaTypes: string[]): boolean {
  // AWS looks at the first type the client lists.
  const first = accept?.split(',')[0];
  return first !== undefined && isBinary(first, binaryMediaTypes);
}
