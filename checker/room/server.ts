/**
 * The room's HTTP server: learners join and report, the instructor's page reads the view.
 *
 *   POST   /api/join          { code, name }                → 201 { learner, secret, name }
 *   POST   /api/report        Bearer <learner secret>       → 204
 *   DELETE /api/learner       Bearer <learner secret>       → 204 (npm run join -- --leave)
 *   GET    /api/progress      Bearer <token> or ?token=     → 200 RoomView (401 without)
 *   GET    /api/progress.csv  Bearer <token> or ?token=     → 200 text/csv
 *   GET    /?token=…          the instructor's URL: redirects to the guide's room page
 *
 * It listens on one interface only (127.0.0.1 unless told otherwise), bounds bodies, rates
 * and connection times, and answers every bad request with a message saying what is wrong.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { GUIDE_URL } from '../core/defaults.ts';
import { lanAddresses } from './addresses.ts';
import { roomCsv } from './csv.ts';
import { DEFAULT_STUCK_MINUTES, LIMITS } from './protocol.ts';
import { RateLimiter, type Rate } from './rate-limit.ts';
import { RoomFullError, RoomStore, type StoredRoom } from './store.ts';
import { parseJoin, parseReport, RoomInputError } from './validate.ts';
import { realSetTimeout } from '../../emulator/index.ts';

export interface RoomLimits {
  /** Every request, by client address. */
  perAddress: Rate;
  /** Joins, by client address. */
  joins: Rate;
  /** Reports, by learner: a check takes seconds, a watch re-checks on save. */
  reports: Rate;
  /** Refused codes, tokens and secrets, by client address: guessing is slow. */
  refusals: Rate;
}

export const DEFAULT_LIMITS: RoomLimits = {
  perAddress: { burst: 300, perSecond: 50 },
  joins: { burst: 40, perSecond: 0.2 },
  reports: { burst: 10, perSecond: 0.5 },
  refusals: { burst: 20, perSecond: 0.2 },
};

export interface RoomOptions {
  /** The interface to listen on (default 127.0.0.1: this machine only). */
  host?: string;
  /** 0 for any free port. */
  port: number;
  stuckMinutes?: number;
  /** The guide's base URL, where the room page is (default: defaults.ts's GUIDE_URL). */
  guideUrl?: string;
  /** Where the room is kept between restarts; none: in memory only. */
  stateFile?: string;
  /** Start a new room even if stateFile holds one. */
  fresh?: boolean;
  limits?: Partial<RoomLimits>;
  now?: () => number;
}

export interface RunningRoom {
  store: RoomStore;
  /** http://host:port, as learners reach it. */
  url: string;
  host: string;
  port: number;
  joinUrl: string;
  /** The room server's own instructor URL (it redirects to the guide's page). */
  instructorUrl: string;
  /** The guide's page, with the room and the token in its address. */
  pageUrl: string;
  close(): Promise<void>;
}

