/**
 * Requests per second from clients as a learner's load makes them: each client the real AWS
 * SDK in a process of its own (sdk-client-process.mjs), several at once, each with a few
 * requests in flight. The time runs from the moment all are warm to the last answer; the
 * bench's own process CPU time over the same span is what the local cloud spent (the
 * clients' CPU is theirs), a figure a busy machine disturbs less than the rate.
 *
 * `bareServer` is the ceiling those clients reach on this machine: a Node HTTP server that
 * answers every request at once with the same canned answer, in the bench's main thread as
 * the gateway is. The gap between the two is the local cloud's own cost.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { realClearTimeout, realNow, realSetTimeout } from '../emulator/index.ts';

export type SdkOp =
  | { op: 'invoke'; params: { functionName: string } }
  | { op: 'putItem'; params: { table: string; prefix: string } }
  | { op: 'putEvents'; params: { entries: number; source: string } };

export interface ClientLoad {
  /** Client processes. */
  clients: number;
  /** Requests each client keeps in flight. */
  inFlight: number;
  /** Requests each client sends once warm. */
  requests: number;
}

/** Real ms a measurement may take, warm-up included: beyond it, it fails and says what it waited for. */
const DEADLINE_MS = 180_000;

const CLIENT = fileURLToPath(new URL('./sdk-client-process.mjs', import.meta.url));

export interface ClientRate {
  perSecond: number;
  /** CPU time of the bench's process (the local cloud, its sandboxes) per request, in µs. */
  cpuUsPerRequest: number;
}

/**
 * What `load.clients` SDK clients, each in its own process, get from `endpoint`. With
 * `settled`, the time runs until it resolves too (the work the requests caused, done).
 */
export async function sdkRequestsPerSecond(
  endpoint: string,
  region: string,
  what: SdkOp,
  load: ClientLoad,
  settled?: () => Promise<void>,
): Promise<ClientRate> {
  const clients = Array.from({ length: load.clients }, (_, i) =>
    fork(
      CLIENT,
      [
        JSON.stringify({
          ...what,
          params:
            what.op === 'putItem' ? { ...what.params, prefix: `${what.params.prefix}-${i}` } : what.params,
          endpoint,
          region,
          inFlight: load.inFlight,
          requests: load.requests,
        }),
      ],
      // A learner's process loads no TypeScript loader: neither does the client.
      { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    ),
  );
  // A client that fails says why (its first error); one that dies says so: never a hang.
  const next = (c: ChildProcess, key: 'ready' | 'done') =>
    new Promise<void>((resolve, reject) => {
      const onMessage = (m: { ready?: true; done?: true; error?: string }) => {
        if (m.error) reject(new Error(m.error));
        else if (m[key]) {
          c.off('message', onMessage);
          resolve();
        }
      };
      c.on('message', onMessage);
      c.once('error', reject);
      c.once('exit', (code) =>
        reject(new Error(`an SDK client exited with code ${code} before it was ${key}`)),
      );
    });
  const total = load.clients * load.requests;
  let stage = 'to start and warm up';
  // Real time: the bench's own timers follow the local cloud's virtual clock.
  let timer: ReturnType<typeof realSetTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = realSetTimeout(
      () =>
        reject(
          new Error(
            `${load.clients} ${what.op} clients of ${endpoint} took over ${DEADLINE_MS / 1000} s ${stage}: is the local cloud still answering?`,
          ),
        ),
      DEADLINE_MS,
    );
  });
  const measure = async (): Promise<ClientRate> => {
    await Promise.all(clients.map((c) => next(c, 'ready')));
    const done = Promise.all(clients.map((c) => next(c, 'done')));
    const cpu0 = process.cpuUsage();
    const t0 = realNow();
    stage = `to send ${total} requests`;
    for (const c of clients) c.send('go');
    await done;
    stage = 'for the work the requests caused';
    await settled?.();
    const ms = realNow() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { perSecond: (total / ms) * 1000, cpuUsPerRequest: (cpu.user + cpu.system) / total };
  };
  try {
    return await Promise.race([measure(), deadline]);
  } finally {
    realClearTimeout(timer);
    for (const c of clients) c.kill();
  }
}

/** Canned answers in each API's shape, so that the SDK parses them as it parses AWS's. */
const CANNED: Record<SdkOp['op'], (body: string) => { contentType: string; body: string }> = {
  invoke: () => ({ contentType: 'application/json', body: '{"statusCode":200,"body":"{\\"viruses\\":[]}"}' }),
  putItem: () => ({ contentType: 'application/x-amz-json-1.0', body: '{}' }),
  putEvents: (body) => {
    const n = (JSON.parse(body) as { Entries: unknown[] }).Entries.length;
    const Entries = Array.from({ length: n }, (_, i) => ({
      EventId: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    }));
    return {
      contentType: 'application/x-amz-json-1.1',
      body: JSON.stringify({ FailedEntryCount: 0, Entries }),
    };
  },
};

/** A bare HTTP server answering `op`'s requests with its canned answer; `close()` when done. */
export async function bareServer(op: SdkOp['op']): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = CANNED[op](Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, {
        'content-type': answer.contentType,
        'content-length': Buffer.byteLength(answer.body),
      });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
