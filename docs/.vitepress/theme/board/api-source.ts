/**
 * The board's other source: the learner's own HTTP API, polled (`GET /viruses`), for a
 * backend deployed on AWS, where there is no local trace to follow. Online while the API
 * answers; an answer that is not a list of viruses is a problem to show, not a lost link.
 * While the learner's WebSocket pushes the changes (`pushing(true)`), it reads the list once
 * and then waits, to poll again as soon as the push stops.
 */
import { BoardCallError, CloudApi } from './cloud-api.ts';
import { RETRY_MS, type LinkStatus } from './connection.ts';
import type { Virus } from './types.ts';

export interface ApiListener {
  status(status: LinkStatus, retryAt?: number): void;
  list(viruses: Virus[]): void;
  /** Why the last answer could not be used; undefined once one could. */
  problem(message: string | undefined): void;
}

export const API_POLL_MS = 2000;

export class ApiPoller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private running = false;
  private paused = false;

  constructor(
    readonly api: CloudApi,
    readonly apiUrl: string,
    private readonly listener: ApiListener,
    private readonly pollMs = API_POLL_MS,
  ) {}

  start(): void {
    this.listener.status('connecting');
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** A push is live: one fresh list (what changed before it), then no more polls until it stops. */
  pushing(live: boolean): void {
    this.paused = live;
    this.retryNow();
  }

  /** Poll now, after a kill or from the "Try now" button. */
  retryNow(): void {
    if (this.stopped || this.running) return;
    clearTimeout(this.timer);
    void this.poll();
  }

  private async poll(): Promise<void> {
    this.running = true;
    let next = this.pollMs;
    try {
      const list = await this.api.listViruses(this.apiUrl);
      if (this.stopped) return;
      this.listener.status('online');
      this.listener.problem(undefined);
      this.listener.list(list);
    } catch (err) {
      if (this.stopped) return;
      const e = err as BoardCallError;
      if (e.unreachable) {
        next = RETRY_MS;
        this.listener.status('offline', Date.now() + RETRY_MS);
      } else {
        this.listener.status('online');
        this.listener.problem(e.message);
      }
    } finally {
      this.running = false;
    }
    if (!this.stopped && !this.paused) this.timer = setTimeout(() => void this.poll(), next);
  }
}