export async function startRoom(options: RoomOptions): Promise<RunningRoom> {
  const host = options.host ?? '127.0.0.1';
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const guideUrl = (options.guideUrl ?? GUIDE_URL).replace(/\/+$/, '');
  let saveTimer: NodeJS.Timeout | undefined;
  const save = () => {
    if (!options.stateFile || saveTimer) return;
    saveTimer = realSetTimeout(() => {
      saveTimer = undefined;
      writeState(options.stateFile!, store.stored());
    }, 300);
  };
  const store = new RoomStore({
    stuckMinutes: options.stuckMinutes ?? DEFAULT_STUCK_MINUTES,
    now: options.now,
    restore: options.stateFile && !options.fresh ? readState(options.stateFile) : undefined,
    onChange: save,
  });
  const perAddress = new RateLimiter(limits.perAddress);
  const joins = new RateLimiter(limits.joins);
  const reports = new RateLimiter(limits.reports);
  const refusals = new RateLimiter(limits.refusals);
  let base = '';

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) =>
      send(res, err instanceof RoomInputError ? err.status : 500, {
        message:
          err instanceof RoomInputError
            ? err.message
            : 'The room failed on this request; it goes on for the others.',
      }),
    );
  });
  // A client that opens a connection and says nothing must not hold it.
  server.headersTimeout = 5000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5000;
  server.maxConnections = 1000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const address = req.socket.remoteAddress ?? '?';
    const url = new URL(req.url ?? '/', 'http://room');
    const route = `${req.method} ${url.pathname}`;
    if (!perAddress.take(address)) return tooMany(res);
    const refuse = (status: number, message: string) => {
      // Every refusal spends a token: guessing a code or a token is throttled to a crawl.
      if (!refusals.take(address)) return tooMany(res);
      send(res, status, { message });
    };

    if (req.method === 'OPTIONS') {
      // Only the instructor's page, from the guide's origin, reads across origins; and only GET.
      res.writeHead(204, { ...CORS, 'access-control-max-age': '600' });
      return void res.end();
    }
    switch (route) {
      case 'POST /api/join': {
        if (!joins.take(address)) return tooMany(res);
        const join = parseJoin(await readJson(req));
        if (!store.isCode(join.code))
          return refuse(
            403,
            'This is not the room code: copy the join URL the instructor shows, e.g. npm run join http://192.168.1.5:4577/join/ABCD-EFGH -- --name "Your name".',
          );
        try {
          return send(res, 201, store.join(join.name));
        } catch (err) {
          if (err instanceof RoomFullError) return send(res, 409, { message: err.message });
          throw err;
        }
      }
      case 'POST /api/report':
      case 'DELETE /api/learner': {
        const learner = store.learnerOf(bearer(req));
        if (!learner)
          return refuse(
            401,
            'Unknown learner: join the room again with npm run join <url> -- --name "Your name".',
          );
        if (req.method === 'DELETE') {
          store.leave(learner);
          return send(res, 204);
        }
        if (!reports.take(learner)) return tooMany(res);
        store.report(learner, parseReport(await readJson(req)));
        return send(res, 204);
      }
      case 'GET /api/progress':
      case 'GET /api/progress.csv': {
        if (!store.isToken(bearer(req) ?? url.searchParams.get('token') ?? undefined))
          return refuse(401, "The instructor's token is missing or wrong: use the URL npm run room printed.");
        if (url.pathname.endsWith('.csv')) {
          res.writeHead(200, {
            ...CORS,
            ...NO_CACHE,
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="dojo-room-${new Date(store.view().now).toISOString().slice(0, 10)}.csv"`,
          });
          return void res.end(roomCsv(store.view()));
        }
        return send(res, 200, store.view());
      }
      case 'GET /': {
        const token = url.searchParams.get('token') ?? undefined;
        if (store.isToken(token)) {
          res.writeHead(302, { ...NO_CACHE, location: pageUrlOf(guideUrl, base, token!) });
          return void res.end();
        }
        return text(
          res,
          200,
          'This is a Serverless Dojo room. Learners join it with the line the instructor shows: npm run join <url> -- --name "Your name".\n',
        );
      }
      default:
        if (req.method === 'GET' && url.pathname.startsWith('/join/'))
          return text(
            res,
            200,
            `Join this room from the dojo's folder, in a terminal:\n\n  npm run join ${base}${url.pathname} -- --name "Your name"\n`,
          );
        return send(res, 404, { message: `No ${route} here: this is a dojo room.` });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port, exclusive: true }, () => resolve());
  });
  const address = server.address() as AddressInfo;
  // Listening everywhere: learners reach it on this machine's network address.
  const shown = host === '0.0.0.0' || host === '::' ? (lanAddresses()[0] ?? 'localhost') : host;
  base = `http://${shown.includes(':') ? `[${shown}]` : shown}:${address.port}`;
  return {
    store,
    url: base,
    host: address.address,
    port: address.port,
    joinUrl: `${base}/join/${store.code}`,
    instructorUrl: `${base}/?token=${store.token}`,
    pageUrl: pageUrlOf(guideUrl, base, store.token),
    close: () =>
      new Promise<void>((resolve) => {
        if (saveTimer) {
          clearTimeout(saveTimer);
          saveTimer = undefined;
          if (options.stateFile) writeState(options.stateFile, store.stored());
        }
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function pageUrlOf(guideUrl: string, base: string, token: string): string {
  return `${guideUrl}/room?room=${encodeURIComponent(base)}&token=${encodeURIComponent(token)}`;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET',
  'access-control-allow-headers': 'authorization',
};
const NO_CACHE = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

function bearer(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent) return void res.end();
  const headers: Record<string, string> = { ...CORS, ...NO_CACHE };
  if (body === undefined) {
    res.writeHead(status, headers);
    return void res.end();
  }
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { ...NO_CACHE, 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

function tooMany(res: ServerResponse): void {
  res.writeHead(429, {
    ...CORS,
    ...NO_CACHE,
    'retry-after': '5',
    'content-type': 'application/json; charset=utf-8',
  });
  res.end(JSON.stringify({ message: 'Too many requests: slow down.' }));
}

/** A JSON body of at most LIMITS.body bytes; bigger ones are refused before they are read whole. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    throw new RoomInputError('The body must be JSON (content-type: application/json).');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > LIMITS.body) throw tooLarge(req);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > LIMITS.body) throw tooLarge(req);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new RoomInputError('The body is not valid JSON.');
  }
}

function tooLarge(req: IncomingMessage): RoomInputError {
  // The rest is not read: the connection closes after the answer.
  req.socket.once('finish', () => req.destroy());
  return new RoomInputError(`The body is larger than ${LIMITS.body} bytes.`, 413);
}

function readState(file: string): StoredRoom | undefined {
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredRoom;
    return stored.version === 1 && typeof stored.code === 'string' && Array.isArray(stored.learners)
      ? stored
      : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole and renamed: a crash mid-write leaves the previous state, never half of one. */
function writeState(file: string, state: StoredRoom): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  renameSync(tmp, file);
}
