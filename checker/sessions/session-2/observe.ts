/**
 * What the checker sees of a deployed session-2 service: HTTP requests on its API, as the
 * board sends them (with the board's Origin), and the table read and written directly.
 * Every request is sequential, so each 5xx can be traced to the invocation behind it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { BehaviourContext } from '../../core/session-check.ts';
import { isKind, mulberry32, type TraceEntry } from '../../../emulator/index.ts';
import type { Target } from '../../core/target.ts';
import { getItem, parse, tableName } from '../session-1/deployed.ts';
import type { LambdaError } from '../session-1/errors.ts';
import { BOARD_ORIGIN, hasRoute, ROUTES } from './static.ts';

export interface Exchange {
  request: string;
  status: number;
  headers: Record<string, string>;
  text: string;
  body: unknown;
  /** Why the function failed, when the local trace says (undefined on AWS). */
  failure?: { fn: string; error: LambdaError };
}

export interface Seed {
  id: string;
  createdAt: string;
}

export interface Observation {
  hasApi: boolean;
  routes: { get: boolean; post: boolean; delete: boolean };
  seeds: Seed[];
  list?: Exchange;
  post?: Exchange;
  postedItem?: Record<string, unknown>;
  kill?: Exchange;
  killedItem?: Record<string, unknown>;
  unknown: Exchange[];
  invalid?: Exchange;
  badInput: Exchange[];
  preflight?: Exchange;
  onAws: boolean;
  /** The ConditionExpression written in killVirus's handler, if any (read from the source). */
  killCondition?: string;
}

const SEEDS = 8;
/** Ids that are not UUIDs: a word, a number, one too long for a DynamoDB key (2048 bytes), an emoji. */
export const BAD_IDS = [
  'not-a-uuid',
  '42',
  'x'.repeat(3000),
  encodeURIComponent('🦠'),
  '0b6a3c1e-5f7d-4e2a-9c1b-2d3e4f5a6b7',
];

/** The ConditionExpression killVirus's source writes, so that a 204 for a missing virus is told by its real cause. */
export function writtenCondition(dir: string): string | undefined {
  const file = join(dir, 'functions', 'killVirus', 'handler.ts');
  if (!existsSync(file)) return undefined;
  const source = readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '');
  return /ConditionExpression:\s*(['"`])([^'"`]*)\1/.exec(source)?.[2];
}

export async function observe({
  target,
  deployment,
  template,
  seed,
  dir,
}: BehaviourContext): Promise<Observation> {
  const base = target.httpApiUrl(deployment);
  const table = tableName(deployment);
  const routes = {
    get: hasRoute(template, ROUTES[0]),
    post: hasRoute(template, ROUTES[1]),
    delete: hasRoute(template, ROUTES[2]),
  };
  const random = uuids(seed);
  const o: Observation = {
    hasApi: base !== undefined,
    routes,
    seeds: [],
    unknown: [],
    badInput: [],
    onAws: target.kind === 'aws',
    killCondition: writtenCondition(dir),
  };
  if (!base || !table) return o;
  const http = (
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string> } = {},
  ) => request(target, base, method, path, init);

  // Viruses of the last minutes, written directly: the list is judged on data the checker knows.
  const now = target.now();
  o.seeds = Array.from({ length: SEEDS }, (_, i) => ({
    id: random(),
    createdAt: new Date(now - (SEEDS - i) * 60_000).toISOString(),
  }));
  const ddb = DynamoDBDocumentClient.from(target.clients().dynamodb);
  for (const s of o.seeds) await ddb.send(new PutCommand({ TableName: table, Item: s }));

  if (routes.get) o.list = await http('GET', '/viruses');
  if (routes.post) {
    o.post = await http('POST', '/viruses', { body: '{}', headers: { 'content-type': 'application/json' } });
    const id = (o.post.body as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string' && id.length > 0 && id.length < 1024)
      o.postedItem = await getItem(target, table, id);
  }
  if (routes.delete) {
    const victim = o.seeds[0].id;
    o.kill = await http('DELETE', `/viruses/${victim}`);
    o.killedItem = await getItem(target, table, victim);
    o.unknown.push(await http('DELETE', `/viruses/${random()}`));
    // What the board sends when a player clicks a virus twice.
    o.unknown.push(await http('DELETE', `/viruses/${victim}`));
    o.invalid = await http('DELETE', `/viruses/${BAD_IDS[0]}`);
    for (const bad of BAD_IDS.slice(1)) o.badInput.push(await http('DELETE', `/viruses/${bad}`));
    o.preflight = await http('OPTIONS', `/viruses/${o.seeds[1].id}`, {
      headers: { 'access-control-request-method': 'DELETE' },
    });
  }
  if (routes.post)
    o.badInput.push(
      await http('POST', '/viruses', { body: '{"oops', headers: { 'content-type': 'application/json' } }),
    );
  if (routes.get) o.badInput.push(await http('GET', '/viruses?limit=-1&order=sideways'));
  return o;
}

async function request(
  target: Target,
  base: string,
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> },
): Promise<Exchange> {
  const trace = target.trace;
  const mark = trace?.all().at(-1)?.seq ?? 0;
  const res = await fetch(`${base}${path}`, {
    method,
    body: init.body,
    headers: { origin: BOARD_ORIGIN, ...init.headers },
  });
  const text = await res.text();
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  const shortPath = path.length > 60 ? `${path.slice(0, 50)}… (${path.length} characters)` : path;
  const exchange: Exchange = {
    request: `${method} ${shortPath}`,
    status: res.status,
    headers,
    text,
    body: parse(text),
  };
  if (trace && res.status >= 500) {
    const end = trace
      .since(mark)
      .find((e): e is TraceEntry<'invoke.end'> => isKind(e, 'invoke.end') && !e.ok);
    if (end)
      exchange.failure = {
        fn: end.function.split('-').pop() ?? end.function,
        error: end.error ?? { errorType: 'Unknown', errorMessage: 'the function failed without an error' },
      };
  }
  return exchange;
}

/** Random-looking v4 UUIDs from the check's seed, so that a run can be replayed exactly. */
function uuids(seed: number): () => string {
  const next = mulberry32(seed >>> 0 || 1);
  return () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
    hex[12] = '4';
    hex[16] = '89ab'[Math.floor(next() * 4)];
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
}
