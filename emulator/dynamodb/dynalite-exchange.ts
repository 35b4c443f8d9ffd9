/**
 * One request to dynalite handed to its own request handler in memory, with no socket: the
 * gateway has already read and checked the HTTP request, and a second HTTP round trip on
 * loopback (a client request, dynalite's server parsing it, the answer parsed back) cost the
 * local cloud's one thread more than dynalite's own work on a PutItem.
 *
 * dynalite is an `http.Server` whose `request` listener reads `method`, `url`, `headers` and
 * the body's `data`/`end` events from the request, and sets `statusCode`, calls `setHeader`
 * and `end` on the response: the two small objects below are exactly that much of Node's.
 */
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';

export interface DynaliteReply {
  status: number;
  body: Buffer;
  /** Lower-case names, as Node's client gave them. */
  headers: Record<string, string>;
}

/** The answer's headers the gateway passes on (what AWS's DynamoDB sends that clients read). */
const REPLY_HEADERS = ['content-type', 'x-amzn-requestid', 'x-amz-crc32'] as const;

/**
 * Sends `body` with `headers` (lower-case names) to dynalite's handler; resolves with its
 * answer. A throw inside dynalite's handler rejects (over HTTP it was an uncaught exception).
 */
export function exchange(
  server: Server,
  body: Buffer,
  headers: Record<string, string>,
): Promise<DynaliteReply> {
  return new Promise((resolve, reject) => {
    const req = Object.assign(new EventEmitter(), { method: 'POST', url: '/', headers });
    const set: Record<string, string> = {};
    const res = {
      statusCode: 200,
      setHeader(name: string, value: string | number) {
        set[name.toLowerCase()] = String(value);
      },
      end(chunk?: string | Buffer) {
        const out: Record<string, string> = {};
        for (const k of REPLY_HEADERS) if (set[k] !== undefined) out[k] = set[k];
        resolve({
          status: res.statusCode,
          body: chunk === undefined ? Buffer.alloc(0) : Buffer.from(chunk),
          headers: out,
        });
      },
    };
    try {
      server.emit('request', req, res);
      if (body.length > 0) req.emit('data', body);
      req.emit('end');
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
