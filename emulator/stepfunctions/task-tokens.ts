/**
 * Task tokens of `.waitForTaskToken` tasks: issued when the task is scheduled, completed by
 * SendTaskSuccess / SendTaskFailure, kept alive by SendTaskHeartbeat, and closed when the task
 * times out or its execution ends (a late call then gets TaskTimedOut, as on AWS).
 */
import { randomBytes } from 'node:crypto';
import type { VirtualClock } from '../core/clock.ts';
import { apiErrors } from './errors.ts';

export interface PendingTaskToken {
  token: string;
  executionArn: string;
  stateName: string;
  /** The task's effective parameters, where the token usually travels. */
  input: unknown;
  /** Virtual epoch ms. */
  issuedAt: number;
}

export type TokenOutcome =
  | { kind: 'success'; output: unknown }
  | { kind: 'failure'; error?: string; cause?: string }
  | { kind: 'heartbeat-timeout' }
  | { kind: 'closed' };

export interface IssuedToken {
  token: string;
  /** Settles once, with whatever comes first. */
  outcome: Promise<TokenOutcome>;
}

// Closed tokens are remembered to answer TaskTimedOut rather than InvalidToken; bounded.
const CLOSED_MEMORY = 100_000;

export class TaskTokens {
  private readonly open = new Map<string, OpenToken>();
  private readonly closed = new Set<string>();

  constructor(private readonly clock: VirtualClock) {}

  /** A fresh token, not yet issued (it becomes valid through `issue`). */
  mint(): string {
    return `AQ${randomBytes(96).toString('base64url')}`;
  }

  issue(token: string, info: Omit<PendingTaskToken, 'token' | 'issuedAt'>): IssuedToken {
    let settle!: (outcome: TokenOutcome) => void;
    const outcome = new Promise<TokenOutcome>((resolve) => (settle = resolve));
    this.open.set(token, { pending: { ...info, token, issuedAt: this.clock.now() }, settle });
    return { token, outcome };
  }

  /** Starts (or restarts) the heartbeat clock of a token: silence for `seconds` times it out. */
  watchHeartbeat(token: string, seconds: number): void {
    const t = this.open.get(token);
    if (!t) return;
    t.heartbeatSeconds = seconds;
    this.armHeartbeat(token, t);
  }

  /** `output` is the JSON text SendTaskSuccess carries; it becomes the task's result. */
  succeed(token: unknown, output: unknown): void {
    const t = this.peek(token);
    if (typeof output !== 'string')
      throw apiErrors.validation(
        "1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null",
      );
    let value: unknown;
    try {
      value = JSON.parse(output);
    } catch (err) {
      throw apiErrors.invalidOutput((err as Error).message);
    }
    this.finish(t, { kind: 'success', output: value });
  }

  fail(token: unknown, error?: string, cause?: string): void {
    this.finish(this.peek(token), { kind: 'failure', error, cause });
  }

  heartbeat(token: unknown): void {
    const t = this.peek(token);
    if (t.heartbeatSeconds !== undefined) this.armHeartbeat(t.pending.token, t);
  }

  /** Closes a token whose task is over for another reason (timed out, execution ended). */
  close(token: string): void {
    const t = this.open.get(token);
    if (t) this.finish(t, { kind: 'closed' });
  }

  pending(): PendingTaskToken[] {
    return [...this.open.values()].map((t) => ({ ...t.pending }));
  }

  private peek(token: unknown): OpenToken {
    if (typeof token !== 'string' || token.length < 1 || token.length > 2048) throw apiErrors.invalidToken();
    const t = this.open.get(token);
    if (t) return t;
    if (this.closed.has(token)) throw apiErrors.taskTimedOut();
    throw apiErrors.invalidToken();
  }

  private finish(t: OpenToken, outcome: TokenOutcome): void {
    this.open.delete(t.pending.token);
    if (t.timer !== undefined) this.clock.clearTimeout(t.timer);
    this.closed.add(t.pending.token);
    if (this.closed.size > CLOSED_MEMORY) this.closed.delete(this.closed.values().next().value as string);
    t.settle(outcome);
  }

  private armHeartbeat(token: string, t: OpenToken): void {
    if (t.timer !== undefined) this.clock.clearTimeout(t.timer);
    t.timer = this.clock.setTimeout(
      () => {
        const current = this.open.get(token);
        if (current === t) this.finish(t, { kind: 'heartbeat-timeout' });
      },
      (t.heartbeatSeconds ?? 0) * 1000,
    );
  }
}

interface OpenToken {
  pending: PendingTaskToken;
  settle(outcome: TokenOutcome): void;
  heartbeatSeconds?: number;
  timer?: unknown;
}
