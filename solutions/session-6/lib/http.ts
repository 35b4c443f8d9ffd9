/**
 * The small part of an API Gateway HTTP API event (payload format 2.0) that our handlers read.
 * The whole event has much more: headers, query string, request context, ...
 */
export interface HttpEvent {
  routeKey?: string;
  pathParameters?: Record<string, string | undefined>;
  body?: string;
}

/** What a handler behind an HTTP API returns: API Gateway turns it into the HTTP response. */
export interface HttpResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A response with a JSON body. */
export function json(statusCode: number, body: unknown): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

/** 204 No Content: it worked, and there is nothing to say. */
export function noContent(): HttpResponse {
  return { statusCode: 204 };
}

/** An error response the board can show: `{ "message": "..." }`. */
export function errorResponse(statusCode: number, message: string): HttpResponse {
  return json(statusCode, { message });
}
