/**
 * The board's third source: the learner's WebSocket API (session 3's bonus part), which pushes
 * `{ "type": "INSERT" | "REMOVE", "virus": { "id", "createdAt" } }` for each change of the
 * virus table. Live while the socket is open; when it closes (the stack redeployed, the
 * connection's 2 hours or 10 idle minutes over, the network gone) it says so and opens a new
 * one every few seconds, and the board polls meanwhile. A message of another shape is a
 * problem to show, never a lost link.
 */
import { RETRY_MS } from './connection.ts';
import type { Virus } from './types.ts';

export type PushStatus = 'connecting' | 'live' | 'down';

export interface PushMessage {
  type: 'INSERT' | 'REMOVE';
  virus: Virus;
}

export interface PushListener {
  status(status: PushStatus): void;
  message(message: PushMessage): void;
  /** What was wrong with the last message; undefined once one could be read. */
  problem(message: string | undefined): void;
}

/** The WebSocket to follow: `?ws=` in the page's address (npm start -- --aws puts the stack's there). */
export function webSocketUrlFrom(search: string): string | undefined {
  const asked = new URLSearchParams(search).get('ws');
  return asked && /^wss?:\/\/[^\s/]+/i.test(asked) ? asked.replace(/\/+$/, '') : undefined;
}

/** A pushed message as the board reads it, or why it cannot. */
export function readPush(data: unknown): PushMessage | string {
  let m: { type?: unknown; virus?: { id?: unknown; createdAt?: unknown } };
  try {
    m = JSON.parse(String(data)) as typeof m;
  } catch {
    return `Your WebSocket pushed ${show(data)}, which is not JSON: pushVirus should post JSON.stringify(message).`;
  }
  if ((m?.type === 'INSERT' || m?.type === 'REMOVE') && typeof m.virus?.id === 'string')
    return {
      type: m.type,
      virus: {
        id: m.virus.id,
        ...(typeof m.virus.createdAt === 'string' ? { createdAt: m.virus.createdAt } : {}),
      },
    };
  return `Your WebSocket pushed ${show(data)}: the board reads { "type": "INSERT" or "REMOVE", "virus": { "id", "createdAt" } }.`;
}

export class PushLink {
  private socket: WebSocket | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    readonly url: string,
    private readonly listener: PushListener,
  ) {}

  start(): void {
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.socket?.close(1000, 'the board was closed');
    this.socket = undefined;
  }

  private open(): void {
    if (this.stopped) return;
    this.listener.status('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => this.listener.status('live'));
    socket.addEventListener('message', (m: MessageEvent) => {
      const read = readPush(m.data);
      if (typeof read === 'string') return this.listener.problem(read);
      this.listener.problem(undefined);
      this.listener.message(read);
    });
    // A refused handshake fires error then close: one retry, from close.
    socket.addEventListener('close', () => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = undefined;
      this.listener.status('down');
      this.retryTimer = setTimeout(() => this.open(), RETRY_MS);
    });
  }
}

function show(data: unknown): string {
  const s = String(data);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}
